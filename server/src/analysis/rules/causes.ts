// Why a branch's shape changed, in words, for the messages of the residual rules.
import type { Application } from '../graph/graph';
import { windowInfo } from '../layers';
import type * as ts from 'typescript';
import { lineRef } from '../syntax/text';
import type { Dim } from '../types';
import { provablyPositive, sub } from '../symbolic/expr';
import { type Layout, dimsAt, sizeText } from '../graph/branch';

/** Whether a layer in a branch shrinks the spatial size through 'valid' padding of a window wider than 1. */
export function validShrink(a: Application, layout: Layout): boolean {
  const w = windowInfo(a.layer.className, a.layer.config);
  if (!w || w.padding !== 'valid') return false;
  const wide = w.kernel.some((k, i) => k === undefined || k + (k - 1) * ((w.dilation[i] ?? 1) - 1) > 1);
  if (!wide) return false;
  const inDims = dimsAt(a.inputs[0]?.shape, layout.spatial);
  const outDims = dimsAt(a.outputs[0]?.shape, layout.spatial);
  return inDims.some((d, i) => shrinks(d, outDims[i]));
}

/** out < in for every admissible value (`x.shape[1]-2` < `x.shape[1]`). */
function shrinks(d: Dim, out: Dim): boolean {
  if (typeof d === 'number' && typeof out === 'number') return out < d;
  if ((typeof d !== 'number' && typeof d !== 'string') || (typeof out !== 'number' && typeof out !== 'string')) return false;
  return provablyPositive(sub(d, out));
}

/**
 * What a layer does to the spatial size and the channels, in words, or undefined if it changes neither.
 * `here`: the file of the finding, so layers of other files are named with theirs.
 */
export function describeChange(a: Application, layout: Layout, spatialOnly = false, here?: ts.SourceFile): string | undefined {
  const inShape = a.inputs[0]?.shape;
  const outShape = a.outputs[0]?.shape;
  if (!inShape || !outShape) return undefined;
  const name = a.layer.factory;
  const at = lineRef(a.layer.created.sf, a.layer.created.node, here);
  const parts: string[] = [];
  const inDims = dimsAt(inShape, layout.spatial);
  const outDims = dimsAt(outShape, layout.spatial);
  if (inShape.length === outShape.length && inDims.some((d, i) => d !== outDims[i])) {
    const w = windowInfo(a.layer.className, a.layer.config);
    const from = sizeText(inDims);
    const to = sizeText(outDims);
    const strides = w?.strides.filter((s): s is number => typeof s === 'number' && s > 1) ?? [];
    if (strides.length > 0) {
      const verb = strides.every((s) => s === 2) ? 'halves' : 'reduces';
      parts.push(`${name} with strides ${strides[0]} at ${at} ${verb} the size ${from} -> ${to}`);
    } else if (validShrink(a, layout)) {
      parts.push(`${name} at ${at} uses 'valid' padding${a.layer.config.padding === undefined ? ' (the default)' : ''} and shrinks ${from} to ${to}`);
    } else {
      parts.push(`${name} at ${at} changes the size ${from} -> ${to}`);
    }
  }
  const cin = inShape[layout.channel];
  const cout = outShape[layout.channel];
  const sized = (d: Dim): d is number | string => typeof d === 'number' || typeof d === 'string';
  if (!spatialOnly && inShape.length === outShape.length && cin !== cout && sized(cout)) {
    const what = layout.spatial.length === 0 ? 'units' : 'channels';
    parts.push(`${name} at ${at} outputs ${cout} ${what}${sized(cin) ? ` (from ${cin})` : ''}`);
  }
  return parts.length ? parts.join('; ') : undefined;
}

export function describePath(path: Application[], layout: Layout, spatialOnly = false, here?: ts.SourceFile): string[] {
  return path.map((a) => describeChange(a, layout, spatialOnly, here)).filter((s): s is string => !!s);
}
