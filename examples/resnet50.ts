// ResNet-50 for 224x224 ImageNet images (He et al. 2015, table 1), with Keras-style layer names:
// 7x7/2 stem and 3x3/2 max-pooling, then bottleneck blocks (1x1 reduce, 3x3, 1x1 expand to 4x width)
// in stages of 3, 4, 6 and 3 blocks. About 25.6 million parameters.
//
//   npx skipcheck examples/resnet50.ts
import * as tf from '@tensorflow/tfjs';

const STAGES = [
  { name: 'conv2', blocks: 3, width: 64, stride: 1 },
  { name: 'conv3', blocks: 4, width: 128, stride: 2 },
  { name: 'conv4', blocks: 6, width: 256, stride: 2 },
  { name: 'conv5', blocks: 3, width: 512, stride: 2 },
];

function convBn(x: tf.SymbolicTensor, filters: number, kernelSize: number, strides: number, name: string) {
  const conv = tf.layers.conv2d({ filters, kernelSize, strides, padding: 'same', useBias: false, name: `${name}_conv` });
  const bn = tf.layers.batchNormalization({ epsilon: 1.001e-5, name: `${name}_bn` });
  return bn.apply(conv.apply(x)) as tf.SymbolicTensor;
}

function relu(x: tf.SymbolicTensor, name: string) {
  return tf.layers.activation({ activation: 'relu', name }).apply(x) as tf.SymbolicTensor;
}

function bottleneck(x: tf.SymbolicTensor, width: number, stride: number, project: boolean, name: string) {
  // The first block of every stage projects: its output has 4x width channels (and maybe a stride).
  const shortcut = project ? convBn(x, 4 * width, 1, stride, `${name}_0`) : x;

  let y = relu(convBn(x, width, 1, 1, `${name}_1`), `${name}_1_relu`);
  y = relu(convBn(y, width, 3, stride, `${name}_2`), `${name}_2_relu`);
  y = convBn(y, 4 * width, 1, 1, `${name}_3`);

  const sum = tf.layers.add({ name: `${name}_add` }).apply([shortcut, y]) as tf.SymbolicTensor;
  return relu(sum, `${name}_out`);
}

export function createResNet50(numClasses = 1000): tf.LayersModel {
  const images = tf.input({ shape: [224, 224, 3], name: 'input' });
  let x = relu(convBn(images, 64, 7, 2, 'conv1'), 'conv1_relu');
  x = tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same', name: 'pool1' }).apply(x) as tf.SymbolicTensor;

  for (const stage of STAGES) {
    for (let i = 0; i < stage.blocks; i++) {
      const first = i === 0;
      x = bottleneck(x, stage.width, first ? stage.stride : 1, first, `${stage.name}_block${i + 1}`);
    }
  }

  x = tf.layers.globalAveragePooling2d({ name: 'avg_pool' }).apply(x) as tf.SymbolicTensor;
  const probabilities = tf.layers.dense({ units: numClasses, activation: 'softmax', name: 'predictions' }).apply(x);
  return tf.model({ inputs: images, outputs: probabilities as tf.SymbolicTensor, name: 'resnet50' });
}
