// Keeps diagnostics in step with the text: debounced per document, newest text only, one document at a time
// with a turn of the event loop between them so a burst of edits in one file never starves another.
import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalysisResult, analyze } from '../analysis';
import { toDiagnostic } from './diagnostics';
import type { Files, ReadVersions } from './files';
import type { SettingsCache } from './settings';
import type { AnalysisStore, Snapshot } from './store';

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
}

export class Validator {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly queue = new Set<string>();
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

  /** The document and every open document whose analysis read it. */
  scheduleWithDependents(uri: string, delayMs?: number): void {
    this.schedule(uri, delayMs);
    for (const dep of this.deps.store.dependentsOf(this.deps.files.fileOf(uri))) this.schedule(dep, delayMs);
  }

  cancel(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    this.queue.delete(uri);
  }

  private isPending(uri: string): boolean {
    return this.timers.has(uri) || this.queue.has(uri);
  }

  /**
   * The analysis of the document's current text, computed now if the stored one is stale. Pull requests
   * (hover, hints, actions) call this so they never answer from an older version than the one they ask about.
   */
  ensureFresh(uri: string): Snapshot | undefined {
    const doc = this.deps.documents.get(uri);
    if (!doc || !this.isAnalysable(doc)) return undefined;
    const current = this.deps.store.get(uri);
    if (current && current.version === doc.version && !this.readsChanged(current.reads)) return current;
    const snapshot = this.analyzeDocument(doc);
    this.deps.store.set(snapshot);
    return snapshot;
  }

  private readsChanged(reads: ReadVersions): boolean {
    for (const [file, version] of reads) if ((this.deps.files.documentOf(file)?.version ?? null) !== version) return true;
    return false;
  }

  private analyzeDocument(doc: TextDocument): Snapshot {
    const file = this.deps.files.fileOf(doc.uri);
    const reads: ReadVersions = new Map();
    let result: AnalysisResult;
    try {
      result = this.deps.analyze(file, doc.getText(), this.deps.files.recordingHost(reads));
    } catch (err) {
      // The analyzer is fast-moving code; one bad input must not take the editor's server down.
      this.deps.connection.console.error(`skipcheck: analysis of ${doc.uri} failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      result = emptyResult(file, true);
    }
    if (!result.usesTfjs) result = emptyResult(file, false);
    return { uri: doc.uri, file, version: doc.version, result, text: doc.getText(), reads };
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let uri = first(this.queue); uri !== undefined; uri = first(this.queue)) {
        this.queue.delete(uri);
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

  private async validate(uri: string): Promise<void> {
    const previous = this.deps.store.get(uri);
    const snapshot = this.ensureFresh(uri);
    if (!snapshot) return;
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
    await connection.sendDiagnostics({ uri, version: documents.get(uri)?.version, diagnostics });
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

function emptyResult(file: string, usesTfjs: boolean): AnalysisResult {
  return { file, findings: [], models: [], sites: [], entries: [], notes: [], usesTfjs };
}

/** What inlay hints and code lenses show; when it is unchanged the client need not re-ask. */
function viewKey(r: AnalysisResult): string {
  return JSON.stringify([r.sites, r.entries]);
}
