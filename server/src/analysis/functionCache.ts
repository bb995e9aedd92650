// Reuse across analyses of one file: the language server analyses a file on every keystroke, and every
// function in it is run symbolically, though a keystroke changes one function. A function whose run (with
// those of the functions analysed together with it, see below) depended only on code that did not change
// gives back what it gave last time: findings, sites (hovers), contracts, notes. The result is the one a
// from-scratch analysis gives; test/analysis/functionCache.test.ts compares the two edit by edit.
//
// What a symbolic run depends on, and how each is checked:
// - the code it ran: the top-level statements of the functions and classes it entered and of every layer,
//   application and tensor it made, each compared by its text *and* its line and column (a finding's range
//   and any "at line N" in a message stay true only if nothing moved; an edit that adds or removes a line
//   re-runs what is below it);
// - the module state the concrete phase left: the same when the file's other top-level code (imports,
//   constants, calls at the top level), the names it declares, the statements the concrete phase ran and
//   every imported file are unchanged;
// - the state earlier symbolic runs left: a run that changes anything reachable from a module scope
//   (a module-level array pushed to, a layer made at the top level applied again) turns the cache off;
// - the step budget: used only while the whole analysis stays far from the file's cap, so no run was cut
//   by what the others spent.
// Functions whose runs share code (a helper and the blocks that call it) form one component: shapes at the
// helper's lines come from all of them, so they are reused or re-run together. A component that the
// concrete phase also reached is always re-run.
import type * as ts from 'typescript';
import { tsApi } from './syntax/tsApi';
import type { Interpreter } from './interp/interpreter';
import type { ModuleRecord } from './interp/modules';
import type { SymbolicEntry } from './interp/symbolicEntries';
import type { ReusedEntry, SymbolicHooks } from './report/contracts';
import { ClassValue, Fn, Obj, type Value } from './interp/values';
import { LayerInstance, ModelRecord, TensorNode, type SourceRef } from './graph/graph';
import type { Scope } from './interp/scope';
import type { AnalysisCache, ContractInfo, Finding, ModelInfo, SiteInfo } from './types';
import { alternativesOf, markAlternatives } from './fixes/verify';

interface EntryRecord extends ReusedEntry { steps: number }

interface Component {
  /** Statement keys (see statementKey) of everything its entries ran or built at. */
  stmts: Set<string>;
  entries: string[];
  sites: SiteInfo[];
  /** As attachFixes made them (before disable comments), with which fixes are alternatives. */
  findings: { finding: Finding; alternatives: number[][] }[];
  /** Models its builders made with symbolic sizes (hovers). */
  models: ModelInfo[];
}

interface CacheState {
  file: string;
  maxSteps: number;
  /** The file's code outside function and class bodies, imported files, what the concrete phase ran. */
  context: string;
  entries: Map<string, EntryRecord>;
  componentOf: Map<string, Component>;
}

/** More module-state values than this and the state is not compared (the cache stays off). */
const MAX_STATE_VALUES = 50_000;

/** One analysis's use of an AnalysisCache; analyze.ts drives it. */
export class FunctionCache {
  private readonly keys = new Map<ts.Node, string>();
  private previous: CacheState | undefined;
  private context = '';
  private concreteStmts = new Set<string>();
  private usable = new Set<Component>();
  private readonly reused = new Set<Component>();
  private readonly reusedStmts = new Set<string>();
  private reusedSteps = 0;
  private state0: unknown[] | undefined;
  /** Set when the results cannot be cached (or reused ones cannot be trusted): module state changed, etc. */
  private spoiled = false;
  private readonly fresh = new Map<SymbolicEntry, { record: EntryRecord; stmts: Set<string> }>();
  private mark = { steps: 0, notes: 0, layers: 0, apps: 0, throws: 0, models: 0, tensorVars: 0 };
  private entries: SymbolicEntry[] = [];

  constructor(private readonly it: Interpreter, private readonly mod: ModuleRecord, private readonly cache: AnalysisCache,
    private readonly maxSteps: number, private readonly pathBudget: number) {
    const s = cache.state as CacheState | undefined;
    if (s && s.file === mod.file && s.maxSteps === maxSteps) this.previous = s;
    it.touched = new Set();
  }

  /** After the top level and the concrete entry points ran: what they touched, and which components still hold. */
  afterConcrete(graphMark: { layers: number; apps: number; throws: number; models: number; tensorVars: number }): void {
    const it = this.it;
    for (const n of it.touched!) this.concreteStmts.add(this.statementKey(n));
    for (const r of this.refsSince(graphMark)) this.concreteStmts.add(this.statementKey(r.node));
    it.touched!.clear();
    this.context = this.contextKey();
    this.state0 = this.moduleState();
    if (!this.state0) this.spoiled = true;
    const prev = this.previous;
    if (!prev || prev.context !== this.context || this.spoiled) return;
    const current = new Set<string>();
    for (const m of it.modules.values()) for (const st of m.sf.statements) current.add(this.statementKey(st));
    for (const c of new Set(prev.componentOf.values())) {
      if ([...c.stmts].every((k) => current.has(k) && !this.concreteStmts.has(k))) this.usable.add(c);
    }
  }

  readonly hooks: SymbolicHooks = {
    reuse: (e) => {
      this.entries.push(e);
      const key = this.entryKey(e);
      const c = this.previous?.componentOf.get(key);
      if (!c || !this.usable.has(c)) return undefined;
      const record = this.previous!.entries.get(key)!;
      if (!this.reused.has(c)) {
        this.reused.add(c);
        for (const k of c.stmts) this.reusedStmts.add(k);
      }
      this.reusedSteps += record.steps;
      return record;
    },
    before: () => {
      const g = this.it.graph;
      this.mark = { steps: this.it.stepsUsed, notes: this.it.notes.length, layers: g.layers.length, apps: g.apps.length,
        throws: g.throws.length, models: g.models.length, tensorVars: this.it.tensorVars.length };
    },
    after: (e, functionNotes) => {
      const it = this.it;
      const stmts = new Set<string>([this.statementKey(e.node)]);
      for (const n of it.touched!) stmts.add(this.statementKey(n));
      it.touched!.clear();
      for (const r of this.refsSince(this.mark)) stmts.add(this.statementKey(r.node));
      const record: EntryRecord = { steps: it.stepsUsed - this.mark.steps, notes: it.notes.slice(this.mark.notes), functionNotes };
      this.fresh.set(e, { record, stmts });
      if (!this.spoiled && !sameState(this.state0!, this.moduleState())) this.spoiled = true;
    },
  };

  /** False when reused results cannot be trusted: the caller analyses again from scratch. */
  consistent(): boolean {
    if (this.reused.size === 0) return true;
    if (this.spoiled || !this.withinBudget()) return false;
    for (const { stmts } of this.fresh.values()) for (const k of stmts) if (this.reusedStmts.has(k)) return false;
    return true;
  }

  /** Forgets everything cached (before a from-scratch analysis after an inconsistent reuse). */
  reset(): AnalysisCache {
    this.cache.state = undefined;
    this.cache.reused = 0;
    this.it.touched = undefined;
    return this.cache;
  }

  /** The fresh sites plus those of reused components. */
  sites(fresh: SiteInfo[]): SiteInfo[] {
    return [...fresh, ...[...this.reused].flatMap((c) => c.sites)];
  }

  /** The fresh symbolic models plus those of reused components. */
  symbolicModels(fresh: ModelInfo[]): ModelInfo[] {
    return [...fresh, ...[...this.reused].flatMap((c) => c.models ?? [])];
  }

  /** The fresh findings plus copies of those of reused components, in runRules' order. */
  findings(fresh: Finding[]): Finding[] {
    const copies = [...this.reused].flatMap((c) => c.findings.map(copyFinding));
    if (copies.length === 0) return fresh;
    return [...fresh, ...copies].sort(findingOrder);
  }

  /**
   * Keeps what this analysis found, per component, for the next one. `sites` and `findings` are the fresh
   * ones (not those given back from the cache); contracts per entry.
   */
  store(sites: SiteInfo[], findings: Finding[], contractOf: ReadonlyMap<SymbolicEntry, ContractInfo>, symbolicModels: ModelInfo[] = []): void {
    this.it.touched = undefined;
    this.cache.reused = 0;
    if (this.spoiled || !this.withinBudget()) { this.cache.state = undefined; return; }
    const state: CacheState = { file: this.mod.file, maxSteps: this.maxSteps, context: this.context, entries: new Map(), componentOf: new Map() };
    for (const c of this.reused) {
      for (const k of c.entries) {
        state.componentOf.set(k, c);
        state.entries.set(k, this.previous!.entries.get(k)!);
      }
    }
    // Components of the entries that ran: entries sharing a statement (or a name: contracts are per name).
    const groups = new UnionFind<SymbolicEntry>();
    const byStmt = new Map<string, SymbolicEntry>();
    const byName = new Map<string, SymbolicEntry>();
    for (const [e, { stmts }] of this.fresh) {
      groups.add(e);
      for (const k of stmts) { const o = byStmt.get(k); if (o) groups.union(o, e); else byStmt.set(k, e); }
      const o = byName.get(e.name);
      if (o) groups.union(o, e); else byName.set(e.name, e);
    }
    // Functions created inside this code become entries of their own only when a run of it creates them
    // (and across the whole file, up to a bound): code that creates closures is always run.
    const closures = new Set([...this.it.symbolic.closures.keys()].map((n) => this.statementKey(n)));
    const owner = new Map<string, Component>();
    for (const members of groups.sets()) {
      const stmts = new Set(members.flatMap((e) => [...this.fresh.get(e)!.stmts]));
      if ([...stmts].some((k) => this.concreteStmts.has(k) || closures.has(k))) continue;
      const ordered = this.entries.filter((e) => members.includes(e));
      const c: Component = { stmts, entries: ordered.map((e) => this.entryKey(e)), sites: [], findings: [], models: [] };
      for (const e of ordered) {
        const key = this.entryKey(e);
        state.componentOf.set(key, c);
        state.entries.set(key, { ...this.fresh.get(e)!.record, ...(contractOf.has(e) ? { contract: contractOf.get(e) } : {}) });
      }
      for (const k of stmts) owner.set(k, c);
    }
    const locate = this.locator();
    for (const s of sites) owner.get(locate(s.file, s.range.start))?.sites.push(s);
    for (const m of symbolicModels) owner.get(locate(m.file, m.range.start))?.models.push(m);
    for (const f of findings) owner.get(locate(f.file, f.range.start))?.findings.push({ finding: copyFinding({ finding: f, alternatives: [] }), alternatives: alternativeIndexes(f) });
    this.cache.state = state;
    this.cache.reused = [...this.reused].reduce((n, c) => n + c.entries.length, 0);
  }

  // ------------------------------------------------------------------------------------------ internals

  /** Far from the file's cap: no run was cut short by what the others spent, in this order or any other. */
  private withinBudget(): boolean {
    return this.it.stepsUsed + this.reusedSteps + this.maxSteps * this.pathBudget < this.it.stepCap / 2;
  }

  /** A top-level statement as it stands: file, line and column of its first token, text. */
  private statementKey(node: ts.Node): string {
    let st = node;
    while (st.parent && !tsApi.isSourceFile(st.parent)) st = st.parent;
    let k = this.keys.get(st);
    if (k === undefined) {
      const sf = st.getSourceFile();
      const start = st.getStart(sf);
      const p = sf.getLineAndCharacterOfPosition(start);
      k = `${sf.fileName}\u0000${p.line}:${p.character}\u0000${sf.text.slice(start, st.end)}`;
      this.keys.set(st, k);
    }
    return k;
  }

  /** An entry by its statement, name and place in the statement (two methods may share a name). */
  private entryKey(e: SymbolicEntry): string {
    const sf = e.node.getSourceFile();
    return `${this.statementKey(e.node)}\u0001${e.name}\u0001${e.node.getStart(sf) - statementOf(e.node).getStart(sf)}`;
  }

  /** Where graph objects made since `mark` were made. */
  private *refsSince(mark: { layers: number; apps: number; throws: number; models: number; tensorVars: number }): Iterable<SourceRef> {
    const g = this.it.graph;
    for (const l of g.layers.slice(mark.layers)) yield l.created;
    for (const a of g.apps.slice(mark.apps)) yield a.at;
    for (const t of g.throws.slice(mark.throws)) yield t.at;
    for (const m of g.models.slice(mark.models)) yield m.created;
    for (const v of this.it.tensorVars.slice(mark.tensorVars)) yield v.at;
  }

  /**
   * Everything the concrete phase depends on: this file's statements other than function and class
   * declarations (those by name only), other files' text, the statements the concrete phase ran.
   */
  private contextKey(): string {
    const parts: string[] = [];
    for (const st of this.mod.sf.statements) parts.push(declaredOnly(st) ?? this.statementKey(st));
    for (const m of this.it.modules.values()) if (m !== this.mod) parts.push(`${m.file}\u0000${m.sf.text}`);
    parts.push(...[...this.concreteStmts].sort());
    return parts.join('\u0002');
  }

  /** Every value reachable from the module scopes, in a fixed order; undefined when there are too many. */
  private moduleState(): unknown[] | undefined {
    const out: unknown[] = [];
    const seen = new Set<unknown>();
    const scopes = new Set<Scope>([this.it.globals, ...[...this.it.modules.values()].map((m) => m.scope)]);
    const visitScope = (s: Scope) => { for (const [name, v] of s.own()) { out.push(name); visit(v); } };
    const visit = (v: Value): void => {
      out.push(v);
      if (typeof v !== 'object' || v === null || seen.has(v) || out.length > MAX_STATE_VALUES) return;
      seen.add(v);
      if (Array.isArray(v)) { out.push(v.length); for (const x of v) visit(x); }
      else if (v instanceof Obj) { out.push(v.props.size); for (const [k, x] of v.props) { out.push(k); visit(x); } }
      else if (v instanceof ClassValue) { out.push(v.statics.size); for (const [k, x] of v.statics) { out.push(k); visit(x); } }
      else if (v instanceof Fn) {
        // A closure's own variables (a counter kept by a factory) are state too.
        for (let s: Scope | undefined = v.scope; s && !scopes.has(s) && !seen.has(s); s = s.parent) { seen.add(s); visitScope(s); }
      } else if (v instanceof LayerInstance) out.push(v.apps.length, v.paramCount);
      else if (v instanceof TensorNode) out.push(v.consumers.length, v.shape, v.recovered);
      else if (v instanceof ModelRecord) out.push(v.layers.length, v.incomplete, v.seqOutput);
    };
    for (const s of scopes) visitScope(s);
    return out.length > MAX_STATE_VALUES ? undefined : out;
  }

  /** Statement key of a position in a loaded file. */
  private locator(): (file: string, pos: { line: number; character: number }) => string {
    const byFile = new Map<string, ts.SourceFile>();
    for (const m of this.it.modules.values()) byFile.set(m.file, m.sf);
    return (file, p) => {
      const sf = byFile.get(file);
      if (!sf) return '';
      const at = sf.getPositionOfLineAndCharacter(p.line, p.character);
      const sts = sf.statements;
      let lo = 0;
      let hi = sts.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (sts[mid].end <= at) lo = mid + 1;
        else if (sts[mid].getStart(sf) > at) hi = mid - 1;
        else return this.statementKey(sts[mid]);
      }
      return '';
    };
  }
}

function statementOf(node: ts.Node): ts.Node {
  let st = node;
  while (st.parent && !tsApi.isSourceFile(st.parent)) st = st.parent;
  return st;
}

/**
 * For a function or class declaration, or a statement binding only function expressions: the names it
 * declares (running the top level only binds them). Undefined for any other statement, and for classes
 * whose declaration runs code at the top level (static members, decorators, a computed base).
 */
function declaredOnly(st: ts.Statement): string | undefined {
  if (tsApi.isFunctionDeclaration(st)) return `function ${st.name?.text ?? 'default'} ${modifiersOf(st)}`;
  if (tsApi.isClassDeclaration(st)) {
    const quiet = !st.members.some((m) => tsApi.canHaveModifiers(m) && tsApi.getModifiers(m)?.some((x) => x.kind === tsApi.SyntaxKind.StaticKeyword)) &&
      !st.members.some((m) => m.kind === tsApi.SyntaxKind.ClassStaticBlockDeclaration) &&
      !(st.modifiers ?? []).some((m) => m.kind === tsApi.SyntaxKind.Decorator) &&
      !st.members.some((m) => m.name !== undefined && tsApi.isComputedPropertyName(m.name)) &&
      (st.heritageClauses ?? []).every((h) => h.types.every((t) => tsApi.isIdentifier(t.expression)));
    return quiet ? `class ${st.name?.text ?? 'default'} ${modifiersOf(st)} ${(st.heritageClauses ?? []).map((h) => h.getText()).join(' ')}` : undefined;
  }
  if (tsApi.isVariableStatement(st) && st.declarationList.declarations.every((d) => tsApi.isIdentifier(d.name) && d.initializer &&
    (tsApi.isArrowFunction(d.initializer) || tsApi.isFunctionExpression(d.initializer)))) {
    return `${st.declarationList.flags & tsApi.NodeFlags.BlockScoped} ${st.declarationList.declarations.map((d) => (d.name as ts.Identifier).text).join(',')} ${modifiersOf(st)}`;
  }
  return undefined;
}

function modifiersOf(st: ts.Statement): string {
  return (tsApi.canHaveModifiers(st) ? tsApi.getModifiers(st) ?? [] : []).map((m) => m.kind).join(',');
}

function sameState(a: unknown[], b: unknown[] | undefined): boolean {
  if (!b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** Which of a finding's fixes are alternatives to each other (verification keeps the first that works). */
function alternativeIndexes(f: Finding): number[][] {
  const groups: number[][] = [];
  const done = new Set<readonly Fix[]>();
  for (const fix of f.fixes) {
    const alts = alternativesOf(fix);
    if (!alts || done.has(alts)) continue;
    done.add(alts);
    groups.push(alts.map((a) => f.fixes.indexOf(a)).filter((i) => i >= 0));
  }
  return groups;
}

type Fix = Finding['fixes'][number];

/** A copy a host may change (verification filters fixes and marks the preferred one). */
function copyFinding(c: { finding: Finding; alternatives: number[][] }): Finding {
  const fixes = c.finding.fixes.map((fx) => ({ ...fx }));
  for (const g of c.alternatives) markAlternatives(g.map((i) => fixes[i]));
  return { ...c.finding, fixes };
}

/** runRules' order: file, then start position. */
function findingOrder(a: Finding, b: Finding): number {
  return a.file.localeCompare(b.file) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

class UnionFind<T> {
  private readonly parent = new Map<T, T>();
  add(x: T): void { if (!this.parent.has(x)) this.parent.set(x, x); }
  find(x: T): T {
    let r = x;
    while (this.parent.get(r) !== r) r = this.parent.get(r)!;
    this.parent.set(x, r);
    return r;
  }
  union(a: T, b: T): void { this.parent.set(this.find(a), this.find(b)); }
  sets(): T[][] {
    const out = new Map<T, T[]>();
    for (const x of this.parent.keys()) {
      const r = this.find(x);
      out.set(r, [...(out.get(r) ?? []), x]);
    }
    return [...out.values()];
  }
}
