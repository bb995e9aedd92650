// ResNet-style models built identically on any tfjs instance (pure-JS tfjs or tfjs-node), with seeded
// initializers so two runs start from the same weights. test/bench/native_keras.py mirrors them in Keras.
import type * as tfjs from '@tensorflow/tfjs';
import { seededRandom } from '../../server/src/trainer/random';

export type Tf = typeof tfjs;
export type ModelName = 'small' | 'small-dropout' | 'resnet20' | 'mnist';

export interface ModelSpec {
  inputShape: [number, number, number]; classes: number; stages: number[]; blocksPerStage: number;
  /** Dropout rate before the classifier (seeded), if any. */
  dropout?: number;
}

export const MODEL_SPECS: Record<ModelName, ModelSpec> = {
  // Test-sized: two stages of one block, the second projecting (stride 2, more filters).
  small: { inputShape: [16, 16, 3], classes: 4, stages: [8, 16], blocksPerStage: 1 },
  'small-dropout': { inputShape: [16, 16, 3], classes: 4, stages: [8, 16], blocksPerStage: 1, dropout: 0.3 },
  // He et al. 2015 CIFAR ResNet-20: 3 stages x 3 basic blocks, 16/32/64 filters.
  resnet20: { inputShape: [32, 32, 3], classes: 10, stages: [16, 32, 64], blocksPerStage: 3 },
  // MNIST-size input: 2 stages x 2 basic blocks.
  mnist: { inputShape: [28, 28, 1], classes: 10, stages: [16, 32], blocksPerStage: 2 },
};

export function buildResidualModel(tf: Tf, name: ModelName): tfjs.LayersModel {
  const spec = MODEL_SPECS[name];
  let seed = 1;
  const init = () => tf.initializers.heNormal({ seed: seed++ });
  const conv = (x: tfjs.SymbolicTensor, filters: number, kernelSize: number, strides: number) =>
    tf.layers.conv2d({ filters, kernelSize, strides, padding: 'same', useBias: false, kernelInitializer: init() }).apply(x) as tfjs.SymbolicTensor;
  const bn = (x: tfjs.SymbolicTensor) => tf.layers.batchNormalization().apply(x) as tfjs.SymbolicTensor;
  const relu = (x: tfjs.SymbolicTensor) => tf.layers.reLU().apply(x) as tfjs.SymbolicTensor;

  const input = tf.input({ shape: spec.inputShape });
  let x = relu(bn(conv(input, spec.stages[0], 3, 1)));
  spec.stages.forEach((filters, stage) => {
    for (let b = 0; b < spec.blocksPerStage; b++) {
      const strides = stage > 0 && b === 0 ? 2 : 1;
      const branch = bn(conv(relu(bn(conv(x, filters, 3, strides))), filters, 3, 1));
      const projects = strides !== 1 || x.shape[3] !== filters;
      const shortcut = projects ? bn(conv(x, filters, 1, strides)) : x;
      x = relu(tf.layers.add().apply([branch, shortcut]) as tfjs.SymbolicTensor);
    }
  });
  x = tf.layers.globalAveragePooling2d({}).apply(x) as tfjs.SymbolicTensor;
  if (spec.dropout) x = tf.layers.dropout({ rate: spec.dropout, seed: 11 }).apply(x) as tfjs.SymbolicTensor;
  const output = tf.layers.dense({ units: spec.classes, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: seed++ }) })
    .apply(x) as tfjs.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output, name: `resnet_${name.replace('-', '_')}` });
}

/**
 * A learnable synthetic task, identical for every run: each class is a fixed random pattern plus noise.
 * Generated with a small seeded PRNG, not tf.random*, so both tfjs instances see the same bytes.
 */
export function syntheticData(spec: ModelSpec, samples: number, seed = 7): { x: Float32Array; labels: Int32Array } {
  const rand = seededRandom(seed);
  const size = spec.inputShape[0] * spec.inputShape[1] * spec.inputShape[2];
  const patterns = Array.from({ length: spec.classes }, () => Float32Array.from({ length: size }, () => rand() * 2 - 1));
  const x = new Float32Array(samples * size);
  const labels = new Int32Array(samples);
  for (let i = 0; i < samples; i++) {
    labels[i] = i % spec.classes;
    const p = patterns[labels[i]];
    for (let j = 0; j < size; j++) x[i * size + j] = p[j] + (rand() * 2 - 1);
  }
  return { x, labels };
}
