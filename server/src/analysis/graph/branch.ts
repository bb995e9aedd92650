// Residual-block structure of the graph: where a merge's operands fork, which operand is the branch
// and which the shortcut, and the layers on each path.
import type { Application, TensorNode } from './graph';
import { windowInfo } from '../layers';
import type { Dim, Shape } from '../types';

/** Distance in layers from every ancestor tensor of `t` whose id is at least `minId` (t itself at 0). */
export function ancestors(t: TensorNode, minId = 0): Map<TensorNode, number> {
  const dist = new Map<TensorNode, number>([[t, 0]]);
  const queue = [t];
  for (let head = 0; head < queue.length; head++) {
    const cur = queue[head];
    const d = dist.get(cur)!;
    for (const inp of cur.producer?.inputs ?? []) {
      if (inp.id >= minId && !dist.has(inp)) { dist.set(inp, d + 1); queue.push(inp); }
    }
  }
  return dist;
}

/**
 * The newest tensor every input derives from. A tensor's id is larger than its producer's inputs', so
 * walking back newest-first, the first tensor reached from all inputs is it: only the block between the
 * fork and the merge is visited, not the whole model (which made long models quadratic).
 */
function latestCommonAncestor(inputs: TensorNode[]): TensorNode | undefined {
  const reachedFrom = new Map<TensorNode, Set<number>>();
  const heap = new IdMaxHeap();
  inputs.forEach((t, i) => {
    if (!reachedFrom.has(t)) { reachedFrom.set(t, new Set()); heap.push(t); }
    reachedFrom.get(t)!.add(i);
  });
  for (let t = heap.pop(); t; t = heap.pop()) {
    const marks = reachedFrom.get(t)!;
    if (marks.size === inputs.length) return t;
    for (const inp of t.producer?.inputs ?? []) {
      let m = reachedFrom.get(inp);
      if (!m) { m = new Set(); reachedFrom.set(inp, m); heap.push(inp); }
      for (const i of marks) m.add(i);
    }
  }
  return undefined;
}

class IdMaxHeap {
  private readonly items: TensorNode[] = [];
  push(t: TensorNode): void {
    const a = this.items;
    a.push(t);
    for (let i = a.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      if (a[p].id >= a[i].id) break;
      [a[p], a[i]] = [a[i], a[p]];
      i = p;
    }
  }
  pop(): TensorNode | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < a.length && a[l].id > a[m].id) m = l;
        if (r < a.length && a[r].id > a[m].id) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
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
  const fork = latestCommonAncestor(app.inputs);
  // Paths from the fork to an operand only pass through newer tensors.
  const anc = app.inputs.map((t) => ancestors(t, fork?.id ?? Infinity));
  const operands = app.inputs.map((tensor, i): Operand => {
    const distance = fork ? anc[i].get(fork)! : Infinity;
    return { tensor, distance, path: fork ? pathBetween(fork, anc[i]) : [] };
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

/** Applications that lie on some path from `fork` to the tensor whose ancestors are `anc`. */
function pathBetween(fork: TensorNode, anc: Map<TensorNode, number>): Application[] {
  const fromFork = new Set<TensorNode>([fork]);
  const queue = [fork];
  for (let head = 0; head < queue.length; head++) {
    const cur = queue[head];
    for (const app of cur.consumers) for (const out of app.outputs) {
      if (anc.has(out) && !fromFork.has(out)) { fromFork.add(out); queue.push(out); }
    }
  }
  const apps = new Set<Application>();
  for (const x of fromFork) if (x !== fork && x.producer) apps.add(x.producer);
  return [...apps].sort((a, b) => a.id - b.id);
}

export const dimsAt = (s: Shape | undefined, axes: number[]) => axes.map((a) => s?.[a]);
/** `32x32`; with a symbolic size `x.shape[1]×x.shape[2]`, since an `x` between names would read as one. */
export const sizeText = (dims: Dim[]) => {
  if (!dims.some((d) => typeof d === 'string')) return dims.map((d) => (d === undefined || d === null ? '?' : String(d))).join('x');
  return dims.map((d) => (d === undefined || d === null ? '?' : /.[+-]/.test(String(d)) ? `(${String(d)})` : String(d))).join('×');
};
