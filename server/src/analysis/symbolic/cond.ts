// Conditions on symbols: what a branch on symbolic values tests (`strides !== 1 || x.shape[3] !== filters`),
// what a path assumes, and what a function's contract requires. Plain data, rendered the way the source
// reads (`strides == 1`, `x.shape[3] == filters`).
import { decideEqual, substitute, type Facts, type SymDim } from './expr';

export type Cond =
  | { kind: 'eq'; a: SymDim; b: SymDim }
  | { kind: 'not'; c: Cond }
  | { kind: 'and' | 'or'; cs: Cond[] };

/** A condition as an interpreter value (the result of `a === b` on symbols). */
export class SymCond {
  constructor(readonly cond: Cond) {}
}

export const atom = (a: SymDim, b: SymDim): SymCond => new SymCond({ kind: 'eq', a, b });
export const not = (c: SymCond): SymCond => new SymCond(c.cond.kind === 'not' ? c.cond.c : { kind: 'not', c: c.cond });
export const both = (x: Cond, y: Cond): Cond => ({ kind: 'and', cs: [x, y] });
export const either = (x: Cond, y: Cond): Cond => ({ kind: 'or', cs: [x, y] });

export function condText(c: Cond): string {
  switch (c.kind) {
    case 'eq': return `${c.a} == ${c.b}`;
    case 'not': return c.c.kind === 'eq' ? `${c.c.a} != ${c.c.b}` : `!(${condText(c.c)})`;
    case 'and': return c.cs.map((x) => (x.kind === 'or' ? `(${condText(x)})` : condText(x))).join(' && ');
    case 'or': return c.cs.map((x) => (x.kind === 'and' ? `(${condText(x)})` : condText(x))).join(' || ');
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
