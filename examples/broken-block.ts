// expect: bias-before-batchnorm line 23 bias
// expect: activation-before-batchnorm line 25 relu
// expect: missing-same-padding line 32 same
// expect: residual-shape-mismatch line 34 30
// expect: residual-shape-mismatch line 42 16
// tfjs-error: Operands could not be broadcast together with shapes [30,30,16] [32,32,16]
//
// The classic residual-network mistakes, one of each. Run
//   npx skipcheck examples/broken-block.ts
// to see them reported (the expect lines above list the findings; the test suite checks them), and
//   npx skipcheck --fix examples/broken-block.ts
// to apply the suggested fixes.
import * as tf from '@tensorflow/tfjs';

type T = tf.SymbolicTensor;

const bn = (x: T) => tf.layers.batchNormalization().apply(x) as T;
const relu = (x: T) => tf.layers.reLU().apply(x) as T;

export function createStem(): tf.LayersModel {
  const images = tf.input({ shape: [32, 32, 3] });
  // Mistake 1: this conv keeps its bias, but the BatchNormalization after it cancels any bias.
  const x = relu(bn(tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same' }).apply(images) as T));
  // Mistake 2: the ReLU fused into the conv runs before BatchNormalization instead of after it.
  const y = tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', useBias: false, activation: 'relu' }).apply(x) as T;
  return tf.model({ inputs: images, outputs: bn(y) });
}

export function createBlockWithoutPadding(): tf.LayersModel {
  const x = tf.input({ shape: [32, 32, 16] });
  // Mistake 3: padding left at its default ('valid'): the 3x3 conv shrinks 32x32 to 30x30.
  let y = relu(bn(tf.layers.conv2d({ filters: 16, kernelSize: 3, useBias: false }).apply(x) as T));
  y = bn(tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', useBias: false }).apply(y) as T);
  return tf.model({ inputs: x, outputs: relu(tf.layers.add().apply([y, x]) as T) });
}

export function createDownsamplingBlock(): tf.LayersModel {
  const x = tf.input({ shape: [32, 32, 16] });
  // Mistake 4: the block downsamples with strides 2 but keeps the identity shortcut.
  let y = relu(bn(tf.layers.conv2d({ filters: 16, kernelSize: 3, strides: 2, padding: 'same', useBias: false }).apply(x) as T));
  y = bn(tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', useBias: false }).apply(y) as T);
  return tf.model({ inputs: x, outputs: relu(tf.layers.add().apply([y, x]) as T) });
}
