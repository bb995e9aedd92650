// Which layers of a model Keras can rebuild: tfjs's own layer classes, registered by tfjs itself before
// any user code runs. A class the user's file registers (or never registers) is a custom layer.
import type * as tfType from '@tensorflow/tfjs';
import type { Tf } from '../trainer/datasets/batches';

/** Class names tfjs has registered so far; call before loading the user's model file. */
export function builtinLayerClasses(tf: Tf): Set<string> {
  return new Set(Object.keys(tf.serialization.SerializationMap.getMap().classNameMap));
}

/** Layers (also inside nested models) whose class is not one of `builtin`. */
export function customLayers(tf: Tf, model: tfType.LayersModel, builtin: Set<string>): { layer: string; className: string }[] {
  const found: { layer: string; className: string }[] = [];
  for (const layer of model.layers) {
    if (layer instanceof tf.LayersModel) found.push(...customLayers(tf, layer, builtin));
    else if (!builtin.has(layer.getClassName())) found.push({ layer: layer.name, className: layer.getClassName() });
  }
  return found;
}
