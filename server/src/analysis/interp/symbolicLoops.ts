// Loops whose trip count is a symbol (`for (let i = 0; i < blocks; i++) x = block(x, filters)`) in a function
// analysed without a caller. The iterations the algebra decides run as usual (the first one: `0 < blocks`
// holds for every blocks ≥ 1); at the first undecided test, one more iteration runs for "any later
// iteration": the counter becomes a symbol bounded below by its current value, and the test is assumed. When
// every variable the loop writes comes out of it as it went in (same value, or a tensor of the same shape),
// that state is the state after the loop for every trip count (by induction on the iterations); otherwise
// the caller forgets what the loop writes, as for any loop it cannot follow.
import type * as ts from 'typescript';
import { tsApi } from '../syntax/tsApi';
import { containsReturn, escapingJumps, skipOuter } from '../syntax/ast';
import { ModelRecord, TensorNode } from '../graph/graph';
import { Obj, type Value } from './values';
import type { Scope } from './scope';
import type { SymbolicSession } from './symbolicSession';
import { effects } from './havoc';
import type { Cond, SymCond } from '../symbolic/cond';
import { SymNum } from '../symbolic/value';
import { symbol } from '../symbolic/expr';
import { lazyShape } from './lazyShapes';

export interface WidenRequest {
  session: SymbolicSession;
  loop: ts.ForStatement | ts.WhileStatement | ts.DoStatement;
  /** The scope the loop test runs in (a `for`'s own scope, holding its counter). */
  scope: Scope;
  /** The undecided test, as it reads at the current counter value. */
  cond: SymCond;
  /** Whether a name is bound in the global scope (Math, tf...): calling its methods mutates nothing of ours. */
  isGlobal: (name: string) => boolean;
  /** Runs the body once; true when it ended normally (or by `continue`). */
  runBody: () => boolean;
}

/** True when the loop reached a stable state (now in `scope`); false when the caller must forget its writes. */
export function widenLoop(r: WidenRequest): boolean {
  const { session, loop, scope } = r;
  if (session.root === undefined) return false;
  const body = loop.statement;
  if (containsReturn(body) || escapingJumps(body).some((j) => tsApi.isBreakStatement(j) || j.label)) return false;
  const counters = tsApi.isForStatement(loop) ? counterOf(loop) : [];
  if (counters === undefined) return false;
  const { assigned, receivers } = effects(loop);
  const bodyWrites = effects(body).assigned;
  const models: ModelRecord[] = [];
  for (const name of receivers) {
    const v = scope.get(name);
    if (v instanceof ModelRecord) models.push(v);
    // A container the loop grows (`features.push(x)`) is never the same after one more iteration.
    else if ((Array.isArray(v) || v instanceof Obj) && !r.isGlobal(name)) return false;
  }
  const before = new Map<string, Value>();
  for (const name of assigned) if (!counters.some((c) => c.name === name) && scope.has(name)) before.set(name, scope.get(name));
  const generic: [string, number][] = [];
  for (const c of counters) {
    const k = scope.get(c.name);
    if (bodyWrites.has(c.name) || typeof k !== 'number' || !Number.isInteger(k) || k < 1) return false;
    generic.push([c.name, k]);
  }
  const mark = session.mark();
  let ok = false;
  let decided: Cond[] = [];
  try {
    session.assume(r.cond.cond);
    for (const [name, k] of generic) {
      const g = symbol(`${name}$`);
      session.generic.add(g);
      session.facts.lower.set(g, Math.max(k, session.facts.lower.get(g) ?? 1));
      scope.set(name, new SymNum(g));
    }
    session.genericDepth++;
    try { ok = r.runBody(); } finally { session.genericDepth--; }
    // Branches on the parameters decided inside the iteration stay decided after it (never on the counter).
    decided = session.assumptions.slice(mark.assumptions + 1);
  } finally {
    session.restore(mark);
  }
  for (const c of decided) session.assume(c);
  if (!ok) return false;
  for (const [name, v] of before) if (!sameState(v, scope.get(name))) return false;
  // A model the loop adds layers to has a symbolic number of them.
  for (const m of models) m.incomplete = true;
  session.widened = true;
  return true;
}

/** The counter of `for (…; …; i++)` (or `i += k`, k > 0), or undefined when the loop counts otherwise. */
function counterOf(loop: ts.ForStatement): { name: string }[] | undefined {
  const inc = loop.incrementor && skipOuter(loop.incrementor);
  if (!inc) return [];
  if ((tsApi.isPostfixUnaryExpression(inc) || tsApi.isPrefixUnaryExpression(inc)) && inc.operator === tsApi.SyntaxKind.PlusPlusToken &&
    tsApi.isIdentifier(inc.operand)) return [{ name: inc.operand.text }];
  if (tsApi.isBinaryExpression(inc) && inc.operatorToken.kind === tsApi.SyntaxKind.PlusEqualsToken && tsApi.isIdentifier(inc.left) &&
    tsApi.isNumericLiteral(inc.right) && Number(inc.right.text) > 0) return [{ name: inc.left.text }];
  return undefined;
}

/** Whether a variable holds the same thing after one more iteration: the value itself or a same-shaped tensor. */
function sameState(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a instanceof SymNum && b instanceof SymNum) return a.dim === b.dim;
  if (!(a instanceof TensorNode) || !(b instanceof TensorNode)) return false;
  if (a.shape === undefined || b.shape === undefined) {
    const la = lazyShape(a);
    return a.shape === undefined && b.shape === undefined && la !== undefined && la === lazyShape(b);
  }
  // An unknown size is not known to be the same unknown size.
  return a.shape.length === b.shape.length && a.shape.every((d, i) => d !== undefined && d === b.shape![i]);
}
