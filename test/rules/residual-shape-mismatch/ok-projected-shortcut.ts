// Near miss: the same strided branch, with the shortcut projected by a strided 1x1 convolution.
import * as tf from '@tensorflow/tfjs';

export function projectedBlock(): tf.LayersModel {
  const input = tf.input({ shape: [16, 16, 8] });
  let y = tf.layers.conv2d({ filters: 16, kernelSize: 3, strides: 2, padding: 'same' }).apply(input) as tf.SymbolicTensor;
  y = tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same' }).apply(y) as tf.SymbolicTensor;
  const shortcut = tf.layers.conv2d({ filters: 16, kernelSize: 1, strides: 2 }).apply(input) as tf.SymbolicTensor;
  const out = tf.layers.add().apply([y, shortcut]) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}
