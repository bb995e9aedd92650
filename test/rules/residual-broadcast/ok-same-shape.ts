// Near miss: the operands already agree everywhere, including a size-1 axis both of them have.
import * as tf from '@tensorflow/tfjs';

export function sameShapeBlock(): tf.LayersModel {
  const input = tf.input({ shape: [1, 8, 16] });
  const y = tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same' }).apply(input) as tf.SymbolicTensor;
  const out = tf.layers.add().apply([y, input]) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}
