// Models as hosts show them (ModelInfo): layers, shapes and parameter counts.
import type { LayerInstance, ModelRecord, TensorNode } from '../graph/graph';
import { modelParams } from '../graph/walks';
import { rangeOf } from '../syntax/text';
import type { LayerInfo, ModelInfo, Shape } from '../types';

/**
 * undefined dims become null in JSON anyway; do it explicitly so in-process hosts see the same. Symbolic dims
 * (dynamic ones from a None input) show as null, as tfjs reports them.
 */
export const jsonShape = (s: Shape | undefined): Shape | null => (s ? s.map((d) => (d === undefined || typeof d === 'string' ? null : d)) : null);

/** The same with symbolic dims kept as their text (symbolicShapes). */
export const symbolicJsonShape = (s: Shape | undefined): Shape | null => (s ? s.map((d) => (d === undefined ? null : d)) : null);

/** A tensor's shape as users may see it: none past a merge tfjs would refuse. */
export const shownShape = (t: TensorNode): Shape | null => (t.recovered ? null : jsonShape(t.shape));

function layerOutput(l: LayerInstance): Shape | Shape[] | null {
  const app = l.apps[0];
  if (!app) return null;
  if (app.outputs.length === 1) return shownShape(app.outputs[0]);
  return app.outputs.map((o: TensorNode) => shownShape(o) ?? []);
}

export function layerInfo(l: LayerInstance): LayerInfo {
  return {
    className: l.className,
    outputShape: layerOutput(l),
    file: l.created.file,
    range: rangeOf(l.created.sf, l.created.node),
    paramCount: l.paramCount,
  };
}

export function modelInfo(m: ModelRecord): ModelInfo {
  return {
    name: m.name,
    kind: m.kind,
    file: m.created.file,
    range: rangeOf(m.created.sf, m.created.node),
    layers: m.layers.map(layerInfo),
    inputShapes: m.inputs.map((t) => shownShape(t) ?? []),
    outputShapes: m.outputs.map((t) => shownShape(t) ?? []),
    paramCount: m.incomplete ? null : modelParams(m),
    ...(m.entry ? { entry: m.entry } : {}),
  };
}
