import * as tf from '@tensorflow/tfjs';

export function unet(): tf.LayersModel {
  const input = tf.input({ shape: [61, 61, 1] });
  // Two 'valid' 3x3 convolutions, as in the U-Net paper: 61 -> 57.
  const e = tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu' }).apply(input) as tf.SymbolicTensor;
  const skip = tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu' }).apply(e) as tf.SymbolicTensor;
  let d = tf.layers.maxPooling2d({ poolSize: 2 }).apply(skip) as tf.SymbolicTensor;
  d = tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(d) as tf.SymbolicTensor;
  const up = tf.layers.upSampling2d({ size: [2, 2] }).apply(d) as tf.SymbolicTensor;
  const cropped = tf.layers.cropping2D({ cropping: [[0, 1], [0, 1]] }).apply(skip) as tf.SymbolicTensor;
  const merged = tf.layers.concatenate().apply([up, cropped]) as tf.SymbolicTensor;
  const out = tf.layers.conv2d({ filters: 1, kernelSize: 1, activation: 'sigmoid' }).apply(merged) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}
