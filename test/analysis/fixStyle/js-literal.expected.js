const tf = require('@tensorflow/tfjs');

function stage(x) {
  let y = tf.layers.conv2d({filters: 32, kernelSize: 3, strides: 2, padding: 'same', useBias: false}).apply(x);
  y = tf.layers.batchNormalization().apply(y);
  let shortcut = tf.layers.conv2d({filters: 32, kernelSize: 1, strides: 2, useBias: false}).apply(x);
  shortcut = tf.layers.batchNormalization().apply(shortcut);
  return tf.layers.add().apply([y, shortcut]);
}

function build() {
  const input = tf.input({shape: [32, 32, 16]});
  return tf.model({inputs: input, outputs: stage(input)});
}

module.exports = { build };
