// Near misses: a 'valid' stem convolution outside any residual branch, and a 1x1 'valid' convolution inside
// one (a window of 1 cannot shrink anything).
import * as tf from '@tensorflow/tfjs';

export function stemThenBlock(): tf.LayersModel {
  const input = tf.input({ shape: [10, 10, 3] });
  const stem = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'valid' }).apply(input) as tf.SymbolicTensor;
  const y = tf.layers.conv2d({ filters: 4, kernelSize: 1, padding: 'valid' }).apply(stem) as tf.SymbolicTensor;
  const out = tf.layers.add().apply([y, stem]) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}
