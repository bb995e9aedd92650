import * as tf from '@tensorflow/tfjs';

export function block(x: tf.SymbolicTensor, filters: number, strides: number): tf.SymbolicTensor {
  let y = tf.layers.conv2d({ filters, kernelSize: 3, strides, padding: 'same', useBias: false }).apply(x) as tf.SymbolicTensor;
  y = tf.layers.batchNormalization().apply(y) as tf.SymbolicTensor;
  return tf.layers.add().apply([y, x]) as tf.SymbolicTensor;
}

export function down(x: tf.SymbolicTensor, filters: number): tf.SymbolicTensor {
  let y = tf.layers.conv2d({ filters, kernelSize: 3, strides: 2, padding: 'same', useBias: false }).apply(x) as tf.SymbolicTensor;
  y = tf.layers.batchNormalization().apply(y) as tf.SymbolicTensor;
  let shortcut = tf.layers.conv2d({ filters, kernelSize: 1, strides: 2, useBias: false }).apply(x) as tf.SymbolicTensor;
  shortcut = tf.layers.batchNormalization().apply(shortcut) as tf.SymbolicTensor;
  return tf.layers.add().apply([y, shortcut]) as tf.SymbolicTensor;
}
