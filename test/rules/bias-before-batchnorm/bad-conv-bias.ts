// The convolution keeps its default bias, which the BatchNormalization right after subtracts away.
import * as tf from '@tensorflow/tfjs';

export function convBn(): tf.LayersModel {
  const input = tf.input({ shape: [8, 8, 4] });
  let y = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same' }).apply(input) as tf.SymbolicTensor; // expect: bias-before-batchnorm 8 parameters are wasted
  y = tf.layers.batchNormalization().apply(y) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: y });
}
