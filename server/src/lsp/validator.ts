// Keeps diagnostics in step with the text: debounced per document, newest text only, one document at a time
// with a turn of the event loop between them so a burst of edits in one file never starves another.
// Closed workspace files that use tfjs are analysed too (from disk, in the background at start), so a helper's
// findings from callers in closed files stay while those tabs are closed. Diagnostics go to every file the
// current analyses find something in, open or closed, so what a file shows never depends on which tabs are open.
import { readFileSync, statSync } from 'node:fs';
import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalysisResult, analyze } from '../analysis';
import { notAnalysedDiagnostic, toDiagnostic } from './diagnostics';
import type { Files, ReadVersions } from './files';
import type { SettingsCache } from './settings';
import type { AnalysisStore, Snapshot } from './store';
import type { Workspace } from './workspace';
import { MAX_FILE_BYTES } from './workspaceScan';

const languages = new Set(['typescript', 'javascript', 'typescriptreact', 'javascriptreact']);

export interface ValidatorDeps {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  files: Files;
  store: AnalysisStore;
  settings: SettingsCache;
  /** Called when hovers, hints or lenses may have changed (pull features need a nudge). */
  onResultsChanged: () => void;
  /** The analysis core; injectable so tests can make it fail. */
  analyze: typeof analyze;
  workspace: Workspace;
}

export class Validator {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly queue = new Set<string>();
  /** Closed files to analyse when nothing else waits (the initial indexing of the workspace). */
  private readonly background = new Set<string>();
  /** URIs last published with diagnostics: a closed file with nothing to show is cleared once, then left alone. */
  private readonly shown = new Set<string>();
  private draining = false;

  constructor(private readonly deps: ValidatorDeps) {}

  private isAnalysable(doc: TextDocument): boolean {
    return languages.has(doc.languageId);
  }

  /** Re-validate a document after its debounce delay (0 on open); an earlier pending run is dropped. */
  schedule(uri: string, delayMs = this.deps.settings.peek(uri).debounceMs): void {
    this.cancel(uri);
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        this.queue.add(uri);
        void this.drain();
      }, delayMs),
    );
  }

  /** Analysed when the editor's own work is done; a closed file is not debounced. */
  scheduleInBackground(uri: string): void {
    if (!this.isPending(uri)) this.background.add(uri);
    void this.drain();
  }

  /** The document and every file whose analysis can depend on it, open or closed, and only those. */
  scheduleWithDependents(uri: string, delayMs?: number): void {
    this.schedule(uri, delayMs);
    for (const dep of this.dependentsOf(this.deps.files.fileOf(uri))) this.schedule(dep, delayMs);
  }

  /**
   * URIs of the analyses that read `file` last time, and of the workspace files that import it (which may
   * not have been analysed yet, or may import it only since their last analysis).
   */
  dependentsOf(file: string): string[] {
    const { store, files, workspace } = this.deps;
    const out = new Set(store.dependentsOf(file));
    for (const importer of workspace.graph.importersOf(file)) {
      const uri = files.uriOf(importer);
      if (this.deps.documents.get(uri) || workspace.graph.isRelevant(importer)) out.add(uri);
    }
    out.delete(files.uriOf(file));
    return [...out];
  }

  cancel(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    this.queue.delete(uri);
    this.background.delete(uri);
  }

  private isPending(uri: string): boolean {
    return this.timers.has(uri) || this.queue.has(uri) || this.background.has(uri);
  }

  /**
   * The analysis of the document's current text, computed now if the stored one is stale. Pull requests
   * (hover, hints, actions) call this so they never answer from an older version than the one they ask about.
   */
  ensureFresh(uri: string): Snapshot | undefined {
    const doc = this.deps.documents.get(uri);
    const current = this.deps.store.get(uri);
    if (!doc) {
      // A closed file: its disk text changes only through watcher events, which schedule it anew.
      if (current && current.version === null && !this.readsChanged(current.reads)) return current;
      return this.analyzeClosed(uri);
    }
    if (!this.isAnalysable(doc)) return undefined;
    if (current && current.version === doc.version && !this.readsChanged(current.reads)) return current;
    const snapshot = this.analyzeDocument(doc);
    this.deps.store.set(snapshot);
    return snapshot;
  }

  /** A closed workspace file analysed from disk; one that left the index (deleted, no tfjs) is dropped. */
  private analyzeClosed(uri: string): Snapshot | undefined {
    const { files, store, workspace } = this.deps;
    const file = files.fileOf(uri);
    const text = workspace.graph.isRelevant(file) ? readBounded(file) : undefined;
    if (text === undefined) {
      store.delete(uri);
      return undefined;
    }
    const snapshot = this.run(uri, file, null, text);
    store.set(snapshot);
    return snapshot;
  }

  private readsChanged(reads: ReadVersions): boolean {
    for (const [file, version] of reads) if ((this.deps.files.documentOf(file)?.version ?? null) !== version) return true;
    return false;
  }

  private analyzeDocument(doc: TextDocument): Snapshot {
    const file = this.deps.files.fileOf(doc.uri);
    const text = doc.getText();
    // An open file's imports come from its unsaved text, so the graph follows what the user types.
    this.deps.workspace.update(file, text);
    return this.run(doc.uri, file, doc.version, text);
  }

  private run(uri: string, file: string, version: number | null, text: string): Snapshot {
    const reads: ReadVersions = new Map();
    let result: AnalysisResult;
    try {
      result = this.deps.analyze(file, text, this.deps.files.recordingHost(reads));
    } catch (err) {
      // The analyzer is fast-moving code; one bad input must not take the editor's server down.
      this.deps.connection.console.error(`skipcheck: analysis of ${uri} failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      result = emptyResult(file, true);
    }
    if (!result.usesTfjs) result = emptyResult(file, false);
    return { uri, file, version, result, text, reads };
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let uri = this.next(); uri !== undefined; uri = this.next()) {
        try {
          await this.validate(uri);
        } catch (err) {
          this.deps.connection.console.error(`skipcheck: validating ${uri} failed: ${String(err)}`);
        }
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      this.draining = false;
    }
  }

  /** The editor's work first; background analyses only when none waits. */
  private next(): string | undefined {
    for (const set of [this.queue, this.background]) {
      const uri = first(set);
      if (uri === undefined) continue;
      set.delete(uri);
      return uri;
    }
    return undefined;
  }

  private async validate(uri: string): Promise<void> {
    const previous = this.deps.store.get(uri);
    // A closed file is re-read whenever it is scheduled: something it depends on, or its disk text, changed.
    const snapshot = this.deps.documents.get(uri) ? this.ensureFresh(uri) : this.analyzeClosed(uri);
    if (!snapshot) {
      if (previous) await Promise.all([...this.deps.store.targetsOf(previous)].map((t) => this.publish(t)));
      return;
    }
    const targets = new Set([...this.deps.store.targetsOf(previous), ...this.deps.store.targetsOf(snapshot)]);
    await Promise.all([...targets].map((t) => this.publish(t)));
    if (!previous || viewKey(previous.result) !== viewKey(snapshot.result)) this.deps.onResultsChanged();
  }

  /**
   * Publishes what the store knows about `uri` now. Skipped while a newer run for it, or for a document that
   * reads it, is on its way: that run publishes it again, and publishing now would flash a partial list.
   */
  async publish(uri: string): Promise<void> {
    const settings = await this.deps.settings.get(uri);
    const { files, store, documents, connection } = this.deps;
    if (this.isPending(uri) || store.dependentsOf(files.fileOf(uri)).some((d) => this.isPending(d))) return;
    const diagnostics = store
      .findingsFor(files.fileOf(uri))
      .map(({ finding }) => toDiagnostic(finding, settings, files))
      .filter((d) => d !== null);
    if (settings.notAnalysed) diagnostics.push(...store.functionNotesFor(files.fileOf(uri)).map(notAnalysedDiagnostic));
    const open = documents.get(uri) !== undefined;
    if (diagnostics.length > 0) this.shown.add(uri);
    else if (!this.shown.delete(uri) && !open) return;
    await connection.sendDiagnostics({ uri, version: documents.get(uri)?.version, diagnostics });
  }

  /**
   * A document was closed. A workspace file that uses tfjs is analysed again from disk (its callers keep
   * counting for the files they call); any other is forgotten. Either way its own diagnostics are cleared.
   */
  async closed(uri: string): Promise<void> {
    const file = this.deps.files.fileOf(uri);
    const dependents = this.dependentsOf(file);
    this.deps.settings.forget(uri);
    if (this.deps.workspace.contains(file)) {
      // The index saw its unsaved text; the disk text is what counts from now on.
      this.deps.workspace.update(file, readBounded(file));
    }
    if (this.deps.workspace.graph.isRelevant(file)) {
      this.schedule(uri, 0);
    } else {
      await this.forget(uri);
    }
    // They read the closed document's unsaved text; from now on they read the file on disk.
    for (const dep of dependents) this.schedule(dep, 0);
  }

  /** A file changed, appeared or went away on disk (watcher event) while not open in the editor. */
  changedOnDisk(uri: string): void {
    this.scheduleWithDependents(uri, 0);
  }

  /** A closed document's own diagnostics go away; what it put into helpers is re-published without it. */
  async forget(uri: string): Promise<void> {
    this.cancel(uri);
    const previous = this.deps.store.get(uri);
    this.deps.store.delete(uri);
    this.deps.settings.forget(uri);
    for (const target of this.deps.store.targetsOf(previous)) await this.publish(target);
  }
}

function first<T>(set: Set<T>): T | undefined {
  for (const v of set) return v;
  return undefined;
}

function readBounded(file: string): string | undefined {
  try {
    if (statSync(file).size > MAX_FILE_BYTES) return undefined;
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function emptyResult(file: string, usesTfjs: boolean): AnalysisResult {
  return { file, findings: [], models: [], sites: [], entries: [], notes: [], usesTfjs };
}

/** What inlay hints and code lenses show; when it is unchanged the client need not re-ask. */
function viewKey(r: AnalysisResult): string {
  return JSON.stringify([r.sites, r.entries]);
}
