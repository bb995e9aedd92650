// A conv2d applied to a dense layer's rank-2 output: tfjs's InputSpec wants rank 4 and apply() throws.
import * as tf from '@tensorflow/tfjs';

export function flatThenConv(): tf.LayersModel {
  const input = tf.input({ shape: [64] });
  const h = tf.layers.dense({ units: 64, activation: 'relu' }).apply(input) as tf.SymbolicTensor;
  const y = tf.layers.conv2d({ filters: 8, kernelSize: 3 }).apply(h) as tf.SymbolicTensor; // expect: tfjs-would-throw expected ndim=4, found ndim=2
  return tf.model({ inputs: input, outputs: y });
}
