// CIFAR-style ResNets (He et al. 2015, section 4.2: 6n+2 layers, stages of 16/32/64 filters) sized for MNIST's
// 28x28x1 digits: ResNet-20 (n = 3) and ResNet-56 (n = 9). The ablation benchmark trains them next to their
// plain twins (`skipcheck train examples/mnist-resnet.ts --entry resnet56 --dataset mnist --ablate plain`).
import * as tf from '@tensorflow/tfjs';

function convBn(input: tf.SymbolicTensor, filters: number, kernelSize: number, strides: number): tf.SymbolicTensor {
  const conv = tf.layers.conv2d({ filters, kernelSize, strides, padding: 'same', useBias: false, kernelInitializer: 'heNormal' });
  return tf.layers.batchNormalization().apply(conv.apply(input)) as tf.SymbolicTensor;
}

function basicBlock(input: tf.SymbolicTensor, filters: number, strides: number): tf.SymbolicTensor {
  const hidden = tf.layers.reLU().apply(convBn(input, filters, 3, strides)) as tf.SymbolicTensor;
  const branch = convBn(hidden, filters, 3, 1);
  const shortcut = strides !== 1 || input.shape[3] !== filters ? convBn(input, filters, 1, strides) : input;
  return tf.layers.reLU().apply(tf.layers.add().apply([branch, shortcut])) as tf.SymbolicTensor;
}

function cifarResNet(blocksPerStage: number, name: string): tf.LayersModel {
  const images = tf.input({ shape: [28, 28, 1] });
  let x = tf.layers.reLU().apply(convBn(images, 16, 3, 1)) as tf.SymbolicTensor;
  for (const [stage, filters] of [16, 32, 64].entries()) {
    for (let block = 0; block < blocksPerStage; block++) x = basicBlock(x, filters, stage > 0 && block === 0 ? 2 : 1);
  }
  const pooled = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 10, activation: 'softmax' }).apply(pooled) as tf.SymbolicTensor;
  return tf.model({ inputs: images, outputs: out, name });
}

export function resnet20(): tf.LayersModel {
  return cifarResNet(3, 'resnet20_mnist');
}

export function resnet56(): tf.LayersModel {
  return cifarResNet(9, 'resnet56_mnist');
}
