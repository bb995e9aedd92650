// Scale-out round trip on real TensorFlow: a small ResNet (projection shortcut, BatchNormalization with
// non-trivial statistics) is exported to Keras, its Keras output is compared with tfjs's on a batch the
// exporter never saw, train_distributed.py runs under MultiWorkerMirroredStrategy as 2 worker processes on
// 127.0.0.1 for one short epoch, and the model it converts back loads and predicts in tfjs. The run goes
// through the built dist/distributed.js driven by TrainingRun, as the VS Code panel and the CLI drive it.
// The Python side (tensorflow-cpu, tf-keras, tensorflowjs from PyPI) is set up once in
// ~/.cache/skipcheck-native/venv (a cold install took 4-9 min here); the tests skip, saying why, when it
// cannot be (SKIPCHECK_NATIVE_SETUP=0 forbids the install).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { EXPORT_SUBDIR } from '../../server/src/distributed/runDistributed';
import { ExportError, exportToKeras } from '../../server/src/export/exportModel';
import { ensureKerasPython, nativeCacheDir, type KerasPython } from '../../server/src/export/kerasPython';
import { execTool } from '../../server/src/native/exec';
import { normalizeConfig } from '../../server/src/trainer/config';
import type { TrainConfig, TrainerMessage } from '../../contract/protocol';
import { parseMetricLines } from '../../contract/metrics';
import { TrainingRun } from '../../client/src/training/trainingRun';
import { loadCifar10 } from '../../server/src/trainer/datasets/cifar10';
import { loadMnist, mnistDataDir as loadMnistDir } from '../../server/src/trainer/datasets/mnist';
import { splitDataset } from '../../server/src/trainer/datasets/split';
import { makeSynthetic } from '../../server/src/trainer/datasets/synthetic';
import { seededPermutation } from '../../server/src/trainer/random';
import { ofType, tempDir, writeModel } from '../trainer/fixtures';

const backend = { tf, pkg: '@tensorflow/tfjs', attempts: [], device: 'cpu' };

/** Stem, one downsampling basic block with a 1x1 projection shortcut, GAP, softmax; BN statistics away from 0/1. */
const SMALL_RESNET = `
import * as tf from '@tensorflow/tfjs';
function convBn(x: tf.SymbolicTensor, filters: number, kernelSize: number, strides: number): tf.SymbolicTensor {
  const c = tf.layers.conv2d({ filters, kernelSize, strides, padding: 'same', useBias: false }).apply(x) as tf.SymbolicTensor;
  return tf.layers.batchNormalization({
    movingMeanInitializer: tf.initializers.randomUniform({ minval: -0.3, maxval: 0.3, seed: 1 }),
    movingVarianceInitializer: tf.initializers.randomUniform({ minval: 0.5, maxval: 2, seed: 2 }),
    gammaInitializer: tf.initializers.randomUniform({ minval: 0.5, maxval: 1.5, seed: 3 }),
  }).apply(c) as tf.SymbolicTensor;
}
export function smallResNet(): tf.LayersModel {
  const input = tf.input({ shape: [8, 8, 3] });
  const x = tf.layers.reLU().apply(convBn(input, 4, 3, 1)) as tf.SymbolicTensor;
  const h = tf.layers.reLU().apply(convBn(x, 8, 3, 2)) as tf.SymbolicTensor;
  const sum = tf.layers.add().apply([convBn(h, 8, 3, 1), convBn(x, 8, 1, 2)]) as tf.SymbolicTensor;
  const pooled = tf.layers.globalAveragePooling2d({}).apply(tf.layers.reLU().apply(sum)) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: tf.layers.dense({ units: 3, activation: 'softmax' }).apply(pooled) as tf.SymbolicTensor });
}
`;

const CUSTOM_LAYER_MODEL = `
import * as tf from '@tensorflow/tfjs';
class Scale extends tf.layers.Layer {
  static className = 'Scale';
  call(inputs: tf.Tensor | tf.Tensor[]) { return tf.mul(Array.isArray(inputs) ? inputs[0] : inputs, 2); }
}
tf.serialization.registerClass(Scale);
export function withCustom(): tf.LayersModel {
  const input = tf.input({ shape: [4] });
  const y = new Scale({}).apply(input) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: tf.layers.dense({ units: 2, activation: 'softmax' }).apply(y) as tf.SymbolicTensor });
}
`;

/** Inputs the exporter never saw (it probes with its own seeded batch). */
const freshBatch = () => tf.randomUniform([5, 8, 8, 3], 0, 1, 'float32', 7);

/** A tfjs Layers folder (model.json + weight shards, as tfjs or the Python converter write them) loaded with tf.loadLayersModel. */
async function loadTfjsFolder(modelJson: string): Promise<tf.LayersModel> {
  const json = JSON.parse(readFileSync(modelJson, 'utf8'));
  const dir = join(modelJson, '..');
  const groups = json.weightsManifest as { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  const buffers = groups.flatMap((g) => g.paths.map((p) => readFileSync(join(dir, p))));
  const all = Buffer.concat(buffers);
  return tf.loadLayersModel(tf.io.fromMemory({
    modelTopology: json.modelTopology, weightSpecs: groups.flatMap((g) => g.weights),
    weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
  }));
}

describe('scale-out: export to Keras', function () {
  this.timeout(120_000);

  it('refuses a model with a custom layer, naming it, before any Python runs', async () => {
    const dir = tempDir('skipcheck-export-');
    const config = normalizeConfig({ modelFile: writeModel(dir, CUSTOM_LAYER_MODEL), workspaceDir: dir });
    await assert.rejects(exportToKeras({ config, outDir: join(dir, 'out'), backend, python: { python: '/nonexistent/python' } }),
      (err: unknown) => err instanceof ExportError && err.kind === 'custom-layer' && /scale_Scale\d* \(Scale\)/.test(err.message));
    assert.ok(!existsSync(join(dir, 'out', 'model.h5')));
  });
});

describe('scale-out: Keras round trip and MultiWorkerMirroredStrategy on 2 local workers', function () {
  this.timeout(600_000);
  let python: KerasPython;
  let dir: string;
  let runDir: string;
  let messages: TrainerMessage[];
  let outcome: string;
  let log = '';
  interface PythonFacts {
    data: { pixels: number[]; labels: number[]; perm: number[]; train: number[]; val: number[]; mnist: [number, number[], number[]]; cifar: [number[], number[]] };
    keras: { y: number[][]; params: number };
  }
  let facts: Promise<PythonFacts> | undefined;

  /** One Python process (one TensorFlow import) answers both the Keras and the data questions. */
  function pythonFacts(): Promise<PythonFacts> {
    facts ??= (async () => {
      const input = join(dir, 'x.json');
      writeFileSync(input, JSON.stringify(freshBatch().arraySync()));
      // Two CIFAR-10 records with distinct channel planes, to check the channels-last reordering.
      const cifarDir = join(dir, 'cifar');
      mkdirSync(cifarDir);
      const record = (label: number) => Uint8Array.from({ length: 3073 }, (_, i) => (i === 0 ? label : (i * 7 + label) % 256));
      writeFileSync(join(cifarDir, 'data_batch_1.bin'), Buffer.concat([record(3), record(9)]));
      const py = [
        'import sys, json, numpy as np',
        `sys.path.insert(0, ${JSON.stringify(join(runDir, EXPORT_SUBDIR))})`,
        'import train_distributed as t',
        'px, lab, _ = t.synthetic([4, 3, 2], 3, 6, 42)',
        'tr, va = t.split(1000, 0.1, 42, 64)',
        `mx, ml = t.read_idx(${JSON.stringify(join(loadMnistDir(), 'train-images-idx3-ubyte'))}), t.read_idx(${JSON.stringify(join(loadMnistDir(), 'train-labels-idx1-ubyte'))})`,
        `cx, cl, _ = t.cifar10(${JSON.stringify(cifarDir)})`,
        'data = {"pixels": px.reshape(-1).tolist(), "labels": lab.tolist(), "perm": t.permutation(50, 43).tolist(),',
        '  "train": tr.tolist(), "val": va.tolist(), "mnist": [int(mx.shape[0]), mx[7].reshape(-1).tolist(), ml[:50].tolist()],',
        '  "cifar": [cx.reshape(-1).tolist(), cl.tolist()]}',
        // The exported file in Keras, on the batch tfjs predicted.
        `m = t.keras.models.load_model(${JSON.stringify(join(runDir, EXPORT_SUBDIR, 'model.h5'))}, compile=False)`,
        `x = np.asarray(json.load(open(${JSON.stringify(input)})), dtype=np.float32)`,
        'print(json.dumps({"data": data, "keras": {"y": m(x, training=False).numpy().tolist(), "params": int(m.count_params())}}))',
      ].join('\n');
      const r = await execTool(python.python, ['-c', py], { env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' } });
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(r.stdout.trim().split('\n').pop()!) as PythonFacts;
    })();
    return facts;
  }

  before(async function () {
    this.timeout(20 * 60_000); // a first, cold install of the Python side included
    try {
      if (process.env.SKIPCHECK_NATIVE_SETUP === '0' && !existsSync(join(nativeCacheDir(), 'venv'))) throw new Error('SKIPCHECK_NATIVE_SETUP=0 and no venv yet');
      python = await ensureKerasPython({ log: (l) => { log += l + '\n'; } });
    } catch (err) {
      console.log(`    skipped: the Python side cannot be set up here: ${(err as Error).message.split('\n').slice(0, 3).join(' ')}`);
      this.skip();
    }
    dir = tempDir('skipcheck-scaleout-');
    const config: TrainConfig = normalizeConfig({
      modelFile: writeModel(dir, SMALL_RESNET), workspaceDir: dir, outDir: join(dir, 'run'), epochs: 1, batchSize: 16,
      learningRate: 0.01, dataset: { kind: 'synthetic', samples: 224 }, probeSize: 16, distributed: { workers: 2 },
    });
    runDir = config.outDir!;
    messages = [];
    const program = join(__dirname, '../../dist/distributed.js');
    assert.ok(existsSync(program), `${program} is missing: npm run build first`);
    let run!: TrainingRun;
    const finished = new Promise<void>((done) => {
      run = new TrainingRun({ config, nodePath: process.execPath, trainerScript: program, cwd: dir, history: [] }, {
        post: (m) => { if (m.type !== 'history') messages.push(m); },
        log: (l) => { log += l + '\n'; },
        changed: (r) => { if (!r.active) done(); },
      });
    });
    // Bounded: a hung collective (a worker that never joins) must not hang CI; the workers die with the launcher.
    const timer = setTimeout(() => run.cancel(), 420_000);
    run.start();
    await finished;
    clearTimeout(timer);
    const last = messages.at(-1);
    outcome = last?.type === 'end' ? last.reason : last?.type ?? 'nothing';
  });

  it('exports a Keras model whose output equals tfjs\'s on a fresh batch, with the same parameter count', async () => {
    const exportDir = join(runDir, EXPORT_SUBDIR);
    const verdict = JSON.parse(readFileSync(join(exportDir, 'export.json'), 'utf8'));
    assert.equal(verdict.kerasParams, verdict.params);
    const model = await loadTfjsFolder(join(exportDir, 'tfjs', 'model.json'));
    const x = freshBatch();
    const want = (model.predict(x) as tf.Tensor).arraySync() as number[][];
    assert.equal(model.countParams(), verdict.params);
    const { keras } = await pythonFacts();
    assert.equal(keras.params, model.countParams());
    const diff = Math.max(...want.flatMap((row, i) => row.map((v, j) => Math.abs(v - keras.y[i][j]))));
    assert.ok(diff < 1e-5, `Keras vs tfjs: largest difference ${diff}`);
    // Not a trivially equal output: the five samples are told apart.
    assert.ok(Math.abs(want[0][0] - want[1][0]) > 1e-4);
  });

  it('trains one epoch on 2 workers: the chief\'s lines arrive in order, the loss falls, worker 1 reports too', () => {
    assert.equal(outcome, 'completed', `${JSON.stringify(messages.find((m) => m.type === 'error'))}\n${log.slice(-3000)}`);
    const kinds = [...new Set(messages.map((m) => m.type))];
    assert.deepEqual(kinds, ['start', 'batch', 'epoch', 'std', 'end']);
    const start = ofType(messages, 'start')[0];
    assert.match(start.backend, /MultiWorkerMirroredStrategy, 2 workers, worker 0/);
    assert.deepEqual(start.dataset, { name: 'synthetic', train: 202, validation: 22, inputShape: [8, 8, 3], classes: 3 });
    // What was passed on is what the chief wrote, which the panel and report read back.
    assert.deepEqual(parseMetricLines(readFileSync(join(runDir, 'metrics.jsonl'), 'utf8')), messages);

    const batches = ofType(messages, 'batch');
    assert.equal(batches.length, Math.ceil(202 / 16));
    // Keras reports the epoch's running mean: below the first batch's loss only if the loss fell.
    assert.ok(batches.at(-1)!.loss < batches[0].loss * 0.9, `loss ${batches.map((b) => b.loss.toFixed(3))}`);
    const std = ofType(messages, 'std')[0];
    assert.equal(std.layers.length, 4);
    assert.equal(std.blocks.length, 1);
    assert.ok(std.layers.every((l) => Number.isFinite(l.std) && l.std > 0));
    // Measured as the trainer measures: BN on the probe batch's statistics; the 1x1 shortcut is marked.
    assert.equal(std.measurement, 'batch-statistics');
    assert.equal(std.layers.filter((l) => l.projection).length, 1);

    const worker1 = parseMetricLines(readFileSync(join(runDir, 'workers', '1', 'metrics.jsonl'), 'utf8'));
    const epoch1 = ofType(worker1, 'epoch')[0];
    assert.match(ofType(worker1, 'start')[0].backend, /worker 1/);
    // MultiWorkerMirroredStrategy all-reduces the metrics: both workers saw the same epoch loss.
    assert.ok(Math.abs(epoch1.loss - ofType(messages, 'epoch')[0].loss) < 1e-6);
  });

  it('the script reads the trainer\'s data: same synthetic samples, split, epoch order, MNIST and CIFAR-10 records', async () => {
    const { data: got } = await pythonFacts();
    const syn = makeSynthetic({ shape: [4, 3, 2], classes: 3, samples: 6, seed: 42 });
    assert.deepEqual(got.labels, Array.from(syn.labels));
    const pixelDiff = Math.max(...got.pixels.map((v, i) => Math.abs(v - syn.pixels[i])));
    assert.ok(pixelDiff < 1e-6, `synthetic pixels differ by ${pixelDiff}`);
    assert.deepEqual(got.perm, Array.from(seededPermutation(50, 43)));
    const split = splitDataset({ ...syn, count: 1000 }, 0.1, 42, 64);
    assert.deepEqual([got.train, got.val], [Array.from(split.train), Array.from(split.validation)]);
    const mnist = loadMnist();
    assert.equal(got.mnist[0], mnist.count);
    assert.deepEqual(got.mnist[1], Array.from(mnist.pixels.subarray(7 * 784, 8 * 784)));
    assert.deepEqual(got.mnist[2], Array.from(mnist.labels.subarray(0, 50)));
    const cifar = loadCifar10(join(dir, 'cifar'));
    assert.deepEqual(got.cifar, [Array.from(cifar.pixels), Array.from(cifar.labels)]);
  });

  it('converts the trained model back to tfjs: tf.loadLayersModel loads it and it predicts', async () => {
    assert.equal(JSON.parse(readFileSync(join(runDir, 'complete.json'), 'utf8')).outcome, 'completed');
    const trained = await loadTfjsFolder(join(runDir, 'model', 'model.json'));
    const exported = await loadTfjsFolder(join(runDir, EXPORT_SUBDIR, 'tfjs', 'model.json'));
    const x = tf.randomUniform([4, 8, 8, 3], 0, 1, 'float32', 3);
    const y = trained.predict(x) as tf.Tensor;
    assert.deepEqual(y.shape, [4, 3]);
    const rows = (y.sum(1).arraySync() as number[]);
    assert.ok(rows.every((s) => Math.abs(s - 1) < 1e-5), 'softmax rows');
    const moved = Math.max(...trained.getWeights().map((w, i) => tf.max(tf.abs(tf.sub(w, exported.getWeights()[i]))).dataSync()[0]));
    assert.ok(moved > 1e-3, 'the weights were trained');
  });
});
