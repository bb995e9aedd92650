// The branch halves the spatial size and doubles the channels; the identity shortcut keeps both.
import * as tf from '@tensorflow/tfjs';

export function stridedBlock(): tf.LayersModel {
  const input = tf.input({ shape: [16, 16, 8] });
  let y = tf.layers.conv2d({ filters: 16, kernelSize: 3, strides: 2, padding: 'same' }).apply(input) as tf.SymbolicTensor;
  y = tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same' }).apply(y) as tf.SymbolicTensor;
  const out = tf.layers.add().apply([y, input]) as tf.SymbolicTensor; // expect: residual-shape-mismatch 8x8 vs 16x16
  return tf.model({ inputs: input, outputs: out });
}
