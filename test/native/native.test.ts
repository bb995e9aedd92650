// Trains the same small residual model on tfjs-node (native TensorFlow, set up by `skipcheck setup-native`)
// and on pure-JS tfjs, from the same initial weights and data, and compares what they report.
import { strict as assert } from 'node:assert';
import { locateNativeRuntime } from './nativeRuntime';
import { runFusedCheckChild, runTrainChild } from './runTrainChild';
import type { RunConfig, RunResult } from './trainRun';

describe('native TensorFlow runtime (tfjs-node built by setup-native)', function () {
  this.timeout(300_000);
  const runtime = locateNativeRuntime();
  let native: RunResult;
  let unfused: RunResult;
  let js: RunResult;

  before(async function () {
    if (!runtime.ready || !runtime.packageDir) {
      console.log(`    skipped: native runtime not set up. ${runtime.reason} ${runtime.advice ?? ''}`);
      this.skip();
    }
    const config: Omit<RunConfig, 'runtime'> = { model: 'small', mode: 'train', samples: 64, batchSize: 16, epochs: 3, learningRate: 0.05 };
    // One after the other: the machine has two cores and both runs want them.
    native = await runTrainChild({ ...config, runtime: runtime.packageDir! });
    unfused = await runTrainChild({ ...config, runtime: runtime.packageDir!, fused: false });
    js = await runTrainChild({ ...config, runtime: 'js' });
  });

  it('runs on the TensorFlow backend and reports the TF version', () => {
    assert.equal(native.backend, 'tensorflow');
    assert.match(native.tfVersion ?? '', /^\d+\.\d+\.\d+/);
    assert.equal(js.backend, 'cpu');
  });

  it('builds the same model: layer output shapes and parameter count match pure tfjs', () => {
    assert.deepEqual(native.layerShapes, js.layerShapes);
    assert.equal(native.params, js.params);
    assert.ok(Math.abs(native.initialWeightSum - js.initialWeightSum) < 1e-3, `initial weights differ: ${native.initialWeightSum} vs ${js.initialWeightSum}`);
  });

  it('follows the same loss curve as pure tfjs, and the loss falls', () => {
    assert.equal(native.losses.length, 3);
    native.losses.forEach((loss, epoch) => {
      const ref = js.losses[epoch];
      assert.ok(Number.isFinite(loss), `epoch ${epoch + 1}: loss ${loss}`);
      assert.ok(Math.abs(loss - ref) <= 0.01 * Math.abs(ref), `epoch ${epoch + 1}: native ${loss} vs pure JS ${ref}`);
    });
    assert.ok(native.losses[2] < native.losses[0], `native loss did not fall: ${native.losses.join(', ')}`);
    assert.ok(js.losses[2] < js.losses[0], `pure-JS loss did not fall: ${js.losses.join(', ')}`);
  });

  it('trains with the fused TensorFlow kernels, to the same weights as tfjs\'s own ops', () => {
    const batchNorms = native.layerShapes.filter((l) => l.startsWith('BatchNormalization ')).length;
    assert.ok(batchNorms > 0);
    assert.equal(native.fusedLayers, batchNorms, 'every BatchNormalization layer is on the fused path');
    assert.equal(unfused.fusedLayers, 0);
    assert.equal(native.finalWeightSums.length, unfused.finalWeightSums.length);
    native.finalWeightSums.forEach((sum, i) => {
      const ref = unfused.finalWeightSums[i];
      assert.ok(Math.abs(sum - ref) <= 1e-3 * Math.max(1, Math.abs(ref)), `weight ${i}: fused ${sum} vs tfjs ops ${ref}`);
    });
    native.losses.forEach((loss, epoch) => assert.ok(Math.abs(loss - unfused.losses[epoch]) <= 1e-4 * unfused.losses[epoch],
      `epoch ${epoch + 1}: fused ${loss} vs tfjs ops ${unfused.losses[epoch]}`));
  });

  it('on a ResNet-20, fused gradients agree with pure tfjs\'s (reference ops) as closely as float32 allows', async () => {
    // At initialisation a deep BatchNormalization net's gradients are ill-conditioned in float32: two
    // correct implementations differ by ~1e-3. The fused path stays that close to pure tfjs.
    const config: RunConfig = { runtime: runtime.packageDir!, model: 'resnet20', mode: 'grads', samples: 4, batchSize: 4, learningRate: 0 };
    const fused = await runTrainChild(config);
    const reference = await runTrainChild({ ...config, runtime: 'js' });
    assert.equal(fused.fusedLayers, 21);
    const worst = Math.max(...fused.gradients!.map((g, i) => relativeDifference(g, reference.gradients![i])));
    assert.ok(worst < 1e-2, `largest relative gradient difference ${worst}`);
  });

  it('fused BatchNormalization and ReLU gradient equal tfjs\'s ops, for rank 2 to 4, and keep no tensors', async () => {
    const check = await runFusedCheckChild(runtime.packageDir!);
    assert.ok(check.installed);
    for (const { shape, fusedLayers, diffs } of check.batchNorm) {
      assert.equal(fusedLayers, 1, `shape ${shape}`);
      for (const [what, diff] of Object.entries(diffs)) assert.ok(diff < 1e-4, `shape ${shape}: ${what} differs by ${diff}`);
    }
    assert.ok(check.reluGradDiff < 1e-7, `ReLU gradient differs by ${check.reluGradDiff}`);
    assert.equal(check.tensorGrowth, 0, 'tensors kept across training steps');
  });
});

function relativeDifference(a: number[], b: number[]): number {
  let diff = 0;
  let norm = 0;
  a.forEach((v, i) => { diff += (v - b[i]) ** 2; norm += b[i] ** 2; });
  return Math.sqrt(diff / Math.max(norm, 1e-30));
}
