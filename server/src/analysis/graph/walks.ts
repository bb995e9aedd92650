// Walks over the layer graph that several stages share: which layers make up a model, what it weighs.
import type { LayerInstance, ModelRecord, TensorNode } from './graph';

/** The layers a functional model is made of: everything on a path from its inputs to its outputs. */
export function layersBetween(inputs: TensorNode[], outputs: TensorNode[], m: ModelRecord): LayerInstance[] {
  const seen = new Set<LayerInstance>();
  const visited = new Set<TensorNode>();
  const stack = [...outputs];
  while (stack.length) {
    const t = stack.pop()!;
    if (visited.has(t)) continue;
    visited.add(t);
    const app = t.producer;
    if (!app) { m.incomplete = true; continue; }
    seen.add(app.layer);
    if (inputs.includes(t)) continue;
    stack.push(...app.inputs);
  }
  return [...seen].sort((a, b) => a.id - b.id);
}

export function modelParams(m: ModelRecord): number | null {
  let total = 0;
  for (const l of m.layers) {
    if (l.paramCount === null) return null;
    total += l.paramCount;
  }
  return total;
}
