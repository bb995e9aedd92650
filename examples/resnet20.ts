// ResNet-20 for CIFAR-10, as in He et al. 2015 (section 4.2): a 3x3 stem, three stages of three basic
// blocks with 16, 32 and 64 filters, global average pooling and a 10-way softmax.
//
//   npx skipcheck examples/resnet20.ts
import * as tf from '@tensorflow/tfjs';

const BLOCKS_PER_STAGE = 3;

function convBn(input: tf.SymbolicTensor, filters: number, kernelSize: number, strides: number): tf.SymbolicTensor {
  // No bias: the BatchNormalization right after subtracts the mean anyway.
  const conv = tf.layers.conv2d({ filters, kernelSize, strides, padding: 'same', useBias: false, kernelInitializer: 'heNormal' });
  return tf.layers.batchNormalization().apply(conv.apply(input)) as tf.SymbolicTensor;
}

function residualBlock(input: tf.SymbolicTensor, filters: number, strides: number): tf.SymbolicTensor {
  const hidden = tf.layers.reLU().apply(convBn(input, filters, 3, strides)) as tf.SymbolicTensor;
  const branch = convBn(hidden, filters, 3, 1);

  // A block that downsamples or widens needs a 1x1 projection so both operands of the sum match.
  const changesShape = strides !== 1 || input.shape[3] !== filters;
  const shortcut = changesShape ? convBn(input, filters, 1, strides) : input;

  const sum = tf.layers.add().apply([branch, shortcut]) as tf.SymbolicTensor;
  return tf.layers.reLU().apply(sum) as tf.SymbolicTensor;
}

export function createResNet20(): tf.LayersModel {
  const images = tf.input({ shape: [32, 32, 3] });
  let x = tf.layers.reLU().apply(convBn(images, 16, 3, 1)) as tf.SymbolicTensor;

  for (const [stage, filters] of [16, 32, 64].entries()) {
    for (let block = 0; block < BLOCKS_PER_STAGE; block++) {
      const downsample = stage > 0 && block === 0;
      x = residualBlock(x, filters, downsample ? 2 : 1);
    }
  }

  const pooled = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  const probabilities = tf.layers.dense({ units: 10, activation: 'softmax' }).apply(pooled) as tf.SymbolicTensor;
  return tf.model({ inputs: images, outputs: probabilities, name: 'resnet20' });
}
