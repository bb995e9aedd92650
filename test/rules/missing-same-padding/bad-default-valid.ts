// The branch's 3x3 convolution uses tfjs's default 'valid' padding, shrinking 8x8 to 6x6 before the add.
import * as tf from '@tensorflow/tfjs';

export function validBlock(): tf.LayersModel {
  const input = tf.input({ shape: [8, 8, 4] });
  const y = tf.layers.conv2d({ filters: 4, kernelSize: 3 }).apply(input) as tf.SymbolicTensor; // expect: missing-same-padding 'valid' padding (the tfjs default)
  const out = tf.layers.add().apply([y, input]) as tf.SymbolicTensor; // expect: residual-shape-mismatch 6x6 vs 8x8
  return tf.model({ inputs: input, outputs: out });
}
