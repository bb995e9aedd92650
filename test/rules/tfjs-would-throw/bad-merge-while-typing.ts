// What bracket auto-closing leaves while the second operand is being typed: a merge of one tensor.
import * as tf from '@tensorflow/tfjs';

export function halfTyped(): tf.LayersModel {
  const input = tf.input({ shape: [8, 8, 16] });
  const y = tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same' }).apply(input) as tf.SymbolicTensor;
  const out = tf.layers.add().apply([y]) as tf.SymbolicTensor; // expect: tfjs-would-throw at least 2 inputs. Got 1 input(s)
  return tf.model({ inputs: input, outputs: out });
}
