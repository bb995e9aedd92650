// The state of one symbolic run (one function analysed with its parameters as symbols, along one path):
// which function, which branch directions were taken, what the path assumes about the symbols, and what
// each layer application on the path needed. The driver (symbolic/entries.ts) replays the function once per
// path, with the decisions of the previous run up to a point and the other direction there.
import type * as ts from 'typescript';
import type { Application, ModelRecord } from '../graph/graph';
import type { Fn } from './values';
import type { Dim } from '../types';
import { type Cond, type SymCond, evalCond, namesOf, not as notCond } from '../symbolic/cond';
import type { Facts, SymDim } from '../symbolic/expr';
import { setCurrentFacts, withFacts } from '../symbolic/context';
import { mergeCheck } from '../layers';
import type { Shape } from '../types';

export interface AppInfo {
  /** The function analysed symbolically when the application happened. */
  root: string;
  /** What the path assumed (branch conditions in the direction taken), in order. */
  assumptions: Cond[];
  facts: Facts;
  /** Dims the merge needs equal and that the algebra could not decide on this path. */
  conditions: [Dim, Dim][];
  /** The runs of this function (one per path) and which one this was. */
  run: RootRun;
  path: number;
  /** Made in a loop iteration widened for "any later iteration" (it runs only if the loop goes on). */
  generic: boolean;
}

/**
 * The paths of one function analysed without a caller. `complete` when every path was followed to its end
 * with nothing assumed from outside it: a merge that fails on every one of them fails for every value.
 */
export interface RootRun { paths: number; complete: boolean }

/** Mutable facts of the current path. */
export interface PathFacts extends Facts {
  lower: Map<string, number>;
  subst: Map<string, SymDim>;
  ne: [SymDim, SymDim][];
  flags: Map<string, boolean>;
}

export const emptyFacts = (): PathFacts => ({ lower: new Map(), subst: new Map(), ne: [], flags: new Map() });

export class SymbolicSession {
  /** Set while a function runs symbolically. */
  root: string | undefined;
  facts: PathFacts = emptyFacts();
  assumptions: Cond[] = [];
  /** Directions to take at the next branch points, then what was taken. */
  decisions: boolean[] = [];
  private pos = 0;
  /** More branch points than this in one run: the rest are not forked (unknown). */
  maxDecisions = 8;
  readonly apps = new Map<Application, AppInfo>();
  readonly models = new Set<ModelRecord>();
  /** The function analysed without a caller that built each of `models`. */
  readonly modelRoots = new Map<ModelRecord, string>();
  /** Models built after a widened loop: their layer list has one iteration of it. */
  readonly loopModels = new Set<ModelRecord>();
  /** The current path went through a loop widened to its stable state (its layers are there once). */
  widened = false;
  /**
   * Symbols standing for "any later iteration" of a loop widened to its stable state (symbolicLoops.ts).
   * Nothing forks on them and no contract may name them: they are not the function's parameters.
   */
  readonly generic = new Set<string>();
  /**
   * Functions created inside other functions (a nested `function`, an arrow bound to a local), the first
   * closure of each, with the function that created it and what its path assumed then; and the function
   * nodes something called. The nested ones nothing called are analysed on their own (symbolicEntries.ts).
   */
  readonly closures = new Map<ts.Node, { fn: Fn; outer: string; assumptions: Cond[] }>();
  readonly called = new Set<ts.Node>();

  /** A function value created by running code (not a top-level declaration). */
  noteClosure(fn: Fn, outer: string | undefined): void {
    if (outer === undefined || this.closures.has(fn.node)) return;
    this.closures.set(fn.node, { fn, outer, assumptions: [...this.assumptions] });
  }

  /** The runs of the function being analysed (set by startRoot). */
  run: RootRun = { paths: 0, complete: false };
  /** Inside a loop iteration widened for "any later iteration". */
  genericDepth = 0;

  /** Before the first path of a function. */
  startRoot(): RootRun {
    this.run = { paths: 0, complete: false };
    return this.run;
  }

  startPath(root: string, prefix: boolean[]): void {
    this.root = root;
    this.run.paths++;
    this.widened = false;
    this.facts = emptyFacts();
    setCurrentFacts(this.facts);
    this.assumptions = [];
    this.decisions = [...prefix];
    this.pos = 0;
  }

  endPath(): boolean[] {
    this.root = undefined;
    setCurrentFacts({});
    return this.decisions.slice(0, this.pos);
  }

  /**
   * The truth of a symbolic condition on this path: decided by what the path knows, else the next decision
   * (assumed from here on); undefined outside symbolic runs or past the fork bound.
   */
  decide(c: SymCond): boolean | undefined {
    const known = evalCond(c.cond, this.facts);
    if (known !== undefined) return known;
    if (this.root === undefined || this.pos >= this.maxDecisions) return undefined;
    if (this.generic.size && namesOf(c.cond).some((n) => this.generic.has(n))) return undefined;
    if (this.pos >= this.decisions.length) this.decisions.push(true);
    const dir = this.decisions[this.pos++];
    this.assume(dir ? c.cond : notCond(c).cond);
    return dir;
  }

  /** The truth of a condition by what the path knows, without forking. */
  known(c: SymCond): boolean | undefined {
    return evalCond(c.cond, this.facts);
  }

  assume(c: Cond): void {
    this.assumptions.push(c);
    assumeInto(this.facts, c);
  }

  /** A model built by a symbolic run: shown apart from the models built with concrete sizes. */
  noteModel(m: ModelRecord): void {
    if (this.root === undefined) return;
    this.models.add(m);
    this.modelRoots.set(m, this.root);
    if (this.widened) this.loopModels.add(m);
  }

  /** What the path knows now, to go back to after a stretch of code assumed more (a widened loop iteration). */
  mark(): { facts: PathFacts; assumptions: number } {
    return { facts: snapshot(this.facts), assumptions: this.assumptions.length };
  }

  restore(m: { facts: PathFacts; assumptions: number }): void {
    this.assumptions.length = m.assumptions;
    // In place: the layer catalogue reads these very maps (symbolic/context.ts).
    for (const k of ['lower', 'subst', 'flags'] as const) {
      const to = this.facts[k] as Map<string, unknown>;
      to.clear();
      for (const [n, v] of m.facts[k] as Map<string, unknown>) to.set(n, v);
    }
    this.facts.ne.length = 0;
    this.facts.ne.push(...m.facts.ne);
  }

  recordApp(app: Application, conditions: [Dim, Dim][]): void {
    if (this.root === undefined) return;
    this.apps.set(app, { root: this.root, assumptions: [...this.assumptions], facts: snapshot(this.facts), conditions,
      run: this.run, path: this.run.paths - 1, generic: this.genericDepth > 0 });
  }
}

function snapshot(f: PathFacts): PathFacts {
  return { lower: new Map(f.lower), subst: new Map(f.subst), ne: [...f.ne], flags: new Map(f.flags) };
}

const isVar = (d: SymDim): d is string => typeof d === 'string' && /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*|\[\d+\])*$/.test(d);

/** Adds what a condition tells about single symbols; what it cannot use it drops (weaker, still sound). */
function assumeInto(f: PathFacts, c: Cond): void {
  if (c.kind === 'and') { for (const x of c.cs) assumeInto(f, x); return; }
  if (c.kind === 'not' && c.c.kind === 'or') { for (const x of c.c.cs) assumeInto(f, { kind: 'not', c: x }); return; }
  if (c.kind === 'flag') { f.flags.set(c.name, true); return; }
  // Lower bounds only (a size has no upper bound to keep): `k <= v`, and `!(v <= k)` which is `v >= k+1`.
  if (c.kind === 'le') { if (typeof c.a === 'number' && isVar(c.b)) f.lower.set(c.b, Math.max(c.a, f.lower.get(c.b) ?? 1)); return; }
  if (c.kind === 'not' && c.c.kind === 'le') {
    const { a, b } = c.c;
    if (isVar(a) && typeof b === 'number') f.lower.set(a, Math.max(b + 1, f.lower.get(a) ?? 1));
    return;
  }
  if (c.kind === 'not' && c.c.kind === 'flag') { f.flags.set(c.c.name, false); return; }
  if (c.kind === 'eq') {
    if (isVar(c.a) && !f.subst.has(c.a)) f.subst.set(c.a, c.b);
    else if (isVar(c.b) && !f.subst.has(c.b)) f.subst.set(c.b, c.a);
    return;
  }
  if (c.kind === 'not' && c.c.kind === 'eq') {
    const { a, b } = c.c;
    // A size that is not 1 is at least 2 (strides !== 1).
    if (isVar(a) && b === 1) f.lower.set(a, Math.max(2, f.lower.get(a) ?? 1));
    else if (isVar(b) && a === 1) f.lower.set(b, Math.max(2, f.lower.get(b) ?? 1));
    f.ne.push([a, b]);
  }
}

/**
 * Applications at a merge that fails on every path of the function analysed (each path with its own
 * facts), when every path was followed to its end: `downsample ? a : b` where both a and b break it.
 */
export function failingOnEveryPath(apps: Application[], info: ReadonlyMap<Application, AppInfo>): Application[] {
  const groups = new Map<string, { run: AppInfo['run']; paths: Set<number>; apps: Application[] }>();
  const spoiled = new Set<string>();
  for (const a of apps) {
    const i = info.get(a);
    if (!i || i.assumptions.length === 0 || !i.run.complete) continue;
    const key = `${i.root}|${a.at.file}|${a.at.node.pos}`;
    // Run only when a loop goes on: not every trip count reaches it.
    if (i.generic) { spoiled.add(key); continue; }
    const fails = a.inputs.every((t) => t.shape) &&
      !withFacts(i.facts, () => mergeCheck(a.layer.className, a.layer.config, a.inputs.map<Shape>((t) => t.shape!))).ok;
    if (!fails) { spoiled.add(key); continue; }
    const g = groups.get(key) ?? { run: i.run, paths: new Set<number>(), apps: [] };
    g.paths.add(i.path);
    g.apps.push(a);
    groups.set(key, g);
  }
  return [...groups].filter(([k, g]) => !spoiled.has(k) && g.paths.size === g.run.paths).flatMap(([, g]) => g.apps);
}

