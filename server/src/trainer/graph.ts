// Read-only walks over a tfjs layers graph: which layer consumes which, and how far a tensor is from
// another. Layers reused at several call sites are looked at through their first call only.
import type * as tfType from '@tensorflow/tfjs';

type Layer = tfType.layers.Layer;
type SymbolicTensor = tfType.SymbolicTensor;

/** Tensors a symbolic tensor was computed from (empty for model inputs). */
export function inputsOf(t: SymbolicTensor): SymbolicTensor[] {
  return t.sourceLayer.inboundNodes[t.nodeIndex]?.inputTensors ?? [];
}

/** The tensor produced by a layer's first call. */
export function firstOutput(layer: Layer): SymbolicTensor {
  const out = layer.inboundNodes[0]?.outputTensors ?? [];
  if (out.length !== 1) throw new Error(`Layer ${layer.name} has ${out.length} outputs.`);
  return out[0];
}

/** Layers of `model` that take the first output of `layer` as input. */
export function consumersOf(layer: Layer, model: tfType.LayersModel): Layer[] {
  const inModel = new Set(model.layers);
  return layer.outboundNodes.map((n) => n.outboundLayer).filter((l) => inModel.has(l));
}

/** Shortest number of layers from each ancestor tensor (by id) to `t`; `t` itself is at 0. */
export function ancestorDistances(t: SymbolicTensor): Map<number, number> {
  const dist = new Map<number, number>([[t.id, 0]]);
  const queue = [t];
  while (queue.length) {
    const cur = queue.shift()!;
    for (const input of inputsOf(cur)) {
      if (!dist.has(input.id)) { dist.set(input.id, dist.get(cur.id)! + 1); queue.push(input); }
    }
  }
  return dist;
}

/**
 * For the operands of a merge, the index of the residual branch: the operand with the most layers since
 * the nearest tensor all operands derive from (the fork). The shortcut is the block input itself (0
 * layers) or a projection of it (1x1 conv, maybe + BN), so it is always the shorter path.
 */
export function residualOperand(operands: SymbolicTensor[]): number {
  const dists = operands.map(ancestorDistances);
  let fork: number | undefined;
  let best = Infinity;
  for (const [id] of dists[0]) {
    if (!dists.every((d) => d.has(id))) continue;
    const total = dists.reduce((s, d) => s + d.get(id)!, 0);
    if (total < best) { best = total; fork = id; }
  }
  if (fork === undefined) return operands.length - 1; // independent inputs: no shortcut to tell apart
  let branch = 0;
  dists.forEach((d, i) => { if (d.get(fork)! > dists[branch].get(fork)!) branch = i; });
  return branch;
}

/** How a two-operand merge splits into a residual branch and a shortcut, when it is a residual merge. */
export interface ShortcutSplit {
  /** Index of the residual-branch operand. */
  branch: number;
  /** Index of the shortcut operand (the fork itself, or a projection of it). */
  shortcut: number;
  /** Id of the tensor both operands derive from. */
  fork: number;
  /** True when the shortcut is the fork itself (no layer on it). */
  identity: boolean;
}

/**
 * Splits the operands of a merge into branch and shortcut: the shortcut is the operand nearer to the fork
 * (residualOperand). Undefined when the operands share no ancestor, are not two, or are equally far from
 * the fork (two parallel branches, not a shortcut).
 */
export function shortcutSplit(operands: SymbolicTensor[]): ShortcutSplit | undefined {
  if (operands.length !== 2) return undefined;
  const dists = operands.map(ancestorDistances);
  let fork: number | undefined;
  let best = Infinity;
  for (const [id] of dists[0]) {
    if (!dists[1].has(id)) continue;
    const total = dists[0].get(id)! + dists[1].get(id)!;
    if (total < best) { best = total; fork = id; }
  }
  if (fork === undefined) return undefined;
  const [d0, d1] = [dists[0].get(fork)!, dists[1].get(fork)!];
  if (d0 === d1) return undefined;
  const branch = d0 > d1 ? 0 : 1;
  return { branch, shortcut: 1 - branch, fork, identity: Math.min(d0, d1) === 0 };
}
