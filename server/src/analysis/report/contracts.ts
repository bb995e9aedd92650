// The symbolic phase of an analysis: runs every function of the file that the concrete entry points did not
// already run, with symbols for its parameters, and turns what its merges needed into contracts.
import type * as ts from 'typescript';
import { tsApi } from '../syntax/tsApi';
import type { Interpreter } from '../interp/interpreter';
import type { ModuleRecord } from '../interp/modules';
import type { Application } from '../graph/graph';
import { mergeCheck } from '../layers';
import { rangeOf } from '../syntax/text';
import type { ContractCondition, ContractInfo, FunctionNote, Shape, SymbolInfo } from '../types';
import { MAX_PATHS, nestedEntries, runPaths, symbolicEntries, type SymbolicEntry } from '../interp/symbolicEntries';
import { condText, evalCond, le, negate, type Cond } from '../symbolic/cond';
import { symField } from '../symbolic/config';
import { withFacts } from '../symbolic/context';
import { failingOnEveryPath } from '../interp/symbolicSession';
import { symbolsOf } from '../symbolic/expr';

export interface SymbolicOutcome {
  contracts: ContractInfo[];
  functionNotes: FunctionNote[];
  /** Entry name per function node, for contracts and notes. */
  entries: SymbolicEntry[];
  contractOf: ReadonlyMap<SymbolicEntry, ContractInfo>;
}

/** What an earlier analysis found for one entry, given back instead of running it again. */
export interface ReusedEntry { notes: string[]; functionNotes: FunctionNote[]; contract?: ContractInfo }

/** Lets a cache of earlier results (functionCache.ts) skip entries and watch the ones that run. */
export interface SymbolicHooks {
  reuse(e: SymbolicEntry): ReusedEntry | undefined;
  before(e: SymbolicEntry): void;
  after(e: SymbolicEntry, functionNotes: FunctionNote[]): void;
}

/**
 * `guard` runs one path with a fresh budget and turns the analyzer's own stops (budget, a throw) into a
 * note; it returns that note's reason, if any.
 */
export function runSymbolicPhase(it: Interpreter, mod: ModuleRecord, concrete: ReadonlySet<ts.Node>,
  guard: (what: string, f: () => void) => string | undefined, hooks?: SymbolicHooks): SymbolicOutcome {
  const entries = symbolicEntries(it, mod, concrete);
  const functionNotes: FunctionNote[] = [];
  const skipped: string[] = [];
  const reused = new Map<SymbolicEntry, ReusedEntry>();
  const done = new Set<ts.Node>([...concrete, ...entries.map((e) => e.node)]);
  // Nested functions nothing called show up while their enclosing functions run: a few rounds catch nesting.
  for (let i = 0, round = 0; round < 4; round++) {
    for (; i < entries.length; i++) {
      const e = entries[i];
      const earlier = hooks?.reuse(e);
      if (earlier) {
        reused.set(e, earlier);
        it.notes.push(...earlier.notes);
        functionNotes.push(...earlier.functionNotes);
        continue;
      }
      // Once the file's steps are spent each run would stop at its first step: say so once per function
      // instead of paying a run (and a note) per path.
      if (it.budgetSpent()) {
        skipped.push(e.name);
        functionNotes.push({ function: e.name, file: mod.file, range: nameRange(e.node), reason: NOT_RUN });
        continue;
      }
      hooks?.before(e);
      const reasons = new Set<string>();
      const left = runPaths(it, e, (run) => { const r = guard(e.name, run); if (r) reasons.add(r); });
      if (left > 0) reasons.add(`only ${MAX_PATHS} of its paths were followed`);
      it.symbolic.run.complete = reasons.size === 0 && !e.conditional;
      const own = [...reasons].map((reason) => ({ function: e.name, file: mod.file, range: nameRange(e.node), reason }));
      functionNotes.push(...own);
      hooks?.after(e, own);
    }
    const nested = nestedEntries(it, mod, done);
    if (nested.length === 0) break;
    entries.push(...nested);
  }
  if (skipped.length) it.notes.push(`${skipped.length} function${skipped.length > 1 ? 's' : ''} not analysed (${SPENT}): ${skipped.join(', ')}`);
  const fresh = contractsOf(it, entries, mod);
  const byEntry = new Map<SymbolicEntry, ContractInfo>();
  for (const e of entries) {
    const c = reused.has(e) ? reused.get(e)!.contract : fresh.get(e);
    if (c) byEntry.set(e, c);
  }
  return { contracts: [...byEntry.values()], functionNotes, entries, contractOf: byEntry };
}

const SPENT = 'the step budget of the file was spent by earlier code';
const NOT_RUN = `not analysed: ${SPENT}`;

export function nameRange(node: ts.FunctionLikeDeclaration) {
  const sf = node.getSourceFile();
  const target = node.name ?? (tsApi.isVariableDeclaration(node.parent) ? node.parent.name : undefined) ??
    (tsApi.isConstructorDeclaration(node) ? node.getFirstToken(sf) : undefined) ?? node;
  return rangeOf(sf, target);
}

/**
 * `a == b` as users would write the requirement: ⌈H/s⌉ == H (a size kept by a strided window) is
 * `s == 1` for the sizes that matter (H ≥ 2).
 */
function equalityText(a: unknown, b: unknown): string {
  for (const [x, y] of [[a, b], [b, a]]) {
    const m = typeof x === 'string' && typeof y === 'string' ? /^⌈(.+)\/([^/⌉]+)⌉$/.exec(x) : null;
    if (m && m[1] === y) return `${m[2]} == 1`;
  }
  return `${String(a)} == ${String(b)}`;
}

const conj = (cs: Cond[]): Cond => (cs.length === 1 ? cs[0] : { kind: 'and', cs });
const joinWhen = (cs: Cond[]): string | undefined => (cs.length ? cs.map(condText).join(' && ') : undefined);

/**
 * Per function: the undecided equalities its merges need, and — for a merge that fails for every value on
 * a path that assumed something — the negation of that path's assumptions.
 */
function contractsOf(it: Interpreter, entries: SymbolicEntry[], mod: ModuleRecord): Map<SymbolicEntry, ContractInfo> {
  const byRoot = new Map<string, ContractCondition[]>();
  const seen = new Set<string>();
  // A merge that fails on every path is a finding (rules/symbolic.ts), not a condition on the arguments.
  const everyPath = new Set(failingOnEveryPath([...it.symbolic.apps.keys()], it.symbolic.apps));
  for (const [app, info] of it.symbolic.apps) {
    if ((app.layer.spec?.kind !== 'merge' && app.layer.className !== 'BatchNormalization') || everyPath.has(app)) continue;
    const when = joinWhen(info.assumptions);
    const add = (text: string, whenText: string | undefined) => {
      const key = `${info.root}|${text}|${whenText}|${app.at.node.pos}`;
      if (seen.has(key)) return;
      seen.add(key);
      const list = byRoot.get(info.root) ?? [];
      list.push({ text, ...(whenText ? { when: whenText } : {}), file: app.at.file, range: rangeOf(app.at.sf, app.at.node) });
      byRoot.set(info.root, list);
    };
    if (app.layer.className === 'BatchNormalization') {
      // The normalised axis must exist: tfjs's build reads that axis's size for the weights.
      const axis = symField(app.layer.config, 'axis');
      const rank = app.inputs[0]?.shape?.length;
      if (axis === undefined || !rank) continue;
      const c = le(axis, rank - 1).cond;
      if (evalCond(c, info.facts) === undefined && !symbolsOf(axis).some((n) => it.symbolic.generic.has(n))) add(condText(c), when);
      continue;
    }
    // Conditions on a widened loop's counter are not the function's to meet: unknown, never a contract.
    for (const [a, b] of info.conditions) {
      if ([a, b].some((d) => typeof d === 'string' && symbolsOf(d).some((n) => it.symbolic.generic.has(n)))) continue;
      add(equalityText(a, b), when);
    }
    if (info.assumptions.length > 0 && app.error && provenOnPath(app, info.facts)) add(condText(negate(conj(info.assumptions))), undefined);
  }
  const out = new Map<SymbolicEntry, ContractInfo>();
  for (const e of entries) {
    const requires = byRoot.get(e.name);
    if (requires?.length) out.set(e, { function: e.name, file: mod.file, range: nameRange(e.node), requires });
  }
  return out;
}

/** The merge fails on this path for every admissible value (not just because a dim is unknown). */
function provenOnPath(app: Application, facts: import('../symbolic/expr').Facts): boolean {
  const shapes = app.inputs.map((t) => t.shape);
  if (shapes.some((s) => !s)) return false;
  const check = withFacts(facts, () => mergeCheck(app.layer.className, app.layer.config, shapes as Shape[]));
  return !check.ok && check.mismatchedAxes.length > 0;
}

/** Every symbol mentioned by contracts and symbolic shapes, with what kind of source it names. */
export function symbolTable(names: Iterable<string>, fnOf: (name: string) => string, flags: ReadonlySet<string> = new Set()): SymbolInfo[] {
  const out = new Map<string, SymbolInfo>();
  for (const n of names) {
    for (const s of symbolsOf(n)) {
      if (out.has(s)) continue;
      const kind = flags.has(s) ? 'flag' : /\.shape\[\d+\]$/.test(s) ? 'tensor-dim' : /\[\d+\]$/.test(s) ? 'array-item' : s.includes('.') ? 'field' : 'number';
      out.set(s, { name: s, kind, function: fnOf(s) });
    }
  }
  return [...out.values()];
}
