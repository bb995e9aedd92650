// JavaScript operator semantics on interpreter values.
/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-return --
   the user's primitives go through JS's own operators, so mixed types coerce exactly as in their program. */
import type * as ts from 'typescript';
import { tsApi } from '../syntax/tsApi';
import { UNKNOWN, type Value } from './values';
import { MAX_STRING } from './builtins';
import { SymNum, dimOf, numValue } from '../symbolic/value';
import { SymCond, not } from '../symbolic/cond';
import { symbolicBinary } from '../symbolic/ops';
import { currentFacts } from '../symbolic/context';
import { sub } from '../symbolic/expr';

const isSymbolic = (v: Value): boolean => v instanceof SymNum || v instanceof SymCond;

type Prim = number | string | boolean | null | undefined;
const isPrim = (v: Value): v is Prim => v === null || v === undefined || ['number', 'string', 'boolean'].includes(typeof v);

/**
 * JS semantics for operators on primitives. Anything involving an object or UNKNOWN is UNKNOWN, except
 * identity comparisons, which are exact for objects the interpreter created.
 */
export function binaryOp(op: ts.SyntaxKind, l: Value, r: Value): Value {
  const K = tsApi.SyntaxKind;
  if (isSymbolic(l) || isSymbolic(r)) {
    if (l === UNKNOWN || r === UNKNOWN) return UNKNOWN;
    const cond = l instanceof SymCond ? l : r instanceof SymCond ? r : undefined;
    const other = cond === l ? r : l;
    // A condition is a boolean: `downsample === true` is the condition itself, `=== false` its negation.
    if (cond && typeof other === 'boolean') {
      if (op === K.EqualsEqualsEqualsToken || op === K.EqualsEqualsToken) return other ? cond : not(cond);
      if (op === K.ExclamationEqualsEqualsToken || op === K.ExclamationEqualsToken) return other ? not(cond) : cond;
    }
    const v = symbolicBinary(op, l, r, currentFacts());
    return v === undefined ? UNKNOWN : (v as Value);
  }
  if (op === K.EqualsEqualsEqualsToken || op === K.ExclamationEqualsEqualsToken) {
    if (l === UNKNOWN || r === UNKNOWN) return UNKNOWN;
    const eq = l === r;
    return op === K.EqualsEqualsEqualsToken ? eq : !eq;
  }
  if (l === UNKNOWN || r === UNKNOWN || !isPrim(l) || !isPrim(r)) return UNKNOWN;
  const a = l as any, b = r as any;
  switch (op) {
    case K.PlusToken:
      // Names are short: a string doubling in a loop becomes UNKNOWN before it exhausts memory.
      if ((typeof a === 'string' || typeof b === 'string') && String(a).length + String(b).length > MAX_STRING) return UNKNOWN;
      return a + b;
    case K.MinusToken: return a - b;
    case K.AsteriskToken: return a * b;
    case K.SlashToken: return a / b;
    case K.PercentToken: return a % b;
    case K.AsteriskAsteriskToken: return a ** b;
    case K.LessThanToken: return a < b;
    case K.LessThanEqualsToken: return a <= b;
    case K.GreaterThanToken: return a > b;
    case K.GreaterThanEqualsToken: return a >= b;
    case K.EqualsEqualsToken: return a == b;
    case K.ExclamationEqualsToken: return a != b;
    case K.AmpersandToken: return a & b;
    case K.BarToken: return a | b;
    case K.CaretToken: return a ^ b;
    case K.LessThanLessThanToken: return a << b;
    case K.GreaterThanGreaterThanToken: return a >> b;
    case K.GreaterThanGreaterThanGreaterThanToken: return a >>> b;
    case K.BarBarToken: return a || b;
    case K.QuestionQuestionToken: return a ?? b;
    default: return UNKNOWN;
  }
}

export function unaryOp(op: ts.SyntaxKind, v: Value): Value {
  const K = tsApi.SyntaxKind;
  if (v instanceof SymCond) return op === K.ExclamationToken ? not(v) : UNKNOWN;
  if (v instanceof SymNum) {
    // A symbol stands for a positive integer: truthy.
    if (op === K.ExclamationToken) return false;
    if (op === K.PlusToken) return v;
    if (op === K.MinusToken) return numValue(sub(0, dimOf(v)!));
    return UNKNOWN;
  }
  if (op === K.ExclamationToken) {
    if (v === UNKNOWN) return UNKNOWN;
    if (!isPrim(v)) return false;
    return !v;
  }
  if (v === UNKNOWN || !isPrim(v)) return UNKNOWN;
  const a = v as any;
  switch (op) {
    case K.MinusToken: return -a;
    case K.PlusToken: return +a;
    case K.TildeToken: return ~a;
    default: return UNKNOWN;
  }
}
