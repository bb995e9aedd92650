import type { Application, TensorNode } from '../graph';
import { windowInfo } from '../layers';
import type { Shape } from '../types';

/** Distance in layers from every ancestor tensor to `t` (t itself at 0). */
export function ancestors(t: TensorNode): Map<TensorNode, number> {
  const dist = new Map<TensorNode, number>([[t, 0]]);
  const queue = [t];
  while (queue.length) {
    const cur = queue.shift()!;
    const d = dist.get(cur)!;
    for (const inp of cur.producer?.inputs ?? []) {
      if (!dist.has(inp)) { dist.set(inp, d + 1); queue.push(inp); }
    }
  }
  return dist;
}

export interface Operand {
  tensor: TensorNode;
  /** Layers between the fork and this operand (0 = the fork itself: an identity shortcut). */
  distance: number;
  /** Applications on the way from the fork to this operand, in creation order. */
  path: Application[];
}

export interface MergeSite {
  app: Application;
  /** The tensor every operand derives from: where the residual block starts. Undefined if none. */
  fork: TensorNode | undefined;
  operands: Operand[];
  /** Operand with the most layers since the fork (the residual function F). */
  branch: number;
  /** Operand with the fewest layers since the fork (the one a projection belongs on). */
  shortcut: number;
  layout: Layout;
}

/** Which axes are spatial and which is channels for this rank and data format. */
export interface Layout { rank: number; spatial: number[]; channel: number }

export function layoutFor(rank: number, channelsFirst: boolean): Layout {
  if (rank <= 2) return { rank, spatial: [], channel: rank - 1 };
  const spatialCount = rank - 2;
  if (channelsFirst) return { rank, spatial: Array.from({ length: spatialCount }, (_, i) => i + 2), channel: 1 };
  return { rank, spatial: Array.from({ length: spatialCount }, (_, i) => i + 1), channel: rank - 1 };
}

export function analyzeMerge(app: Application): MergeSite {
  const anc = app.inputs.map(ancestors);
  let fork: TensorNode | undefined;
  for (const [t] of anc[0] ?? new Map()) {
    if (anc.every((m) => m.has(t)) && (!fork || t.id > fork.id)) fork = t;
  }
  const operands = app.inputs.map((tensor, i): Operand => {
    const distance = fork ? anc[i].get(fork)! : Infinity;
    return { tensor, distance, path: fork ? pathBetween(fork, tensor, anc[i]) : [] };
  });
  let branch = 0;
  let shortcut = 0;
  operands.forEach((o, i) => {
    if (o.distance > operands[branch].distance) branch = i;
    if (o.distance < operands[shortcut].distance) shortcut = i;
  });
  const channelsFirst = operands.some((o) => o.path.some((a) => windowInfo(a.layer.className, a.layer.config)?.channelsFirst === true));
  const rank = app.inputs[0]?.shape?.length ?? 0;
  return { app, fork, operands, branch, shortcut, layout: layoutFor(rank, channelsFirst) };
}

/** Applications that lie on some path from `fork` to `t`. */
function pathBetween(fork: TensorNode, t: TensorNode, anc: Map<TensorNode, number>): Application[] {
  const fromFork = new Set<TensorNode>([fork]);
  const queue = [fork];
  while (queue.length) {
    const cur = queue.shift()!;
    for (const app of cur.consumers) for (const out of app.outputs) {
      if (anc.has(out) && !fromFork.has(out)) { fromFork.add(out); queue.push(out); }
    }
  }
  const apps = new Set<Application>();
  for (const x of fromFork) if (x !== fork && x.producer) apps.add(x.producer);
  return [...apps].sort((a, b) => a.id - b.id);
}

export const dimsAt = (s: Shape | undefined, axes: number[]) => axes.map((a) => s?.[a]);
export const sizeText = (dims: (number | null | undefined)[]) => dims.map((d) => (d === undefined || d === null ? '?' : String(d))).join('x');
