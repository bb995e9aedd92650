// Child-process check of the trainer's fused TensorFlow kernels against tfjs's own ops, on tfjs-node:
// BatchNormalization in training mode (output, gradients of input, gamma and beta, running statistics)
// for rank 2, 3 and 4 inputs, and ReLU's gradient. Prints one JSON line of largest differences.
//   node --import tsx test/native/fusedCheck.ts <tfjs-node package dir>
import type * as tfjs from '@tensorflow/tfjs';
import { fuseBatchNormalization } from '../../server/src/trainer/fusedBatchNorm';
import { installNativeKernels } from '../../server/src/trainer/nativeKernels';
import { seededRandom } from '../../server/src/trainer/random';
import type { Tf } from './residualModels';

export interface FusedCheckResult {
  installed: boolean;
  batchNorm: { shape: number[]; fusedLayers: number; diffs: Record<string, number> }[];
  reluGradDiff: number;
  /** Live tensors gained over 20 fused training steps after the first (0 = no leak). */
  tensorGrowth: number;
}

function randomTensor(tf: Tf, shape: number[], seed: number, offset = 0): tfjs.Tensor {
  const rand = seededRandom(seed);
  return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => offset + rand() * 2 - 1), shape);
}

/** One training-mode application under a gradient tape: output, gradients and the running statistics after it. */
function trainingStep(tf: Tf, shape: number[], fused: boolean): { values: Record<string, tfjs.Tensor>; fusedLayers: number } {
  const input = tf.input({ shape: shape.slice(1) });
  const layer = tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-3 });
  const model = tf.model({ inputs: input, outputs: layer.apply(input) as tfjs.SymbolicTensor });
  const channels = shape[shape.length - 1];
  layer.setWeights([randomTensor(tf, [channels], 1, 1), randomTensor(tf, [channels], 2), randomTensor(tf, [channels], 3), randomTensor(tf, [channels], 4, 2)]);
  const fusedLayers = fused ? fuseBatchNormalization(tf, model) : 0;
  // Inputs with a non-zero mean and a spread unlike 1, so that a wrong statistic shows.
  const x = tf.variable(tf.mul(randomTensor(tf, shape, 5, 0.7), 3));
  const w = randomTensor(tf, shape, 6);
  let y: tfjs.Tensor | undefined;
  const { grads } = tf.variableGrads(() => {
    y = tf.keep(layer.apply(x, { training: true }) as tfjs.Tensor);
    return tf.sum(tf.mul(y, w));
  });
  const [gamma, beta, movingMean, movingVariance] = layer.getWeights();
  const gradOf = (name: string) => Object.entries(grads).find(([k]) => k.endsWith(name))![1];
  return { values: { y: y!, dx: grads[x.name], dGamma: gradOf('gamma'), dBeta: gradOf('beta'), gamma, beta, movingMean, movingVariance }, fusedLayers };
}

function maxAbsDiff(tf: Tf, a: tfjs.Tensor, b: tfjs.Tensor): number {
  return tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
}

export async function fusedCheck(tf: Tf): Promise<FusedCheckResult> {
  const installed = installNativeKernels(tf).installed;
  const batchNorm = [[16, 7], [4, 5, 6], [8, 6, 6, 5]].map((shape) => {
    const plain = trainingStep(tf, shape, false);
    const fused = trainingStep(tf, shape, true);
    const diffs = Object.fromEntries(Object.keys(plain.values).map((k) => [k, maxAbsDiff(tf, plain.values[k], fused.values[k])]));
    return { shape, fusedLayers: fused.fusedLayers, diffs };
  });

  const x = randomTensor(tf, [4, 8, 8, 3], 7);
  const dy = randomTensor(tf, [4, 8, 8, 3], 8);
  const viaKernel = tf.grad((t: tfjs.Tensor) => tf.mul(tf.relu(t), dy))(x);
  const reference = tf.mul(dy, tf.cast(tf.greater(x, 0), 'float32'));

  return { installed, batchNorm, reluGradDiff: maxAbsDiff(tf, viaKernel, reference), tensorGrowth: await tensorGrowth(tf) };
}

/** A conv, BatchNormalization, ReLU model trained step after step: the fused path must not keep tensors. */
async function tensorGrowth(tf: Tf): Promise<number> {
  const input = tf.input({ shape: [6, 6, 2] });
  const conv = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same' }).apply(input) as tfjs.SymbolicTensor;
  const bn = tf.layers.batchNormalization().apply(conv) as tfjs.SymbolicTensor;
  const out = tf.layers.dense({ units: 2, activation: 'softmax' }).apply(
    tf.layers.flatten().apply(tf.layers.reLU().apply(bn))) as tfjs.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out });
  fuseBatchNormalization(tf, model);
  model.compile({ optimizer: tf.train.sgd(0.01), loss: 'categoricalCrossentropy' });
  const x = randomTensor(tf, [8, 6, 6, 2], 9);
  const y = tf.oneHot(tf.tensor1d([0, 1, 0, 1, 1, 0, 0, 1], 'int32'), 2);
  await model.trainOnBatch(x, y);
  const before = tf.memory().numTensors;
  for (let i = 0; i < 20; i++) await model.trainOnBatch(x, y);
  return tf.memory().numTensors - before;
}

if (require.main === module) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tf = require(process.argv[2]) as Tf;
  fusedCheck(tf).then((r) => process.stdout.write(JSON.stringify(r) + '\n'),
    (err) => { process.stderr.write(`${(err as Error).stack}\n`); process.exitCode = 1; });
}
