import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type * as tfType from '@tensorflow/tfjs';
import { LoadedBackend, loadBackend } from '../../server/src/trainer/backend';
import { makeBatch } from '../../server/src/trainer/datasets/batches';
import { loadMnist, loadMnistTest } from '../../server/src/trainer/datasets/mnist';
import { seededPermutation } from '../../server/src/trainer/random';
import { finalFigures } from '../../contract/finalFigures';
import { foldRun } from '../../contract/runState';
import { splitDataset } from '../../server/src/trainer/datasets/split';
import type { TrainerMessage } from '../../contract/protocol';
import { parseMetricLines } from '../../contract/metrics';
import { CancelToken, runTraining } from '../../server/src/trainer/train';
import { RESIDUAL_MODEL, config, ofType, tempDir, writeModel } from './fixtures';

describe('trainer: training runs', function () {
  this.timeout(120_000);
  let backend: LoadedBackend;
  let tf: LoadedBackend['tf'];
  // Pinned to pure-JS tfjs: the figures below (tensor counts, the t10k share) mean the same whether or not
  // setup-native put a native runtime into this repository; which backend is chosen has its own test.
  before(async () => { backend = await loadBackend(undefined, ['@tensorflow/tfjs']); tf = backend.tf; });

  async function run(cfg: Parameters<typeof runTraining>[0], cancel?: CancelToken, onMessage?: (m: TrainerMessage) => void) {
    const messages: TrainerMessage[] = [];
    const outcome = await runTraining(cfg, backend, (m) => { messages.push(m); onMessage?.(m); }, cancel);
    return { outcome, messages };
  }

  /** The trained model as saved in the run folder, loaded back into the same tfjs instance. */
  async function loadSaved(runDir: string): Promise<tfType.LayersModel> {
    const json = JSON.parse(readFileSync(join(runDir, 'model', 'model.json'), 'utf8'));
    const weights = readFileSync(join(runDir, 'model', 'weights.bin'));
    return tf.loadLayersModel(tf.io.fromMemory({
      modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights,
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    }));
  }

  it('trains a residual model on synthetic data: ordered messages, falling loss, stable tensor count, run folder', async () => {
    const dir = tempDir();
    const cfg = config(writeModel(dir, RESIDUAL_MODEL([8, 8, 1], 3)), dir, { epochs: 4, dataset: { kind: 'synthetic', samples: 192 } });
    const tensorsAtStd: number[] = [];
    const tensorsBefore = tf.memory().numTensors;
    const { outcome, messages } = await run(cfg, undefined, (m) => { if (m.type === 'std') tensorsAtStd.push(tf.memory().numTensors); });
    assert.equal(outcome, 'completed', JSON.stringify(messages.find((m) => m.type === 'error')));
    assert.equal(tf.memory().numTensors, tensorsBefore, 'model, optimizer slots and probe batch are all released');

    // start, then per epoch: batches, epoch, std; then end.
    const kinds = messages.map((m) => m.type).filter((t) => t !== 'warning');
    const batches = Math.ceil(173 / 32);
    const epochBlock = [...Array(batches).fill('batch'), 'epoch', 'std'];
    assert.deepEqual(kinds, ['start', ...Array.from({ length: 4 }, () => epochBlock).flat(), 'end']);
    const start = ofType(messages, 'start')[0];
    assert.deepEqual(start.dataset, { name: 'synthetic', train: 173, validation: 19, inputShape: [8, 8, 1], classes: 3 });
    assert.equal(start.backend, '@tensorflow/tfjs');
    assert.equal(start.config.entry, 'buildModel', 'the only zero-argument builder is picked');

    const epochs = ofType(messages, 'epoch');
    assert.ok(epochs[3].loss < epochs[0].loss * 0.9, `loss should fall: ${epochs.map((e) => e.loss.toFixed(3))}`);
    assert.ok(epochs.every((e) => e.samplesPerSec > 0 && e.valLoss !== undefined && e.valAcc !== undefined));
    assert.deepEqual(tensorsAtStd.slice(1), tensorsAtStd.slice(1).map(() => tensorsAtStd[1]), `tensor count per epoch ${tensorsAtStd}`);

    assert.equal(ofType(messages, 'end')[0].test, undefined, 'synthetic data has no test set');
    const std = ofType(messages, 'std')[3];
    assert.deepEqual(std.layers.map((l) => l.measuredAt), ['stem_bn', 'b1_bn1', 'b1_bn2']);
    assert.deepEqual(std.blocks.map((b) => b.block), ['b1_add']);

    const runDir = cfg.outDir!;
    assert.deepEqual(readdirSync(runDir).sort(), ['complete.json', 'config.json', 'metrics.jsonl', 'model']);
    assert.equal(JSON.parse(readFileSync(join(runDir, 'complete.json'), 'utf8')).outcome, 'completed');
    assert.deepEqual(readdirSync(join(runDir, 'model')).sort(), ['model.json', 'weights.bin']);
    assert.equal(JSON.parse(readFileSync(join(runDir, 'config.json'), 'utf8')).modelFile, cfg.modelFile);
    assert.deepEqual(parseMetricLines(readFileSync(join(runDir, 'metrics.jsonl'), 'utf8')), messages);

    const saved = await loadSaved(runDir);
    try {
      assert.equal(saved.countParams(), start.model.params);
    } finally { saved.dispose(); }
  });

  it('reports response std and block signals equal to a direct computation on the probe batch (MNIST slice)', async () => {
    const dir = tempDir();
    const cfg = config(writeModel(dir, RESIDUAL_MODEL([28, 28, 1], 10)), dir,
      { dataset: { kind: 'mnist' }, maxSamples: 256, epochs: 2, probeSize: 24, learningRate: 0.005 });
    const { outcome, messages } = await run(cfg);
    assert.equal(outcome, 'completed', JSON.stringify(messages.find((m) => m.type === 'error')));
    const epochs = ofType(messages, 'epoch');
    assert.ok(epochs[1].loss < epochs[0].loss, `loss should fall: ${epochs.map((e) => e.loss)}`);
    const reported = ofType(messages, 'std')[1];

    // Independent computation: the same probe samples, the saved weights, the BN outputs read through a
    // model built here in training mode (BN with the probe batch's statistics, as the trainer measures),
    // statistics from tf.moments / per-channel means.
    const ds = loadMnist();
    const probe = splitDataset(ds, cfg.validationSplit, cfg.seed, cfg.maxSamples).validation.slice(0, cfg.probeSize);
    const model = await loadSaved(cfg.outDir!);
    const batch = makeBatch(tf, ds, probe, [28, 28, 1]);
    try {
      const names = ['stem_bn', 'b1_bn1', 'b1_bn2', 'b1_add'];
      const outs = tf.model({ inputs: model.inputs, outputs: names.map((n) => model.getLayer(n).output as tfType.SymbolicTensor) })
        .apply(batch.x, { training: true }) as tfType.Tensor[];
      const std = (t: tfType.Tensor) => Math.sqrt(tf.moments(t).variance.dataSync()[0]);
      const chan = (t: tfType.Tensor) => {
        const mean = tf.mean(t, [0, 1, 2]);
        const variance = tf.mean(tf.square(tf.sub(t, mean)), [0, 1, 2]);
        return { sqMean: tf.mean(tf.square(mean)).dataSync()[0], variance: tf.mean(variance).dataSync()[0] };
      };
      const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-4 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);
      reported.layers.forEach((l, i) => close(l.std, std(outs[i]), l.layer));
      const block = reported.blocks[0];
      close(block.avgChannelSquaredMean, chan(outs[3]).sqMean, 'squared mean');
      close(block.avgChannelVariance, chan(outs[3]).variance, 'variance');
      close(block.residualBranchVariance, chan(outs[2]).variance, 'residual branch (b1_bn2, not the stem)');
      assert.ok(reported.layers.every((l) => !l.afterActivation));
      assert.equal(reported.measurement, 'batch-statistics');
      tf.dispose(outs);

      // MNIST has a test set: the end message has its figures, equal to the saved model evaluated here on
      // the same t10k digits (pure JS: one validation pass's worth, at least a batch, drawn with the seed).
      const test = ofType(messages, 'end')[0].test;
      assert.ok(test, 'the end message carries the test-set figures');
      const start = ofType(messages, 'start')[0];
      assert.deepEqual([test.name, test.samples, test.of], ['mnist t10k', Math.max(cfg.batchSize, start.dataset.validation), 10000]);
      const t10k = loadMnistTest();
      const picked = seededPermutation(t10k.count, cfg.seed).slice(0, test.samples);
      const tb = makeBatch(tf, t10k, picked, [28, 28, 1]);
      const [loss, acc] = tf.tidy(() => {
        const p = model.predict(tb.x) as tfType.Tensor;
        return [tf.metrics.categoricalCrossentropy(tb.y, p).mean(), tf.metrics.categoricalAccuracy(tb.y, p).mean()].map((t) => t.dataSync()[0]);
      });
      tf.dispose([tb.x, tb.y]);
      assert.ok(Math.abs(test.loss - loss) < 1e-4 * Math.max(1, loss), `test loss ${test.loss} vs ${loss}`);
      assert.ok(Math.abs(test.acc! - acc) < 1e-6, `test accuracy ${test.acc} vs ${acc}`);
      assert.equal(finalFigures(foldRun(messages)),
        `Final (epoch 2): training loss ${epochs[1].loss.toFixed(4)}, accuracy ${(100 * epochs[1].acc!).toFixed(1)} % · ` +
        `validation loss ${epochs[1].valLoss!.toFixed(4)}, accuracy ${(100 * epochs[1].valAcc!).toFixed(1)} % · ` +
        `test (mnist t10k, ${test.samples} of 10,000 samples): loss ${test.loss.toFixed(4)}, accuracy ${(100 * test.acc!).toFixed(1)} %`);
    } finally {
      tf.dispose([batch.x, batch.y]);
      model.dispose();
    }
  });

  it('a quick run caps the samples per epoch to its time budget and says so', async () => {
    const dir = tempDir();
    const cfg = config(writeModel(dir, RESIDUAL_MODEL([16, 16, 1], 4)), dir, { epochs: 2, timeBudgetSeconds: 2, dataset: { kind: 'synthetic', samples: 4000 } });
    const t0 = Date.now();
    const { outcome, messages } = await run(cfg);
    assert.equal(outcome, 'completed');
    const warning = messages.find((m) => m.type === 'warning' && /^Quick run: 2 s budget/.test(m.message));
    assert.ok(warning, JSON.stringify(messages.filter((m) => m.type === 'warning')));
    const start = ofType(messages, 'start')[0];
    const lastBatch = ofType(messages, 'batch').at(-1)!;
    assert.ok(lastBatch.batches < Math.ceil(start.dataset.train / 32), `${lastBatch.batches} batches of ${start.dataset.train} samples`);
    assert.ok(Date.now() - t0 < 20_000);
  });

  it('a quick run that needs no cap says so', async () => {
    const dir = tempDir();
    const cfg = config(writeModel(dir, RESIDUAL_MODEL([8, 8, 1], 3)), dir, { epochs: 1, timeBudgetSeconds: 3600, dataset: { kind: 'synthetic', samples: 192 } });
    const { outcome, messages } = await run(cfg);
    assert.equal(outcome, 'completed');
    const said = messages.filter((m) => m.type === 'warning' && /^Quick run: 3600 s budget/.test(m.message));
    assert.equal(said.length, 1, JSON.stringify(messages.filter((m) => m.type === 'warning')));
    assert.match((said[0] as { message: string }).message, /all 173 samples of every epoch fit, nothing capped\.$/);
    assert.equal(ofType(messages, 'batch').at(-1)!.batches, Math.ceil(173 / 32));
  });

  it('stops within a second of a cancel and still saves the model', async () => {
    const dir = tempDir();
    const cfg = config(writeModel(dir, RESIDUAL_MODEL([16, 16, 1], 4)), dir, { epochs: 50, dataset: { kind: 'synthetic', samples: 2000 } });
    const cancel = new CancelToken();
    let cancelledAt = 0;
    const { outcome, messages } = await run(cfg, cancel, (m) => {
      if (m.type === 'batch' && m.batch === 2 && !cancelledAt) { cancelledAt = Date.now(); cancel.cancel(); }
    });
    const elapsed = Date.now() - cancelledAt;
    assert.equal(outcome, 'cancelled');
    assert.ok(elapsed < 1000, `took ${elapsed} ms`);
    assert.equal(ofType(messages, 'end')[0].reason, 'cancelled');
    assert.ok(existsSync(join(cfg.outDir!, 'model', 'model.json')));
  });

  describe('bad input gets its documented error code', () => {
    async function errorOf(source: string, over: Parameters<typeof config>[2] = {}) {
      const dir = tempDir();
      const { outcome, messages } = await run(config(writeModel(dir, source), dir, over));
      assert.equal(outcome, 'failed');
      const errors = ofType(messages, 'error');
      assert.equal(errors.length, 1);
      assert.equal(messages[messages.length - 1], errors[0], 'the error is the last message');
      return errors[0];
    }
    const ok = RESIDUAL_MODEL([8, 8, 1], 3);

    it('missing dataset folder -> dataset-missing naming the path', async () => {
      const e = await errorOf(ok, { dataset: { kind: 'cifar10', dir: '/nonexistent/cifar' } });
      assert.equal(e.code, 'dataset-missing');
      assert.match(e.message, /\/nonexistent\/cifar/);
      assert.match(e.detail ?? '', /cifar-10-binary/);
    });
    it('missing IDX file -> dataset-missing', async () => {
      const e = await errorOf(ok, { dataset: { kind: 'idx', images: 'nope-images', labels: 'nope-labels' } });
      assert.equal(e.code, 'dataset-missing');
      assert.match(e.message, /nope-images/);
    });
    it('model file that throws -> model-load-failed', async () => {
      const e = await errorOf(`export function build() { return 1; }\nthrow new Error('broken on purpose');`);
      assert.equal(e.code, 'model-load-failed');
      assert.match(e.message, /broken on purpose/);
    });
    it('entry that throws -> model-load-failed', async () => {
      const e = await errorOf(`export function buildModel() { throw new Error('no layers yet'); }`, { entry: 'buildModel' });
      assert.equal(e.code, 'model-load-failed');
      assert.match(e.message, /buildModel\(\) threw: no layers yet/);
    });
    it('model file that does not compile -> model-load-failed with the location', async () => {
      const e = await errorOf(`export function buildModel( { return }`);
      assert.equal(e.code, 'model-load-failed');
      assert.match(e.detail ?? '', /model\.ts:1:/);
    });
    it('missing entry -> entry-not-found listing exported functions', async () => {
      const e = await errorOf(ok, { entry: 'makeNet' });
      assert.equal(e.code, 'entry-not-found');
      assert.match(e.detail ?? '', /buildModel/);
    });
    it('two model builders and no --entry -> entry-not-found naming both', async () => {
      const two = RESIDUAL_MODEL([8, 8, 1], 3) + `\nexport function otherModel() { return buildModel(); }\nexport function helper(n: number) { return n; }`;
      const e = await errorOf(two);
      assert.equal(e.code, 'entry-not-found');
      assert.match(e.message, /several model builders \(buildModel, otherModel\)/);
    });
    it('non-model return -> not-a-model', async () => {
      const e = await errorOf(`import * as tf from '@tensorflow/tfjs';\nexport function buildModel() { return tf.layers.dense({ units: 2 }); }`, { entry: 'buildModel' });
      assert.equal(e.code, 'not-a-model');
      assert.match(e.message, /returned Dense/);
    });
    it('input shape mismatch -> input-shape-mismatch naming both shapes', async () => {
      const e = await errorOf(RESIDUAL_MODEL([32, 32, 3], 10), { dataset: { kind: 'mnist' }, maxSamples: 64 });
      assert.equal(e.code, 'input-shape-mismatch');
      assert.match(e.message, /\[null, 32, 32, 3\]|\[32, 32, 3\]/);
      assert.match(e.message, /\[28, 28\]/);
    });
    it('output units differing from the classes -> classes-mismatch', async () => {
      const e = await errorOf(RESIDUAL_MODEL([28, 28, 1], 5), { dataset: { kind: 'mnist' }, maxSamples: 64 });
      assert.equal(e.code, 'classes-mismatch');
    });
    it('a regression model (one linear output unit) is refused clearly, not with an internal error', async () => {
      const e = await errorOf(`import * as tf from '@tensorflow/tfjs';
export function buildModel() {
  const input = tf.input({ shape: [4] });
  const h = tf.layers.dense({ units: 4 }).apply(input) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 1, name: 'price' }).apply(tf.layers.add().apply([input, h])) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}`, {});
      assert.equal(e.code, 'classes-mismatch');
      assert.match(e.message, /one output unit \(price\): a regression head/);
    });
    it('a huge learning rate -> non-finite-loss with advice', async () => {
      const mlp = `import * as tf from '@tensorflow/tfjs';
export function buildModel() {
  const m = tf.sequential();
  m.add(tf.layers.flatten({ inputShape: [8, 8, 1] }));
  m.add(tf.layers.dense({ units: 32 }));
  m.add(tf.layers.dense({ units: 32 }));
  m.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
  return m;
}`;
      const e = await errorOf(mlp, { learningRate: 1e30, optimizer: 'sgd', epochs: 1 });
      assert.equal(e.code, 'non-finite-loss');
      assert.match(e.detail ?? '', /learning rate/);
    });
  });
});
