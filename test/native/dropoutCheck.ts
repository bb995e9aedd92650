// Child-process check of the trainer's native Dropout masks on tfjs-node: tfjs's mask semantics
// (values 0 or 1/keep over the noise shape, about `rate` of them zero), a new mask at every training call,
// identity at inference, the gradient through the mask, and the same mask sequence for the same seed.
//   node --import tsx test/native/dropoutCheck.ts <tfjs-node package dir>
import type * as tfjs from '@tensorflow/tfjs';
import { nativeDropout } from '../../server/src/trainer/nativeDropout';
import type { Tf } from './residualModels';

export interface DropoutCheckResult {
  layers: number;
  /** Distinct values of one training-mode output of ones: 0 and 1/keep. */
  values: number[];
  zeroFraction: number;
  /** Two training calls gave different masks. */
  callsDiffer: boolean;
  inferenceIsIdentity: boolean;
  /** Largest |d(sum(out))/dx - out| (the gradient of a masked identity is the mask itself). */
  gradientDiff: number;
  /** Two layers with the same seed drew the same masks, call for call. */
  seedRepeats: boolean;
  /** SpatialDropout1D-style noise shape [batch, 1, channels]: one mask value per (sample, channel). */
  noiseShapeHonoured: boolean;
  tensorGrowth: number;
}

function layerModel(tf: Tf, shape: number[], layer: tfjs.layers.Layer): tfjs.LayersModel {
  const input = tf.input({ shape });
  return tf.model({ inputs: input, outputs: layer.apply(input) as tfjs.SymbolicTensor });
}

export function dropoutCheck(tf: Tf): DropoutCheckResult {
  const rate = 0.3;
  const ones = tf.ones([64, 100]);
  const model = layerModel(tf, [100], tf.layers.dropout({ rate, seed: 5 }));
  const { layers } = nativeDropout(tf, model);
  const layer = model.layers[1];
  const train = (m: tfjs.LayersModel, x: tfjs.Tensor) => m.layers[1].apply(x, { training: true }) as tfjs.Tensor;
  const a = train(model, ones);
  const b = train(model, ones);
  const values = [...new Set(Array.from(a.dataSync()).map((v) => Number(v.toFixed(5))))].sort((p, q) => p - q);
  const zeroFraction = Array.from(a.dataSync()).filter((v) => v === 0).length / a.size;
  const callsDiffer = tf.any(tf.notEqual(a, b)).dataSync()[0] === 1;
  const inferenceIsIdentity = tf.all(tf.equal(layer.apply(ones, { training: false }) as tfjs.Tensor, ones)).dataSync()[0] === 1;

  // d/dx sum(x * mask) = mask, and with x = ones the output is the mask too.
  const x = tf.variable(tf.ones([8, 100]));
  let out: tfjs.Tensor | undefined;
  const { grads } = tf.variableGrads(() => { out = tf.keep(train(model, x)); return tf.sum(out); });
  const gradientDiff = tf.max(tf.abs(tf.sub(grads[x.name], out!))).dataSync()[0];

  const twin = layerModel(tf, [100], tf.layers.dropout({ rate, seed: 5 }));
  const other = layerModel(tf, [100], tf.layers.dropout({ rate, seed: 5 }));
  nativeDropout(tf, twin);
  nativeDropout(tf, other);
  const seedRepeats = [0, 1, 2].every(() => tf.all(tf.equal(train(twin, ones), train(other, ones))).dataSync()[0] === 1);

  const spatial = layerModel(tf, [5, 6], tf.layers.spatialDropout1d({ rate }));
  nativeDropout(tf, spatial);
  const s = train(spatial, tf.ones([16, 5, 6])).arraySync() as number[][][];
  const noiseShapeHonoured = s.every((sample) => sample.every((row) => row.every((v, c) => v === sample[0][c])));

  const before = tf.memory().numTensors;
  for (let i = 0; i < 10; i++) tf.dispose(train(model, ones));
  return { layers, values, zeroFraction, callsDiffer, inferenceIsIdentity, gradientDiff, seedRepeats, noiseShapeHonoured, tensorGrowth: tf.memory().numTensors - before };
}

if (require.main === module) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tf = require(process.argv[2]) as Tf;
  try {
    process.stdout.write(JSON.stringify(dropoutCheck(tf)) + '\n');
  } catch (err) {
    process.stderr.write(`${(err as Error).stack}\n`);
    process.exitCode = 1;
  }
}
