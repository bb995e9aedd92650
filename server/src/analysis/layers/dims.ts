// Arithmetic on dims that may be null (tfjs None) or undefined (unknown to the analyzer). Both flow through
// every operation the way tfjs lets its null flow: they never raise an error by themselves.
import type { Dim, Shape } from '../types';
import * as sym from '../symbolic/expr';

/** Shape as tfjs prints it in messages; unknown dims show as `?`. */
export function fmt(shape: Shape | undefined): string {
  if (shape === undefined) return '?';
  return `[${shape.map((d) => (d === undefined ? '?' : String(d))).join(',')}]`;
}

/**
 * Applies `f` to a known dim and to known parameters; null stays null, anything unknown gives undefined.
 * A symbolic dim goes through `g` (the same arithmetic on expressions), or becomes unknown without one.
 */
export function mapDim(d: Dim, f: (n: number) => number, g?: (s: string) => sym.SymDim | undefined): Dim {
  if (d === null) return null;
  if (d === undefined) return undefined;
  if (typeof d === 'string') return g ? g(d) : undefined;
  return f(d);
}

/** Product of dims: null if any is null, undefined if any is unknown (null wins, as in tfjs). */
export function product(dims: Dim[]): Dim {
  if (dims.some((d) => d === null)) return null;
  if (dims.some((d) => d === undefined)) return undefined;
  let p: sym.SymDim | undefined = 1;
  for (const d of dims as sym.SymDim[]) p = p === undefined ? undefined : sym.mul(p, d);
  return p;
}

/** d + k for a dim and a (possibly symbolic) amount. */
export function addDim(d: Dim, k: sym.SymDim | undefined): Dim {
  if (d === null) return null;
  if (d === undefined || k === undefined) return undefined;
  return sym.add(d, k);
}

/** d · k for a dim and a (possibly symbolic) factor. */
export function mulDim(d: Dim, k: sym.SymDim | undefined): Dim {
  if (d === null) return null;
  if (d === undefined || k === undefined) return undefined;
  return sym.mul(d, k);
}

/** Product of weight-shape entries for countParams: null if any entry is unknown. */
export function weightSize(...dims: Dim[]): number | null {
  let n = 1;
  for (const d of dims) {
    if (typeof d !== 'number') return null;
    n *= d;
  }
  return n;
}

export function sum(...counts: (number | null)[]): number | null {
  let n = 0;
  for (const c of counts) {
    if (c === null) return null;
    n += c;
  }
  return n;
}

/** A dim that tfjs would turn into a broken tensor: zero, negative, fractional or infinite. */
export function isInvalidDim(d: Dim): boolean {
  return typeof d === 'number' && !(Number.isInteger(d) && d > 0);
}

export function resolveAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

/** A shape of the given rank where only the batch dim is known. */
export function unknownShape(batch: Dim, rank: number): Shape {
  return [batch, ...new Array<undefined>(Math.max(rank - 1, 0)).fill(undefined)];
}
