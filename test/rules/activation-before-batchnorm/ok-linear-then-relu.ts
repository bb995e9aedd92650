// Near misses: a 'linear' activation before BN changes nothing, and ReLU after BN is the usual order.
import * as tf from '@tensorflow/tfjs';

export function bnThenRelu(): tf.LayersModel {
  const input = tf.input({ shape: [8, 8, 4] });
  let y = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', useBias: false, activation: 'linear' }).apply(input) as tf.SymbolicTensor;
  y = tf.layers.batchNormalization().apply(y) as tf.SymbolicTensor;
  y = tf.layers.activation({ activation: 'relu' }).apply(y) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: y });
}
