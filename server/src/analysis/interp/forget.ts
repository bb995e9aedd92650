// Values the analyzer lost track of. A JS array or object is shared by reference, so once code the analyzer
// cannot follow (an unknown function, an unmodelled mutating method) may have changed it, it cannot simply be
// replaced by UNKNOWN where every alias would see that: it is marked instead, and reading a marked value gives
// UNKNOWN (an array's length and elements, an object's keys and properties).
import { Fn, Obj, UNKNOWN, type Value } from './values';
import { ModelRecord } from '../graph/graph';

const forgottenArrays = new WeakSet<Value[]>();
const frozen = new WeakSet<object>();
/** Keys of object-literal accessors (`get x() {}`): writing them runs code the analyzer does not follow. */
const accessorKeys = new WeakMap<Obj, Set<string>>();

/** Marks an object property bag as possibly holding any key with any value (an unknown spread). */
export const UNKNOWN_KEYS = '%unknownSpread';

/** True when an array's length and contents are no longer known. */
export function isForgotten(v: Value): boolean {
  return Array.isArray(v) && forgottenArrays.has(v);
}

/** The value itself, or UNKNOWN when it is an array the analyzer lost track of. */
export function known(v: Value): Value {
  return isForgotten(v) ? UNKNOWN : v;
}

export function forgetArray(a: Value[]): void {
  a.fill(UNKNOWN);
  forgottenArrays.add(a);
}

export function forgetObject(o: Obj): void {
  for (const k of o.props.keys()) o.props.set(k, UNKNOWN);
  o.props.set(UNKNOWN_KEYS, true);
}

/**
 * Forgets everything reachable from `v` that code the analyzer cannot see could change: arrays, objects,
 * the variables a callback assigns, sequential models (they may have grown). `charge` pays a step per value
 * visited, so a huge structure stays within the budget.
 */
export function forgetReachable(v: Value, charge: (n: number) => void, forgetFn: (fn: Fn) => void, seen = new Set<unknown>()): void {
  if (v === null || typeof v !== 'object' || seen.has(v)) return;
  seen.add(v);
  charge(1);
  if (Array.isArray(v)) {
    const items = [...v];
    forgetArray(v);
    for (const item of items) forgetReachable(item, charge, forgetFn, seen);
  } else if (v instanceof Obj) {
    const items = [...v.props.values()];
    forgetObject(v);
    for (const item of items) forgetReachable(item, charge, forgetFn, seen);
  } else if (v instanceof Fn) forgetFn(v);
  else if (v instanceof ModelRecord && v.kind === 'sequential') v.incomplete = true;
}

export function freeze(v: Value): void {
  if (v !== null && typeof v === 'object') frozen.add(v);
}

export function isFrozen(v: Value): boolean {
  return v !== null && typeof v === 'object' && frozen.has(v);
}

export function markAccessor(o: Obj, key: string): void {
  let keys = accessorKeys.get(o);
  if (!keys) accessorKeys.set(o, (keys = new Set()));
  keys.add(key);
}

export function isAccessor(o: Obj, key: string): boolean {
  return accessorKeys.get(o)?.has(key) ?? false;
}
