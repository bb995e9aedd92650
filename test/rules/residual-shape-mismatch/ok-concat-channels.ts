// Near miss: concatenate only needs the spatial sizes to agree; different channel counts are its purpose.
import * as tf from '@tensorflow/tfjs';

export function denseStyle(): tf.LayersModel {
  const input = tf.input({ shape: [8, 8, 4] });
  const y = tf.layers.conv2d({ filters: 12, kernelSize: 3, padding: 'same' }).apply(input) as tf.SymbolicTensor;
  const out = tf.layers.concatenate().apply([input, y]) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}
