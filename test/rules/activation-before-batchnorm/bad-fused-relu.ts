// ReLU fused into the convolution runs before the BatchNormalization instead of after it.
import * as tf from '@tensorflow/tfjs';

export function reluBn(): tf.LayersModel {
  const input = tf.input({ shape: [8, 8, 4] });
  let y = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', useBias: false, activation: 'relu' }).apply(input) as tf.SymbolicTensor; // expect: activation-before-batchnorm applies 'relu'
  y = tf.layers.batchNormalization().apply(y) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: y });
}
