// Child of fit.bench.ts: what a tfjs user writes without Skipcheck — tfjs-node's own `model.fit` (Adam,
// accuracy, validation data, shuffling) on the same MNIST samples, split and model as the trainer's run.
// Prints one JSON line: training samples/s per epoch (batch loop only) and the wall time of fit().
//   node --import tsx test/bench/fitRun.ts <tfjs-node package dir> <samples> <epochs> <seed>
import type * as tfjs from '@tensorflow/tfjs';
import { makeBatch } from '../../server/src/trainer/datasets/batches';
import { loadMnist } from '../../server/src/trainer/datasets/mnist';
import { splitDataset } from '../../server/src/trainer/datasets/split';
import { buildResidualModel, type Tf } from '../native/residualModels';

async function main(): Promise<void> {
  const [packageDir, samples, epochs, seed] = process.argv.slice(2);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tf = require(packageDir) as Tf;
  const ds = loadMnist();
  const { train, validation } = splitDataset(ds, 0.1, Number(seed), Number(samples));
  const t = makeBatch(tf, ds, train, [28, 28, 1]);
  const v = makeBatch(tf, ds, validation, [28, 28, 1]);
  const model = buildResidualModel(tf, 'mnist');
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const rates: number[] = [];
  let epochStart = 0;
  let lastBatch = 0;
  const t0 = performance.now();
  const history = await model.fit(t.x, t.y, {
    epochs: Number(epochs), batchSize: 32, shuffle: true, validationData: [v.x, v.y] as [tfjs.Tensor, tfjs.Tensor], verbose: 0,
    callbacks: {
      onEpochBegin: async () => { epochStart = performance.now(); },
      onBatchEnd: async () => { lastBatch = performance.now(); },
      onEpochEnd: async () => { rates.push(train.length / ((lastBatch - epochStart) / 1000)); },
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  console.log(JSON.stringify({ rates, seconds, params: model.countParams(), loss: history.history.loss.at(-1), backend: tf.getBackend() }));
}

void main();
