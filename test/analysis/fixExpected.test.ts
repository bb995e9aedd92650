// Fixes as a person would write them, compared with hand-checked expected files: every fix kind (projection
// from the function's own names, an extended guard, literal projection, cropping, padding, useBias, moving an
// activation) on helper, loop and class code, in 2/4-space and tab indentation, single and double quotes,
// `T` aliases and bn() helpers, TS and JS. Each expected file is then built with real tfjs, call by call.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze, applyEdits, preferredEdits } from '../../server/src/analysis';
import { buildText } from '../lsp/expected';

const dir = path.join(__dirname, 'fixStyle');

/** What `skipcheck --fix` does to one file: preferred fixes, re-analysed and repeated until none is left. */
function fixAll(file: string, text: string): string {
  for (let round = 0; round < 5; round++) {
    const edits = preferredEdits(text, file, analyze(file, text).findings);
    if (edits.length === 0) break;
    text = applyEdits(text, edits);
  }
  return text;
}

const cases: { input: string; exportName: string }[] = [
  { input: 'helper-projection.ts', exportName: 'build' },
  { input: 'loop-guard.ts', exportName: 'resnet20' },
  { input: 'class-projection.ts', exportName: 'classNet' },
  { input: 'js-literal.js', exportName: 'build' },
  { input: 'unet-crop.ts', exportName: 'unet' },
  { input: 'helper-padding.ts', exportName: 'paddedNet' },
  { input: 'loop-batchnorm.ts', exportName: 'plainStack' },
];

/** Calls of the helpers of symbolic-helper.ts with several concrete argument sets, built by tfjs. */
const instances = `
export function instances(): tf.LayersModel {
  const outs: tf.SymbolicTensor[] = [];
  const inputs: tf.SymbolicTensor[] = [];
  for (const [h, c, filters] of [[8, 4, 8], [9, 16, 16], [32, 3, 5], [7, 8, 8]]) {
    const input = tf.input({ shape: [h, h, c] });
    inputs.push(input);
    outs.push(down(input, filters), block(input, filters, 2), block(block(input, c, 1), c, 1));
  }
  return tf.model({ inputs, outputs: outs });
}
`;

describe('fixes compared with hand-written expected files', () => {
  it('symbolic-helper.ts (functions nothing calls): the projection uses the function\'s names, and tfjs builds it for several argument sets', function () {
    this.timeout(60_000);
    const file = path.join(dir, 'symbolic-helper.ts');
    const text = fs.readFileSync(file, 'utf8');
    assert.deepEqual(analyze(file, text).findings.map((f) => f.rule), ['residual-shape-mismatch']);
    assert.throws(() => buildText(text + instances, 'instances'), 'the unfixed helper fails in tfjs');
    const fixed = fixAll(file, text);
    assert.equal(fixed, fs.readFileSync(path.join(dir, 'symbolic-helper.expected.ts'), 'utf8'));
    assert.deepEqual(analyze(file, fixed).findings, [], 'verified symbolically: nothing left for any input size');
    // block() keeps its identity shortcut: with strides 2 it fails in tfjs, which is its contract, not a finding.
    const onlyDown = instances.replace(', block(input, filters, 2)', '');
    assert.equal(buildText(fixed + onlyDown, 'instances').outputs.length, 8);
  });

  for (const { input, exportName } of cases) {
    it(`${input}: the fixed file is the expected one, and tfjs builds it`, function () {
      this.timeout(60_000);
      const file = path.join(dir, input);
      const expectedFile = file.replace(/\.(ts|js)$/, '.expected.$1');
      const text = fs.readFileSync(file, 'utf8');
      const before = analyze(file, text).findings;
      assert.ok(before.length > 0, 'the input has findings');
      // Inputs with shape errors really fail in tfjs; the batch-norm one builds but wastes a bias.
      if (before.some((f) => f.severity === 'error')) assert.throws(() => buildText(text, exportName));
      const fixed = fixAll(file, text);
      assert.equal(fixed, fs.readFileSync(expectedFile, 'utf8'));
      assert.deepEqual(analyze(file, fixed).findings.map((f) => f.rule), [], 'nothing left to report');
      const model = buildText(fixed, exportName);
      assert.ok(model.layers.length > 3);
    });
  }
});
