const tf = require('@tensorflow/tfjs');

function stage(x) {
  let y = tf.layers.conv2d({filters: 32, kernelSize: 3, strides: 2, padding: 'same', useBias: false}).apply(x);
  y = tf.layers.batchNormalization().apply(y);
  return tf.layers.add().apply([y, x]);
}

function build() {
  const input = tf.input({shape: [32, 32, 16]});
  return tf.model({inputs: input, outputs: stage(input)});
}

module.exports = { build };
