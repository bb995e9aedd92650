// A basic residual block with one classic mistake: the second 3x3 convolution keeps the tfjs default
// padding 'valid', so the branch comes out 6x6 while the shortcut is 8x8 and tf.layers.add() throws when
// the model is built. The editor tests open this file, fix it and train it (small, so an epoch of pure-JS
// training takes seconds).
import * as tf from '@tensorflow/tfjs';

export function buildBrokenBlock(): tf.LayersModel {
  const input = tf.input({ shape: [8, 8, 8] });
  let x = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', useBias: false }).apply(input) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization().apply(x) as tf.SymbolicTensor;
  x = tf.layers.activation({ activation: 'relu' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.conv2d({ filters: 8, kernelSize: 3, useBias: false }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization().apply(x) as tf.SymbolicTensor;
  const sum = tf.layers.add().apply([x, input]) as tf.SymbolicTensor;
  const out = tf.layers.activation({ activation: 'relu' }).apply(sum) as tf.SymbolicTensor;
  const pooled = tf.layers.globalAveragePooling2d({}).apply(out) as tf.SymbolicTensor;
  const logits = tf.layers.dense({ units: 10, activation: 'softmax' }).apply(pooled) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: logits, name: 'broken_block' });
}
