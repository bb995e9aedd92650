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

/** The same for a model built by a function analysed without a caller: symbolic dims kept as text. */
const shownSymbolic = (t: TensorNode): Shape | null => (t.recovered ? null : symbolicJsonShape(t.shape));

function layerOutput(l: LayerInstance, shown = shownShape): Shape | Shape[] | null {
  const app = l.apps[0];
  if (!app) return null;
  if (app.outputs.length === 1) return shown(app.outputs[0]);
  return app.outputs.map((o: TensorNode) => shown(o) ?? []);
}

export function layerInfo(l: LayerInstance, shown = shownShape): LayerInfo {
  return {
    className: l.className,
    outputShape: layerOutput(l, shown),
    file: l.created.file,
    range: rangeOf(l.created.sf, l.created.node),
    paramCount: l.paramCount,
  };
}

export function modelInfo(m: ModelRecord, shown = shownShape): ModelInfo {
  return {
    name: m.name,
    kind: m.kind,
    file: m.created.file,
    range: rangeOf(m.created.sf, m.created.node),
    layers: m.layers.map((l) => layerInfo(l, shown)),
    inputShapes: m.inputs.map((t) => shown(t) ?? []),
    outputShapes: m.outputs.map((t) => shown(t) ?? []),
    paramCount: m.incomplete ? null : modelParams(m),
    ...(m.entry ? { entry: m.entry } : {}),
  };
}

/**
 * A model built by a function nothing calls (a `buildResNet(inputShape, numClasses)` builder), with its
 * sizes as symbols, for hovers: on its tf.model call and on the builder's name (`builderRange`).
 */
export function symbolicModelInfo(m: ModelRecord, builderRange: ModelInfo['range'] | undefined, loopsOnce: boolean): ModelInfo {
  return {
    ...modelInfo(m, shownSymbolic),
    ...(builderRange ? { builderRange } : {}),
    ...(loopsOnce ? { note: 'loops with a symbolic count are shown with one iteration' } : {}),
  };
}
