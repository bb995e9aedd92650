// A residual MLP for tabular regression: dense -> BatchNormalization -> ReLU blocks with identity
// shortcuts, and a bias-free dense projection (W_s in He et al. 2015, eq. 2) where the width changes.
//
//   npx skipcheck examples/residual-mlp.ts
import * as tf from '@tensorflow/tfjs';

const NUM_FEATURES = 13;
const WIDTHS = [64, 64, 128, 128];

function denseBn(x: tf.SymbolicTensor, units: number): tf.SymbolicTensor {
  const dense = tf.layers.dense({ units, useBias: false });
  return tf.layers.batchNormalization().apply(dense.apply(x)) as tf.SymbolicTensor;
}

function residualDense(x: tf.SymbolicTensor, units: number): tf.SymbolicTensor {
  const hidden = tf.layers.reLU().apply(denseBn(x, units)) as tf.SymbolicTensor;
  const branch = denseBn(hidden, units);
  const shortcut = x.shape[1] === units ? x : denseBn(x, units);
  return tf.layers.reLU().apply(tf.layers.add().apply([branch, shortcut])) as tf.SymbolicTensor;
}

export function createResidualMlp(): tf.LayersModel {
  const features = tf.input({ shape: [NUM_FEATURES] });
  let x = tf.layers.reLU().apply(denseBn(features, WIDTHS[0])) as tf.SymbolicTensor;
  for (const units of WIDTHS) {
    x = residualDense(x, units);
  }
  const price = tf.layers.dense({ units: 1 }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: features, outputs: price, name: 'residual_mlp' });
}
