// Would `padding: 'same'` on the shrinking layers make a merge's operands match? A U-Net encoder whose map is
// odd-sized on purpose (57x57) halves to 28, and 'same' gives 29 -> 58, still not 57: there the padding
// advice is wrong and the finding is not raised (cropping is the fix). Replays the spatial arithmetic of
// each operand's path from the fork with those layers set to 'same'; anything it cannot replay is unknown.
import type { Application, TensorNode } from '../graph/graph';
import type { MergeSite } from '../graph/branch';
import { convOutputLength, windowInfo } from '../layers';
import type { Dim } from '../types';

type Dims = Dim[] | undefined;

export function sameWouldMatch(site: MergeSite, pad: Application[]): boolean | undefined {
  const forkId = site.fork?.id;
  if (forkId === undefined) return undefined;
  const axes = site.layout.spatial;
  const memo = new Map<TensorNode, Dims>();
  const real = (t: TensorNode): Dims => (t.shape ? axes.map((a) => t.shape![a]) : undefined);
  const dimsOf = (t: TensorNode): Dims => {
    if (t.id <= forkId || !t.producer) return real(t);
    if (memo.has(t)) return memo.get(t);
    memo.set(t, undefined); // a cycle cannot happen in a layer graph, but never loop
    const out = replay(t.producer, dimsOf(t.producer.inputs[0]));
    memo.set(t, out);
    return out;
  };
  const replay = (a: Application, input: Dims): Dims => {
    const realIn = a.inputs[0] && real(a.inputs[0]);
    const realOut = a.outputs[0] && real(a.outputs[0]);
    if (!input || !realIn || !realOut || input.some((d) => typeof d !== 'number')) return undefined;
    const changed = pad.includes(a);
    if (!changed && same(input, realIn)) return realOut;
    const w = windowInfo(a.layer.className, a.layer.config);
    if (w && a.layer.className !== 'Conv2DTranspose') {
      return input.map((l, i) => convOutputLength(l, w.kernel[i], changed ? 'same' : w.padding, w.strides[i], w.dilation[i]));
    }
    if (a.layer.className === 'UpSampling2D' || a.layer.className === 'UpSampling1D') {
      return input.map((l, i) => (typeof l === 'number' && typeof realIn[i] === 'number' && typeof realOut[i] === 'number' ? l * (realOut[i]) / (realIn[i]) : undefined));
    }
    return same(realIn, realOut) ? input : undefined;
  };
  const operands = site.operands.map((o) => dimsOf(o.tensor));
  if (operands.some((d) => !d || d.some((x) => typeof x !== 'number'))) return undefined;
  return operands.every((d) => same(d, operands[0]));
}

const same = (a: Dims, b: Dims) => !!a && !!b && a.length === b.length && a.every((x, i) => x === b[i]);
