// A block helper that is right for its first call and wrong for the second (more filters than the input).
import * as tf from '@tensorflow/tfjs';

function block(x: tf.SymbolicTensor, filters: number): tf.SymbolicTensor {
  const y = tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same' }).apply(x) as tf.SymbolicTensor;
  return tf.layers.add().apply([y, x]) as tf.SymbolicTensor; // expect: residual-shape-mismatch 1 of 2 calls
}

export function twoBlocks(): tf.LayersModel {
  const input = tf.input({ shape: [8, 8, 4] });
  const out = block(block(input, 4), 8);
  return tf.model({ inputs: input, outputs: out });
}
