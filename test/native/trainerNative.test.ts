// The trainer program, as the extension and `skipcheck train` start it, in a workspace whose node_modules
// hold the tfjs-node that setup-native built: it must pick that backend, name the TensorFlow version,
// train with TensorFlow's fused kernels and run its steps as one graph, or say why it does not.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { trainerCommand } from '../../server/src/trainer/cli';
import type { TrainerMessage } from '../../contract/protocol';
import { RESIDUAL_MODEL, config, ofType, tempDir, writeModel } from '../trainer/fixtures';
import type { NativeRuntimeStatus } from '../../server/src/native/status';
import { ensureNativeRuntime } from './nativeRuntime';

function train(input: object): Promise<TrainerMessage[]> {
  const child = spawn(process.execPath, trainerCommand(), { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' } });
  const messages: TrainerMessage[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => messages.push(JSON.parse(line) as TrainerMessage));
  child.stdin.write(JSON.stringify(input) + '\n');
  return new Promise((resolve) => child.on('close', () => resolve(messages)));
}

describe('trainer on the native runtime', function () {
  this.timeout(120_000);
  let runtime: NativeRuntimeStatus;
  let dir: string;

  before(async function () {
    this.timeout(900_000); // may set the runtime up first
    runtime = await ensureNativeRuntime();
    if (!runtime.ready || !runtime.packageDir) {
      console.log(`    skipped: native runtime not set up. ${runtime.reason} ${runtime.advice ?? ''}`);
      this.skip();
    }
    dir = tempDir();
    symlinkSync(dirname(dirname(runtime.packageDir)), join(dir, 'node_modules'), 'dir');
  });

  it('uses the workspace\'s tfjs-node, reports TensorFlow\'s version, its fused kernels and graph steps, and learns', async () => {
    const model = writeModel(dir, RESIDUAL_MODEL([16, 16, 1], 4, 8));
    const messages = await train(config(model, dir, { epochs: 3, learningRate: 0.01, dataset: { kind: 'synthetic', samples: 512 } }));
    const [start] = ofType(messages, 'start');
    assert.ok(start, JSON.stringify(messages.filter((m) => m.type === 'error')));
    assert.equal(start.backend, '@tensorflow/tfjs-node');
    assert.match(start.device, /^tensorflow \(CPU\), TensorFlow \d+\.\d+\.\d+$/);
    assert.equal(start.kernels, "TensorFlow's fused ReluGrad and FusedBatchNormV3 (3 BatchNormalization layers)");
    // 461 training samples in batches of 32: the last, smaller batch of each epoch runs eagerly in between.
    assert.equal(start.dataset.train % 32 !== 0, true);
    const execution = ofType(messages, 'execution');
    assert.deepEqual(execution.map((m) => m.mode), ['graph'], JSON.stringify(execution));
    assert.ok(messages.indexOf(execution[0]) < messages.indexOf(ofType(messages, 'epoch')[0]), 'settled within the first epoch');
    const epochs = ofType(messages, 'epoch');
    assert.equal(epochs.length, 3);
    assert.ok(epochs[2].loss < epochs[0].loss, `loss did not fall: ${epochs.map((e) => e.loss).join(', ')}`);
    // The probe runs the model in inference mode, through the layers' own BatchNormalization.
    assert.equal(ofType(messages, 'std').length, 3);
    assert.deepEqual(ofType(messages, 'end').map((m) => m.reason), ['completed']);
  });

  /** The residual model with one more layer before the classifier. */
  const withLayer = (layer: string) => {
    const anchor = 'x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;';
    const source = RESIDUAL_MODEL([16, 16, 1], 4, 8).replace(anchor, `${anchor}\n  x = ${layer}.apply(x) as tf.SymbolicTensor;`);
    assert.notEqual(source, RESIDUAL_MODEL([16, 16, 1], 4, 8));
    return source;
  };
  const trainSmall = (file: string) => train(config(writeModel(dir, file, `m${Math.random().toString(36).slice(2)}.ts`), dir,
    { epochs: 2, learningRate: 0.01, dataset: { kind: 'synthetic', samples: 256 } }));

  it('trains a model with Dropout as one graph, its masks drawn by TensorFlow', async () => {
    const messages = await trainSmall(withLayer('tf.layers.dropout({ rate: 0.3 })'));
    const [start] = ofType(messages, 'start');
    assert.match(start?.kernels ?? '', /; Dropout masks from TensorFlow's StatelessRandomUniform \(1 layer\)$/);
    assert.deepEqual(ofType(messages, 'execution').map((m) => m.mode), ['graph'], JSON.stringify(messages.filter((m) => m.type !== 'batch')));
    assert.deepEqual(ofType(messages, 'end').map((m) => m.reason), ['completed']);
  });

  it('trains a model whose custom layer reads values mid-step op by op, and says that is why', async () => {
    const peek = `class Peek extends tf.layers.Layer {
  static className = 'Peek';
  call(inputs: tf.Tensor | tf.Tensor[]) { const t = Array.isArray(inputs) ? inputs[0] : inputs; if (t.dataSync()[0] > 1e9) console.log('large'); return t; }
}
export function buildModel`;
    const messages = await trainSmall(withLayer('new Peek({})').replace('export function buildModel', peek));
    const execution = ofType(messages, 'execution');
    assert.deepEqual(execution.map((m) => m.mode), ['eager'], JSON.stringify(messages.filter((m) => m.type === 'error')));
    assert.match(execution[0].message, /reads tensor values back to JavaScript while it runs/);
    assert.deepEqual(ofType(messages, 'end').map((m) => m.reason), ['completed']);
  });

  it('trains a model whose noise is drawn in JavaScript op by op, and says that is why', async () => {
    const messages = await trainSmall(withLayer('tf.layers.gaussianNoise({ stddev: 0.1 })'));
    const execution = ofType(messages, 'execution');
    assert.equal(execution.length, 1, JSON.stringify(messages.filter((m) => m.type === 'error')));
    assert.equal(execution[0].mode, 'eager');
    assert.match(execution[0].message, /op by op \(a tensor of shape \[\d+,8\] created from JavaScript values changes from one step to the next/);
    assert.deepEqual(ofType(messages, 'end').map((m) => m.reason), ['completed']);
    assert.equal(ofType(messages, 'epoch').length, 2);
  });
});
