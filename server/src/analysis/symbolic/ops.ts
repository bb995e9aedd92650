// JS operators on symbolic numbers: arithmetic builds normalised expressions, comparisons are decided when
// the algebra can decide them (for every admissible value) and are otherwise a condition the path forks
// on (symbolic/paths.ts) — never a guess.
import type * as ts from 'typescript';
import { tsApi } from '../syntax/tsApi';
import { decideEqual, divide, add, sub, mul, provablyNonPositive, provablyPositive, type Facts, type SymDim } from './expr';
import { SymNum, dimOf, numValue } from './value';
import { SymCond, atom, le, not } from './cond';

const K = tsApi.SyntaxKind;

/**
 * The result of `l op r` when one side is symbolic; undefined when this module has nothing to say (the
 * caller then treats the result as unknown).
 */
export function symbolicBinary(op: ts.SyntaxKind, l: unknown, r: unknown, facts: Facts): unknown {
  const a = dimOf(l);
  const b = dimOf(r);
  if (a === undefined || b === undefined) {
    // A symbol compared with something that is not a number (undefined, a string...) is never equal to it.
    if (op === K.EqualsEqualsEqualsToken || op === K.ExclamationEqualsEqualsToken) {
      const other = a === undefined ? l : r;
      if (other === undefined || other === null || typeof other === 'string' || typeof other === 'boolean') return op === K.ExclamationEqualsEqualsToken;
    }
    return undefined;
  }
  switch (op) {
    case K.PlusToken: return numValue(add(a, b));
    case K.MinusToken: return numValue(sub(a, b));
    case K.AsteriskToken: { const m = mul(a, b); return m === undefined ? undefined : numValue(m); }
    case K.SlashToken: {
      // Only exact quotients are numbers we can name; `filters / 4` with an unknown remainder is not.
      const c = divide(a, b, 'ceil');
      const f = divide(a, b, 'floor');
      return c !== undefined && c === f ? numValue(c) : undefined;
    }
    case K.EqualsEqualsEqualsToken: case K.EqualsEqualsToken: return compare('eq', a, b, facts);
    case K.ExclamationEqualsEqualsToken: case K.ExclamationEqualsToken: return compare('ne', a, b, facts);
    case K.LessThanToken: return order(a, b, 0, facts);
    case K.LessThanEqualsToken: return order(a, b, 1, facts);
    case K.GreaterThanToken: return order(b, a, 0, facts);
    case K.GreaterThanEqualsToken: return order(b, a, 1, facts);
    default: return undefined;
  }
}

function compare(kind: 'eq' | 'ne', a: SymDim, b: SymDim, facts: Facts): boolean | SymCond {
  const v = decideEqual(a, b, facts);
  if (v !== 'unknown') return (v === 'equal') === (kind === 'eq');
  const c = atom(a, b);
  return kind === 'eq' ? c : not(c);
}

/**
 * a < b + slack (slack 1 makes it a ≤ b): decided from the sign of b - a when the algebra knows it, else a
 * condition (`blocks >= 2`) that a branch forks on and a loop widens on.
 */
function order(a: SymDim, b: SymDim, slack: number, facts: Facts): boolean | SymCond {
  const d = sub(add(b, slack), a);
  if (typeof d === 'number') return d > 0;
  // b - a + slack ≥ 1 for every value → true; ≤ 0 for every value → false.
  if (provablyPositive(d, facts)) return true;
  if (provablyNonPositive(d, facts)) return false;
  return le(a, add(b, slack - 1));
}

export { SymNum };
