// Merge layers (tfjs merge.ts): the element-wise ones with their size-1 broadcasting, Concatenate and Dot.
// Besides the output shape, rules need to know which axes broadcast silently and which cannot combine.
import type { Dim, Shape } from '../types';
import { UNKNOWN, isAbsent, show, type LayerConfig } from './config';
import { fmt, resolveAxis } from './dims';
import { agreeing, type LayerSpec } from './spec';
import { add, decideEqual, provablyAtLeast } from '../symbolic/expr';

/** The smallest tensor size the last symbolic clash had to assume (1: none excluded). */
export const clashMinSize = { value: 1 };
import { currentFacts } from '../symbolic/context';

export interface MergeCheck {
  ok: boolean;
  /** Output axes (batch = 0) where an operand of size 1, or missing by lower rank, is stretched. */
  broadcastAxes: number[];
  /** Output axes (batch = 0) whose sizes cannot combine. */
  mismatchedAxes: number[];
  outputShape: Shape | undefined;
  error?: string;
  /**
   * Symbolic dims that must be equal for the merge to work but that are neither provably equal nor
   * provably different: conditions (contracts of the enclosing function), never findings.
   */
  conditions?: [Dim, Dim][];
}

const ELEMENTWISE: Record<string, string> = { Add: 'add', Multiply: 'multiply', Average: 'average', Maximum: 'maximum', Minimum: 'minimum' };

function failed(error: string, mismatchedAxes: number[] = []): MergeCheck {
  return { ok: false, broadcastAxes: [], mismatchedAxes, outputShape: undefined, error };
}

const shapesText = (inputs: Shape[]): string => inputs.map(fmt).join(' and ');

/** tfjs Merge.build: numeric batch sizes must agree; the output keeps the one that is known. */
function mergeBatch(inputs: Shape[]): { batch: Dim; error?: string } {
  const sizes = [...new Set(inputs.map((s) => s[0]).filter((d): d is number => typeof d === 'number'))];
  if (sizes.length > 1) return { batch: undefined, error: `Can not merge tensors with different batch sizes. Got tensors with shapes: ${shapesText(inputs)}.` };
  if (sizes.length === 1) return { batch: sizes[0] };
  return { batch: inputs.some((s) => s[0] === undefined) ? undefined : null };
}

// Dim's strings are symbolic sizes, so the type cannot tell this sentinel apart from a size named 'absent'.
// eslint-disable-next-line @typescript-eslint/no-redundant-type-constituents
type Slot = Dim | 'absent';

/**
 * One step of tfjs computeElementwiseOpOutputShape on a single axis; 'clash' when it would throw. Symbolic
 * sizes clash only when they differ for every admissible value ≥ 2 (size 1 would broadcast); undecided
 * pairs go to `conditions`.
 */
// eslint-disable-next-line @typescript-eslint/no-redundant-type-constituents -- as Slot's 'absent'
function combine(a: Slot, b: Slot, conditions: [Dim, Dim][]): Slot | 'clash' {
  if (a === 'absent') return b;
  if (b === 'absent') return a;
  const none = (d: Dim): boolean => d === null || (typeof d === 'number' && d < 0);
  if (none(a) || none(b)) return null;
  if (a === undefined || b === undefined) return undefined;
  if (a === 1) return b;
  if (b === 1) return a;
  if (typeof a === 'string' || typeof b === 'string') {
    const x = a as number | string;
    const y = b as number | string;
    const facts = currentFacts();
    if (decideEqual(x, y, facts) === 'equal') return a;
    // A clash needs both sizes different and neither 1 (which would broadcast), for every value; tensor
    // sizes of 1 or 2 may be excluded (messages say "sizes ≥ N").
    // Assuming larger sizes only proves more: try the largest first, then find the smallest that works.
    const clashAt = (minSize: number) => decideEqual(x, y, facts, minSize) === 'different' && provablyAtLeast(x, 2, facts, minSize) && provablyAtLeast(y, 2, facts, minSize);
    if (clashAt(5)) {
      const minSize = [1, 2, 3, 4, 5].find(clashAt)!;
      clashMinSize.value = Math.max(clashMinSize.value, minSize);
      return 'clash';
    }
    conditions.push([a, b]);
    return undefined;
  }
  return a === b ? a : 'clash';
}

function elementwiseCheck(className: string, inputs: Shape[]): MergeCheck {
  clashMinSize.value = 1;
  const { batch, error } = mergeBatch(inputs);
  if (error) return failed(error, [0]);
  const rest = inputs.map((s) => s.slice(1));
  const rank = Math.max(...rest.map((s) => s.length));
  const out: Shape = [batch];
  const broadcastAxes: number[] = [];
  const mismatchedAxes: number[] = [];
  const conditions: [Dim, Dim][] = [];
  for (let k = 0; k < rank; k++) {
    const slots: Slot[] = rest.map((s) => (k - (rank - s.length) >= 0 ? s[k - (rank - s.length)] : 'absent'));
    let acc: Slot = 'absent';
    let clash = false;
    for (const slot of slots) {
      const next = combine(acc, slot, conditions);
      // After a clash tfjs has already thrown; carry on as unknown to find the other bad axes.
      if (next === 'clash') clash = true;
      acc = next === 'clash' ? undefined : next;
    }
    const dim = acc === 'absent' ? undefined : acc;
    if (clash) mismatchedAxes.push(k + 1);
    else if (typeof dim === 'number' && dim > 1 && slots.some((s) => s === 'absent' || s === 1)) broadcastAxes.push(k + 1);
    out.push(dim);
  }
  if (mismatchedAxes.length > 0) {
    return failed(`${className}: operands could not be broadcast together with shapes ${shapesText(inputs)} (axis ${mismatchedAxes.join(', ')})`, mismatchedAxes);
  }
  return { ok: true, broadcastAxes, mismatchedAxes, outputShape: out, ...(conditions.length ? { conditions } : {}) };
}

function concatCheck(cfg: LayerConfig, inputs: Shape[]): MergeCheck {
  const rank = inputs[0].length;
  if (inputs.some((s) => s.length !== rank)) {
    return failed(`A Concatenate layer requires inputs with matching shapes except for the concat axis. Got input shapes: ${shapesText(inputs)}`);
  }
  const rawAxis = isAbsent(cfg.axis) ? -1 : cfg.axis;
  if (rawAxis === UNKNOWN) {
    const alternatives = Array.from({ length: rank }, (_, axis) => () => concatCheck({ axis }, inputs).outputShape);
    return { ok: true, broadcastAxes: [], mismatchedAxes: [], outputShape: agreeing(alternatives) ?? new Array<undefined>(rank).fill(undefined) };
  }
  if (typeof rawAxis !== 'number' || !Number.isInteger(rawAxis)) return failed(`Concatenate axis must be an integer, got ${show(rawAxis)}`);
  const axis = resolveAxis(rawAxis, rank);
  if (axis < 0 || axis >= rank) return failed(`Concatenate axis ${rawAxis} is out of range for inputs of rank ${rank}: ${shapesText(inputs)}`);
  // tfjs's K.concatenate turns every negative axis into the last one when the layer runs.
  if (rawAxis < -1 && axis !== rank - 1) {
    return failed(`Concatenate: tfjs 4.22 announces axis ${rawAxis} but concatenates along the last axis when it runs; use axis ${axis}. Inputs: ${shapesText(inputs)}`);
  }
  const out: Shape = [];
  const mismatchedAxes: number[] = [];
  const conditions: [Dim, Dim][] = [];
  for (let j = 0; j < rank; j++) {
    const dims = inputs.map((s) => s[j]);
    if (j === axis) {
      out.push(dims.includes(null) ? null : dims.includes(undefined) ? undefined : (dims as (number | string)[]).reduce<number | string>((a, b) => add(a, b), 0));
      continue;
    }
    // tfjs compares the other axes with ===, so None only matches None; unknown matches anything.
    const definite = [...new Set(dims.filter((d) => d !== undefined))];
    let clash = false;
    for (const d of definite.slice(1)) {
      const a = definite[0];
      const symbolic = typeof a === 'string' || typeof d === 'string';
      const v = symbolic && a !== null && d !== null ? decideEqual(a, d, currentFacts()) : 'different';
      if (v === 'different') clash = true;
      else if (v === 'unknown') conditions.push([a, d]);
    }
    if (clash) mismatchedAxes.push(j);
    out.push(definite.length === 1 ? definite[0] : undefined);
  }
  if (mismatchedAxes.length > 0) {
    return failed(`A Concatenate layer requires inputs with matching shapes except for the concat axis ${rawAxis}. Got input shapes: ${shapesText(inputs)} (axis ${mismatchedAxes.join(', ')} differs)`, mismatchedAxes);
  }
  return { ok: true, broadcastAxes: [], mismatchedAxes, outputShape: out, ...(conditions.length ? { conditions } : {}) };
}

const OUT_OF_RANGE = Symbol('out of range');

/** tfjs Dot: contracts one axis of each operand (rank <= 3); array axes are used as given, unresolved. */
function dotCheck(cfg: LayerConfig, inputs: Shape[]): MergeCheck {
  if (inputs.length !== 2) return failed(`A Dot layer should be called on a list of exactly 2 inputs, got ${inputs.length}.`);
  const [a, b] = inputs;
  if (a.length > 3 || b.length > 3) return failed(`Dot layer does not support tensors of 4D or higher rank yet: ${shapesText(inputs)}`);
  const raw = cfg.axes;
  if (raw === UNKNOWN || (Array.isArray(raw) && raw.some((x) => x === UNKNOWN))) {
    return { ok: true, broadcastAxes: [], mismatchedAxes: [], outputShape: undefined };
  }
  const wrap = (x: number, rank: number): number => (x < 0 ? ((x % rank) + rank) % rank : x);
  let axes: number[];
  if (typeof raw === 'number') axes = [wrap(raw, a.length), wrap(raw, b.length)];
  else if (Array.isArray(raw) && raw.length === 2 && raw.every((x) => typeof x === 'number')) axes = raw;
  else return failed(`Dot expects axes to be a number or a pair of numbers, got ${show(raw)}`);
  const pick = (s: Shape, i: number): Dim | typeof OUT_OF_RANGE => (i >= 0 && i < s.length ? s[i] : OUT_OF_RANGE);
  const d1 = pick(a, axes[0]);
  const d2 = pick(b, axes[1]);
  if (d1 === OUT_OF_RANGE || d2 === OUT_OF_RANGE) return failed(`Dot: axes ${show(raw)} out of range for shapes ${shapesText(inputs)}`);
  if (d1 !== d2 && d1 !== undefined && d2 !== undefined) {
    return failed(`Dot: dimension incompatibility: ${String(d1)} !== ${String(d2)} for shapes ${shapesText(inputs)}`, [axes[0]]);
  }
  const left = a.slice();
  left.splice(axes[0], 1);
  const right = b.slice();
  right.splice(axes[1], 1);
  right.splice(0, 1);
  const out = left.concat(right);
  if (out.length === 1) out.push(1);
  return { ok: true, broadcastAxes: [], mismatchedAxes: [], outputShape: out };
}

/** Shape compatibility of a merge layer's operands, as tfjs's build() and computeOutputShape() see it. */
export function mergeCheck(className: string, cfg: LayerConfig, inputs: Shape[]): MergeCheck {
  if (className === 'Dot') return dotCheck(cfg, inputs);
  if (inputs.length < 2) return failed(`A ${className} layer should be called on an Array of at least 2 inputs. Got ${inputs.length} input(s).`);
  if (className === 'Concatenate') return concatCheck(cfg, inputs);
  if (className in ELEMENTWISE) return elementwiseCheck(className, inputs);
  return failed(`${className} is not a merge layer`);
}

function mergeSpec(className: string, factory: string): LayerSpec {
  return {
    className,
    factories: [factory],
    kind: 'merge',
    computeOutputShape(cfg, inputs) {
      const r = mergeCheck(className, cfg, inputs);
      return r.error ? { shape: undefined, error: r.error } : { shape: r.outputShape };
    },
    countParams: () => 0,
  };
}

export const mergeLayers: LayerSpec[] = [
  ...Object.entries(ELEMENTWISE).map(([className, factory]) => mergeSpec(className, factory)),
  mergeSpec('Concatenate', 'concatenate'),
  mergeSpec('Dot', 'dot'),
];
