// The trainer program, as the extension and `skipcheck train` start it, in a workspace whose node_modules
// hold the tfjs-node that setup-native built: it must pick that backend, name the TensorFlow version and
// train with TensorFlow's fused kernels.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { trainerCommand } from '../../server/src/trainer/cli';
import type { TrainerMessage } from '../../server/src/trainer/protocol';
import { RESIDUAL_MODEL, config, ofType, tempDir, writeModel } from '../trainer/fixtures';
import { locateNativeRuntime } from './nativeRuntime';

function train(input: object): Promise<TrainerMessage[]> {
  const child = spawn(process.execPath, trainerCommand(), { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' } });
  const messages: TrainerMessage[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => messages.push(JSON.parse(line) as TrainerMessage));
  child.stdin.write(JSON.stringify(input) + '\n');
  return new Promise((resolve) => child.on('close', () => resolve(messages)));
}

describe('trainer on the native runtime', function () {
  this.timeout(120_000);
  const runtime = locateNativeRuntime();

  it('uses the workspace\'s tfjs-node, reports TensorFlow\'s version and its fused kernels, and learns', async function () {
    if (!runtime.ready || !runtime.packageDir) {
      console.log(`    skipped: native runtime not set up. ${runtime.reason} ${runtime.advice ?? ''}`);
      this.skip();
    }
    const dir = tempDir();
    symlinkSync(dirname(dirname(runtime.packageDir!)), join(dir, 'node_modules'), 'dir');
    const model = writeModel(dir, RESIDUAL_MODEL([16, 16, 1], 4, 8));
    const messages = await train(config(model, dir, { epochs: 3, learningRate: 0.01, dataset: { kind: 'synthetic', samples: 512 } }));
    const [start] = ofType(messages, 'start');
    assert.ok(start, JSON.stringify(messages.filter((m) => m.type === 'error')));
    assert.equal(start.backend, '@tensorflow/tfjs-node');
    assert.match(start.device, /^tensorflow \(CPU\), TensorFlow \d+\.\d+\.\d+$/);
    assert.equal(start.kernels, "TensorFlow's fused ReluGrad and FusedBatchNormV3 (3 BatchNormalization layers)");
    const epochs = ofType(messages, 'epoch');
    assert.equal(epochs.length, 3);
    assert.ok(epochs[2].loss < epochs[0].loss, `loss did not fall: ${epochs.map((e) => e.loss).join(', ')}`);
    // The probe runs the model in inference mode, through the layers' own BatchNormalization.
    assert.equal(ofType(messages, 'std').length, 3);
    assert.deepEqual(ofType(messages, 'end').map((m) => m.reason), ['completed']);
  });
});
