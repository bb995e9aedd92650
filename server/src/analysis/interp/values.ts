// The interpreter's runtime values (objects, functions, classes, natives) and UNKNOWN.
import type * as ts from 'typescript';
import { UNKNOWN } from '../layers';
import type { LayerInstance, ModelRecord, TensorNode } from '../graph/graph';
import type { Scope } from './scope';
import type { ModuleRecord } from './modules';
import type { SymNum } from '../symbolic/value';
import type { SymCond } from '../symbolic/cond';

export { UNKNOWN };

/**
 * What the interpreter computes for an expression. JS primitives stand for themselves; UNKNOWN is any
 * value the analyzer cannot know (environment, I/O, unsupported constructs) and poisons what it touches.
 * Arrays are JS arrays of values so that mutation and aliasing behave as in the user's program.
 */
export type Value =
  | undefined | null | boolean | number | string | typeof UNKNOWN
  | Value[] | Obj | Fn | ClassValue | Native | TensorNode | LayerInstance | ModelRecord
  /** A symbolic number (a parameter, a dim of a tensor parameter) and a condition on such numbers. */
  | SymNum | SymCond;

/** A plain object or an instance of a user class. */
export class Obj {
  readonly props = new Map<string, Value>();
  constructor(public cls?: ClassValue) {}
}

/** A user function or arrow, closed over the scope it was created in. */
export class Fn {
  constructor(
    public readonly node: ts.FunctionLikeDeclaration,
    public readonly scope: Scope,
    public readonly mod: ModuleRecord,
    /** Arrows capture `this`; methods get it from the call. */
    public readonly capturedThis: Value | undefined,
    public readonly homeClass?: ClassValue,
  ) {}
  get name(): string {
    const n = this.node.name;
    return n && 'text' in n ? String((n as ts.Identifier).text) : '<anonymous>';
  }
}

export class ClassValue {
  readonly statics = new Map<string, Value>();
  constructor(
    public readonly node: ts.ClassLikeDeclaration,
    public readonly scope: Scope,
    public readonly mod: ModuleRecord,
    public readonly superClass: Value,
  ) {}
  get name(): string { return this.node.name?.text ?? '<class>'; }
}

/** Something implemented by the analyzer: the tfjs API, Math, array methods, a bound method. */
export class Native {
  constructor(
    public readonly name: string,
    public readonly callImpl?: (args: Value[], call: NativeCall) => Value,
    public readonly getImpl?: (prop: string) => Value,
    /** Marks tfjs's Layer base class, so that user subclasses become custom layers. */
    public readonly isLayerBase = false,
  ) {}
}

/** What a native needs to know about the call it serves. */
export interface NativeCall {
  node: ts.CallExpression | ts.NewExpression;
  thisValue: Value;
  /** Calls back into the interpreter, for natives that take callbacks (forEach, map, tidy...). */
  invoke: (fn: Value, args: Value[]) => Value;
  /** Counts `n` steps of work against the step budget (copying arrays, building strings). */
  charge: (n: number) => void;
}

export function isUnknown(v: Value): v is typeof UNKNOWN { return v === UNKNOWN; }

export function isNumber(v: Value): v is number { return typeof v === 'number'; }

/** JS truthiness, or UNKNOWN when the analyzer cannot decide. */
export function truthy(v: Value): boolean | typeof UNKNOWN {
  if (v === UNKNOWN) return UNKNOWN;
  if (v === null || v === undefined) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v);
  if (typeof v === 'string') return v.length > 0;
  return true;
}

/**
 * The property name a value stands for as a key (`o[k]`, `{ [k]: v }`, `delete o[k]`). A primitive converts as
 * in JS; an object's key comes from its own `toString`, which the analyzer does not model, so it is UNKNOWN.
 */
export function propertyKey(v: Value): string | typeof UNKNOWN {
  if (v === null || v === undefined || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') return String(v);
  return UNKNOWN;
}
