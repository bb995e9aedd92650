// A symbolic number as the interpreter carries it: a function parameter (`filters`), a dim read from a
// tensor of unknown shape (`x.shape[3]`), or arithmetic on them. Distinct from strings, which are JS strings
// in the user's program; the dim itself is the canonical text of symbolic/expr.ts.
import type { SymDim } from './expr';

export class SymNum {
  constructor(readonly dim: string) {}
  toString(): string { return this.dim; }
}

/** A number-like value: a JS number stays a number, a symbolic dim becomes a SymNum. */
export function numValue(d: SymDim): number | SymNum {
  return typeof d === 'number' ? d : new SymNum(d);
}

/** The dim of a number or SymNum; undefined for anything else. */
export function dimOf(v: unknown): SymDim | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (v instanceof SymNum) return v.dim;
  return undefined;
}
