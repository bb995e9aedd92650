// Conditions on symbols: what a branch on symbolic values tests (`strides !== 1 || x.shape[3] !== filters`),
// what a path assumes, and what a function's contract requires. Plain data, rendered the way the source
// reads (`strides == 1`, `x.shape[3] == filters`). A boolean parameter (`downsample: boolean`) is a condition
// of its own, a flag, read `downsample == true` / `downsample == false`.
import { add, constantOf, decideEqual, provablyNonPositive, provablyPositive, sub, substitute, symbolsOf, type Facts, type SymDim } from './expr';

export type Cond =
  | { kind: 'eq'; a: SymDim; b: SymDim }
  | { kind: 'flag'; name: string }
  /** a ≤ b: a loop's `i < blocks`, `depth >= 50`. */
  | { kind: 'le'; a: SymDim; b: SymDim }
  | { kind: 'not'; c: Cond }
  | { kind: 'and' | 'or'; cs: Cond[] };

/** A condition as an interpreter value (the result of `a === b` on symbols). */
export class SymCond {
  constructor(readonly cond: Cond) {}
}

export const atom = (a: SymDim, b: SymDim): SymCond => new SymCond({ kind: 'eq', a, b });
export const not = (c: SymCond): SymCond => new SymCond(c.cond.kind === 'not' ? c.cond.c : { kind: 'not', c: c.cond });
/** a ≤ b, kept as `k ≤ P` with the constants on the left (`blocks >= 2`, not `blocks-1 >= 1`). */
export function le(a: SymDim, b: SymDim): SymCond {
  const d = sub(b, a);
  const c = constantOf(d);
  return new SymCond({ kind: 'le', a: -c, b: sub(d, c) });
}
export const flag = (name: string): SymCond => new SymCond({ kind: 'flag', name });
export const both = (x: Cond, y: Cond): Cond => ({ kind: 'and', cs: [x, y] });
export const either = (x: Cond, y: Cond): Cond => ({ kind: 'or', cs: [x, y] });

export function condText(c: Cond): string {
  switch (c.kind) {
    case 'eq': return `${c.a} == ${c.b}`;
    case 'flag': return `${c.name} == true`;
    // Written with the symbol first, as a bound reads: `blocks >= 2` rather than `2 <= blocks`.
    case 'le': return leText(c.a, c.b, false);
    case 'not':
      if (c.c.kind === 'le') return leText(c.c.a, c.c.b, true);
      return c.c.kind === 'eq' ? `${c.c.a} != ${c.c.b}` : c.c.kind === 'flag' ? `${c.c.name} == false` : `!(${condText(c.c)})`;
    case 'and': return c.cs.map((x) => (x.kind === 'or' ? `(${condText(x)})` : condText(x))).join(' && ');
    case 'or': return c.cs.map((x) => (x.kind === 'and' ? `(${condText(x)})` : condText(x))).join(' || ');
  }
}

/**
 * `k <= P` (or its negation) as a bound on the symbols reads: `blocks >= 2`, `blocks < 2`, and with P
 * negative (`-3 <= -axis`) turned round: `axis <= 3`.
 */
function leText(a: SymDim, b: SymDim, negated: boolean): string {
  if (typeof a === 'number' && typeof b === 'string' && b.startsWith('-')) {
    return `${sub(0, b)} ${negated ? '>' : '<='} ${-a}`;
  }
  return typeof a === 'number' ? `${b} ${negated ? '<' : '>='} ${a}` : `${a} ${negated ? '>' : '<='} ${b}`;
}

/** The negation pushed inward (De Morgan), so that it reads as the source would write it. */
export function negate(c: Cond): Cond {
  switch (c.kind) {
    case 'not': return c.c;
    case 'and': return { kind: 'or', cs: c.cs.map(negate) };
    case 'or': return { kind: 'and', cs: c.cs.map(negate) };
    default: return { kind: 'not', c };
  }
}

/** Every symbol and flag a condition mentions. */
export function namesOf(c: Cond): string[] {
  switch (c.kind) {
    case 'flag': return [c.name];
    case 'not': return namesOf(c.c);
    case 'and': case 'or': return c.cs.flatMap(namesOf);
    default: return [...symbolsOf(c.a), ...symbolsOf(c.b)];
  }
}

/** true / false when decided for every admissible value under `facts` (after substituting), else undefined. */
export function evalCond(c: Cond, facts: Facts, values: ReadonlyMap<string, SymDim> = new Map()): boolean | undefined {
  switch (c.kind) {
    case 'eq': {
      const a = substitute(c.a, values);
      const b = substitute(c.b, values);
      if (a === undefined || b === undefined) return undefined;
      const v = decideEqual(a, b, facts);
      return v === 'unknown' ? undefined : v === 'equal';
    }
    case 'flag': return facts.flags?.get(c.name);
    case 'le': {
      const a = substitute(c.a, values);
      const b = substitute(c.b, values);
      if (a === undefined || b === undefined) return undefined;
      // a ≤ b ⟺ b - a + 1 ≥ 1.
      const d = add(sub(b, a), 1);
      if (provablyPositive(d, facts)) return true;
      if (provablyNonPositive(d, facts)) return false;
      return undefined;
    }
    case 'not': { const v = evalCond(c.c, facts, values); return v === undefined ? undefined : !v; }
    case 'and': {
      let all = true;
      for (const x of c.cs) { const v = evalCond(x, facts, values); if (v === false) return false; if (v === undefined) all = false; }
      return all ? true : undefined;
    }
    case 'or': {
      let none = true;
      for (const x of c.cs) { const v = evalCond(x, facts, values); if (v === true) return true; if (v === undefined) none = false; }
      return none ? false : undefined;
    }
  }
}
