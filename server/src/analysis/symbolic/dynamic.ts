// Dynamic dims: an input declared with `null` sizes (`tf.input({shape: [null, null, 3]})`). tfjs skips
// them when it builds the model and fails only at predict; the analysis gives each one a symbol named after
// the input's line and axis (`in12.shape[1]`), so that merges on them are checked like any other symbolic
// dim, while every shape shown to hosts keeps tfjs's `null`, and every check where tfjs itself refuses a
// None dim (a conv's channels, a dense kernel, flatten, a BN axis) still sees it as None.
import { symbolsOf } from './expr';

const DYNAMIC = /^in\d+\.shape\[\d+\]$/;

export function dynamicDim(line: number, axis: number): string {
  return `in${line}.shape[${axis}]`;
}

/** Whether a dim stands for (or is computed from) a dim declared None. */
export function isDynamic(d: unknown): boolean {
  if (typeof d !== 'string') return false;
  try { return symbolsOf(d).some((n) => DYNAMIC.test(n)); } catch { return false; }
}

/** None as tfjs sees it: null itself or a dynamic dim. */
export const isNone = (d: unknown): boolean => d === null || isDynamic(d);
