// The latest analysis of each open document, and queries across them by target file. A finding or site can
// live in a different file than the document analysed (a helper imported from a model file), so queries
// gather from every analysis that read the target file at its current version.
import type { AnalysisResult, EntryInfo, Finding, ModelInfo, FunctionNote } from '../analysis';
import type { Files, ReadVersions } from './files';
import { contractsOf, mergeContracts, type ContractView } from './contracts';
import type { SymbolicSite } from './hover';
import { rangeKey } from './ranges';

export interface Snapshot {
  uri: string;
  file: string;
  /** Document version analysed; null for a closed file analysed from disk. */
  version: number | null;
  result: AnalysisResult;
  /** The text analysed, for checking fixes later against the same version. */
  text: string;
  reads: ReadVersions;
}

export class AnalysisStore {
  private readonly snapshots = new Map<string, Snapshot>();

  constructor(private readonly files: Files) {}

  get(uri: string): Snapshot | undefined {
    return this.snapshots.get(uri);
  }

  set(snapshot: Snapshot): void {
    this.snapshots.set(snapshot.uri, snapshot);
  }

  delete(uri: string): void {
    this.snapshots.delete(uri);
  }

  /** Documents whose last analysis read `file` (their results depend on its text). */
  dependentsOf(file: string): string[] {
    return [...this.snapshots.values()].filter((s) => s.file !== file && s.reads.has(file)).map((s) => s.uri);
  }

  /**
   * Every file a snapshot speaks about: its own, those it put findings into (so a re-publish clears files
   * that no longer have any), and the open documents it read (their publishes wait for it).
   */
  targetsOf(snapshot: Snapshot | undefined): Set<string> {
    const targets = new Set<string>();
    if (!snapshot) return targets;
    targets.add(snapshot.uri);
    for (const f of snapshot.result.findings) targets.add(this.files.uriOf(f.file));
    for (const [file, version] of snapshot.reads) if (version !== null) targets.add(this.files.uriOf(file));
    return targets;
  }

  /**
   * Snapshots that speak about `file` with its current text: the version each read (or, for the file's own
   * analysis, the version analysed) must equal the open document's version now. Stale ones are skipped; the
   * change that made them stale has scheduled their re-analysis.
   */
  private currentFor(file: string): { snapshot: Snapshot; version: number | null }[] {
    const doc = this.files.documentOf(file);
    const now = doc ? doc.version : null;
    const out: { snapshot: Snapshot; version: number | null }[] = [];
    for (const s of this.snapshots.values()) {
      const seen = s.file === file ? s.version : s.reads.get(file);
      if (seen === undefined) continue;
      if (seen === now) out.push({ snapshot: s, version: now });
    }
    return out;
  }

  /**
   * Findings in `file`, one per distinct rule+range+message (two documents importing one helper agree). A
   * finding from the helper analysed alone (symbolic) gives way to one at the same place from a caller.
   */
  findingsFor(file: string): { finding: Finding; snapshot: Snapshot }[] {
    const seen = new Set<string>();
    const out: { finding: Finding; snapshot: Snapshot }[] = [];
    for (const { snapshot } of this.currentFor(file)) {
      for (const finding of snapshot.result.findings) {
        if (finding.file !== file) continue;
        const key = `${finding.rule}|${rangeKey(finding.range)}|${finding.message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ finding, snapshot });
      }
    }
    const concrete = new Set(out.filter((x) => !x.finding.symbolic).map((x) => `${x.finding.rule}|${rangeKey(x.finding.range)}`));
    return out.filter((x) => !x.finding.symbolic || !concrete.has(`${x.finding.rule}|${rangeKey(x.finding.range)}`));
  }

  /**
   * Sites in `file`; one site seen by several analyses (a helper analysed alone and from its importer)
   * becomes one, with the call contexts of all of them.
   */
  sitesFor(file: string): SymbolicSite[] {
    const merged = new Map<string, SymbolicSite>();
    for (const { snapshot } of this.currentFor(file)) {
      for (const site of snapshot.result.sites as SymbolicSite[]) {
        if (site.file !== file) continue;
        const key = `${site.kind}|${rangeKey(site.range)}`;
        const prev = merged.get(key);
        if (!prev) {
          merged.set(key, site);
          continue;
        }
        merged.set(key, {
          ...prev,
          shapes: [...prev.shapes, ...site.shapes],
          paramCounts: [...prev.paramCounts, ...site.paramCounts],
          operandShapes: prev.operandShapes || site.operandShapes ? [...(prev.operandShapes ?? []), ...(site.operandShapes ?? [])] : undefined,
          inputShapes: concatOptional(prev.inputShapes, site.inputShapes),
          symbolicShapes: concatOptional(prev.symbolicShapes, site.symbolicShapes),
          symbolicOperandShapes: concatOptional(prev.symbolicOperandShapes, site.symbolicOperandShapes),
          storedIn: prev.storedIn ?? site.storedIn,
        });
      }
    }
    return [...merged.values()];
  }

  /**
   * Functions in `file` the analyzer could not follow. One that some analysis did follow (a caller's run
   * reached it with other arguments) still counts as not followed where it failed: the reasons are merged.
   */
  functionNotesFor(file: string): FunctionNote[] {
    const byPlace = new Map<string, FunctionNote>();
    for (const { snapshot } of this.currentFor(file)) {
      for (const n of snapshot.result.functionNotes ?? []) {
        if (n.file !== file) continue;
        const key = rangeKey(n.range);
        const prev = byPlace.get(key);
        if (!prev) byPlace.set(key, n);
        else if (!prev.reason.split('; ').includes(n.reason)) byPlace.set(key, { ...prev, reason: `${prev.reason}; ${n.reason}` });
      }
    }
    return [...byPlace.values()];
  }

  /** Contracts of the functions in `file`, from every current analysis that derived one. */
  contractsFor(file: string): ContractView[] {
    const all = this.currentFor(file).flatMap(({ snapshot }) => contractsOf(snapshot.result));
    return mergeContracts(all.filter((c) => c.file === file));
  }

  /** Models created in `file` (a builder's tf.model call), one per distinct model across analyses. */
  modelsFor(file: string): ModelInfo[] {
    const seen = new Set<string>();
    const out: ModelInfo[] = [];
    for (const { snapshot } of this.currentFor(file)) {
      for (const m of snapshot.result.models) {
        const key = JSON.stringify(m);
        if (m.file !== file || seen.has(key)) continue;
        seen.add(key);
        out.push(m);
      }
    }
    return out;
  }

  /** Models built in `file` by functions analysed without a caller (symbolic sizes), for hovers. */
  symbolicModelsFor(file: string): ModelInfo[] {
    const seen = new Set<string>();
    const out: ModelInfo[] = [];
    for (const { snapshot } of this.currentFor(file)) {
      for (const m of snapshot.result.symbolicModels ?? []) {
        const key = JSON.stringify(m);
        if (m.file !== file || seen.has(key)) continue;
        seen.add(key);
        out.push(m);
      }
    }
    return out;
  }

  /** Models built by this file's entries (wherever their tf.model call is), for the ablation lens. */
  entryModelsFor(uri: string): ModelInfo[] {
    const s = this.snapshots.get(uri);
    return s ? s.result.models.filter((m) => m.entry !== undefined) : [];
  }

  /** Entries are trained from their own file, so only that file's analysis lists them. */
  entriesFor(uri: string): EntryInfo[] {
    const s = this.snapshots.get(uri);
    return s ? s.result.entries.filter((e) => e.file === s.file) : [];
  }

  all(): Snapshot[] {
    return [...this.snapshots.values()];
  }
}

/** Both lists' items, each distinct once; absent when neither has any. */
function concatOptional<T>(a: T[] | undefined, b: T[] | undefined): T[] | undefined {
  if (!a && !b) return undefined;
  const out = new Map<string, T>();
  for (const x of [...(a ?? []), ...(b ?? [])]) out.set(JSON.stringify(x), x);
  return [...out.values()];
}
