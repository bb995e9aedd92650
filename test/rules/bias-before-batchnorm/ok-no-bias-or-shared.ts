// Near misses: a convolution without bias before BN, and one whose biased output also feeds another layer.
import * as tf from '@tensorflow/tfjs';

export function quietBn(): tf.LayersModel {
  const input = tf.input({ shape: [8, 8, 4] });
  let y = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', useBias: false }).apply(input) as tf.SymbolicTensor;
  y = tf.layers.batchNormalization().apply(y) as tf.SymbolicTensor;
  const z = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same' }).apply(y) as tf.SymbolicTensor;
  const bn = tf.layers.batchNormalization().apply(z) as tf.SymbolicTensor;
  const out = tf.layers.add().apply([bn, z]) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}
