// tfjs-node-gpu: the run's device comes from TensorFlow (isUsingGpuDevice, its device list), never from the
// package name; without a GPU the run says why in TensorFlow's own words and names the CUDA the binding's
// TensorFlow was built for. On a machine with an NVIDIA GPU, a ResNet-20 training step runs there.
// The GPU runtime is a folder where `skipcheck setup-native --gpu` ran: $SKIPCHECK_NATIVE_GPU_DIR (615 MB
// wheel, 1.3 GB on disk, so the tests never set it up themselves); without it those tests skip, saying so.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execTool, tail } from '../../server/src/native/exec';
import { cudaFor, explainNoGpu, firstCudaError } from '../../server/src/native/gpuDiagnosis';
import { explainBackendFailure } from '../../server/src/trainer/backend';
import { findTfjsNodePackage, tfjsNodePackageName } from '../../server/src/native/tfjsNodePackage';
import { readSetupRecord } from '../../server/src/native/status';
import { locateNativeRuntime } from './nativeRuntime';
import { runTrainChild } from './runTrainChild';

const REPO = path.resolve(__dirname, '../..');
const log = (name: string) => fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8');

function nvidiaGpus(): string | undefined {
  try {
    return execFileSync('nvidia-smi', ['--query-gpu=name', '--format=csv,noheader'], { encoding: 'utf8', timeout: 10_000 }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The tfjs-node-gpu package setup-native built in $SKIPCHECK_NATIVE_GPU_DIR, or why there is none. */
function gpuRuntime(): { packageDir: string } | { reason: string } {
  const dir = process.env.SKIPCHECK_NATIVE_GPU_DIR;
  if (!dir) return { reason: 'no tfjs-node-gpu runtime: set SKIPCHECK_NATIVE_GPU_DIR to a folder where `skipcheck setup-native --gpu` ran' };
  const packageDir = findTfjsNodePackage(dir, tfjsNodePackageName(true));
  if (!packageDir || !readSetupRecord(packageDir)?.gpu) return { reason: `no tfjs-node-gpu built by \`setup-native --gpu\` in ${dir}` };
  return { packageDir };
}

describe('native GPU: device and advice from TensorFlow', function () {
  this.timeout(300_000);

  it('finds the first CUDA error in TensorFlow\'s real logs (the 2.18 CUDA wheel without a driver, the stock 2.9.1 without CUDA 11)', () => {
    assert.equal(firstCudaError(log('tf-2.18-cuda-wheel-no-driver.log')), 'Could not find cuda drivers on your machine, GPU will not be used.');
    assert.equal(firstCudaError(log('tfjs-node-gpu-4.x-stock-no-cudart.log')),
      "Could not load dynamic library 'libcudart.so.11.0'; dlerror: libcudart.so.11.0: cannot open shared object file: No such file or directory");
    // The CPU wheel's log has no CUDA line, and the "Unable to register cuDNN factory" noise is no reason.
    assert.equal(firstCudaError('E0000 cuda_dnn.cc:8310] Unable to register cuDNN factory: Attempting to register factory for plugin cuDNN\n'), undefined);
  });

  it('names the CUDA of the TensorFlow the binding runs: 12.x for a setup-native --gpu build, 11.2 only for the stock package', () => {
    assert.deepEqual([cudaFor('2.18.0'), cudaFor('2.21.0'), cudaFor('2.9.1'), cudaFor('2.13.1'), cudaFor('1.15.0')],
      [{ cuda: '12.5', cudnn: '9.3' }, { cuda: '12.5', cudnn: '9.3' }, { cuda: '11.2', cudnn: '8.1' }, { cuda: '11.8', cudnn: '8.6' }, undefined]);
    const built = explainNoGpu('2.18.0', true, firstCudaError(log('tf-2.18-cuda-wheel-no-driver.log')));
    assert.match(built.reason, /^TensorFlow 2\.18\.0 lists no GPU device: Could not find cuda drivers/);
    assert.match(built.advice, /NVIDIA driver for CUDA 12/);
    assert.match(built.advice, /CUDA 12\.5 and cuDNN 9\.3/);
    assert.match(built.advice, /tensorflow\[and-cuda\]==2\.18\.0/);
    assert.doesNotMatch(built.advice, /11\.2|cuDNN 8/);
    const stock = explainNoGpu('2.9.1', undefined, firstCudaError(log('tfjs-node-gpu-4.x-stock-no-cudart.log')));
    assert.match(stock.advice, /CUDA 11\.2 and cuDNN 8\.1 on LD_LIBRARY_PATH; with CUDA 12, run `skipcheck setup-native --gpu`/);
    assert.doesNotMatch(stock.advice, /driver/, 'the driver was found; a library was not');
    // A library that fails to load the binding itself: the advice follows the build record too.
    const err = new Error('libcudnn.so.9: cannot open shared object file: No such file or directory');
    const record = { source: '/venv/site-packages/tensorflow', tfVersion: '2.18.0', gpu: true, libraries: [], placed: 'hardlink' as const, builtAt: '' };
    assert.doesNotMatch(explainBackendFailure('@tensorflow/tfjs-node-gpu', err, record).advice, /11\.2/);
    assert.match(explainBackendFailure('@tensorflow/tfjs-node-gpu', err, record).advice, /CUDA 12\.5 and cuDNN 9\.3/);
    assert.match(explainBackendFailure('@tensorflow/tfjs-node-gpu', err).advice, /CUDA 11\.2/);
  });

  it('takes the version from the real build: the record setup-native wrote is the TensorFlow the binding loads', async function () {
    const native = locateNativeRuntime();
    if (!native.ready || !native.packageDir || !native.setup) this.skip();
    const r = await execTool(process.execPath, ['-e', 'const b = require(process.argv[1]).backend(); console.log(JSON.stringify({ v: b.binding.TF_Version, gpu: b.isUsingGpuDevice }))', native.packageDir], {
      env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' },
    });
    const loaded = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { v?: string; gpu?: boolean };
    assert.equal(loaded.v, native.setup.tfVersion, tail(r.stderr, 5));
    assert.equal(loaded.gpu, false, 'the CPU build lists no GPU device');
    assert.ok(cudaFor(loaded.v), `TensorFlow ${loaded.v} is in the CUDA table`);
  });

  it('labels a tfjs-node-gpu run by the device TensorFlow uses and says why there is no GPU', async function () {
    const runtime = gpuRuntime();
    if ('reason' in runtime) { console.warn(`  skipped: ${runtime.reason}`); this.skip(); }
    const dir = path.dirname(path.dirname(path.dirname((runtime).packageDir)));
    const r = await execTool(process.execPath, ['--import', 'tsx', path.join(__dirname, 'backendChild.ts'), dir], { cwd: REPO });
    const b = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { pkg: string; device: string; attempts: { pkg: string; ok: boolean; reason?: string; advice?: string }[] };
    assert.equal(b.pkg, '@tensorflow/tfjs-node-gpu', tail(r.stderr, 10));
    const gpuAttempt = b.attempts.find((a) => a.pkg.endsWith('(GPU device)'));
    if (nvidiaGpus()) {
      assert.match(b.device, /^tensorflow \(GPU/);
      assert.equal(gpuAttempt, undefined);
      return;
    }
    assert.match(b.device, /^tensorflow \(CPU: TensorFlow found no GPU\), TensorFlow 2\./);
    assert.ok(gpuAttempt, 'the missing GPU is listed with its reason');
    assert.match(gpuAttempt.reason!, /lists no GPU device: Could not find cuda drivers on your machine/);
    assert.match(gpuAttempt.advice!, /CUDA 12\.\d and cuDNN 9/);
    assert.doesNotMatch(gpuAttempt.advice!, /11\.2/);
  });

  it('trains a ResNet-20 step on the GPU, its tensors placed there', async function () {
    const gpus = nvidiaGpus();
    if (!gpus) { console.warn('  skipped: no NVIDIA GPU here (nvidia-smi lists none)'); this.skip(); }
    const runtime = gpuRuntime();
    if ('reason' in runtime) { console.warn(`  skipped: ${runtime.reason}`); this.skip(); }
    const r = await runTrainChild({
      runtime: (runtime).packageDir, model: 'resnet20', mode: 'train', samples: 64, batchSize: 32, epochs: 1, learningRate: 0.05,
    }, { TF_FORCE_GPU_ALLOW_GROWTH: 'true' });
    assert.equal(r.backend, 'tensorflow');
    assert.equal(r.usingGpu, true, 'TensorFlow lists a GPU and tfjs-node places its tensors on it');
    assert.ok((r.gpuMemoryMiB ?? 0) > 0, `nvidia-smi shows the training process holding GPU memory (${r.gpuMemoryMiB} MiB on ${gpus})`);
    assert.ok(r.losses.length === 1 && Number.isFinite(r.losses[0]), `loss ${r.losses.join()}`);
  });
});
