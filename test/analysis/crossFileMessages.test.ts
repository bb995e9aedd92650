// Messages name the file of a line that is not in the finding's own file: "conv2d at line 6 of common.ts",
// "the call at line 9 of model.ts". A bare line number would point into the wrong file.
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/analysis';

const files: Record<string, string> = {
  '/p/common.ts': [
    "import * as tf from '@tensorflow/tfjs';",
    'export function convBn(x: tf.SymbolicTensor, filters: number, strides = 1): tf.SymbolicTensor {',
    "  const c = tf.layers.conv2d({ filters, kernelSize: 3, strides, padding: 'same', useBias: false }).apply(x) as tf.SymbolicTensor;",
    '  return tf.layers.batchNormalization().apply(c) as tf.SymbolicTensor;',
    '}',
    '',
  ].join('\n'),
  '/p/block.ts': [
    "import * as tf from '@tensorflow/tfjs';",
    "import { convBn } from './common';",
    'export function block(x: tf.SymbolicTensor, filters: number, strides: number): tf.SymbolicTensor {',
    '  const y = convBn(convBn(x, filters, strides), filters);',
    '  return tf.layers.add().apply([y, x]) as tf.SymbolicTensor;',
    '}',
    '',
  ].join('\n'),
  '/p/model.ts': [
    "import * as tf from '@tensorflow/tfjs';",
    "import { block } from './block';",
    'export function net(): tf.LayersModel {',
    '  const input = tf.input({ shape: [32, 32, 16] });',
    '  let x = block(input, 16, 1);',
    '  x = block(x, 32, 2);',
    '  return tf.model({ inputs: input, outputs: x });',
    '}',
    '',
  ].join('\n'),
};

describe('messages about lines in other files', () => {
  it('name the file of a layer or call that is not in the finding\'s file', () => {
    const r = analyze('/p/model.ts', files['/p/model.ts'], { readFile: (p) => files[p] });
    const f = r.findings.find((x) => x.rule === 'residual-shape-mismatch');
    assert.ok(f, JSON.stringify(r.findings));
    assert.equal(f.file, '/p/block.ts');
    assert.match(f.message, /conv2d with strides 2 at line 3 of common\.ts halves the size 32x32 -> 16x16/);
    assert.match(f.message, /the call at line 6 of model\.ts/);
    assert.doesNotMatch(f.message, /at line \d+(?! of)[ ;.,)]/, 'every line in the message names its file');
  });

  it('keep a bare line number for the finding\'s own file', () => {
    const body = (f: string) => files[f].split('\n').filter((l) => !l.startsWith('import')).join('\n');
    const one = `import * as tf from '@tensorflow/tfjs';\n${body('/p/common.ts')}${body('/p/block.ts')}${body('/p/model.ts')}`;
    const r = analyze('/p/one.ts', one, { readFile: () => undefined });
    const f = r.findings.find((x) => x.rule === 'residual-shape-mismatch');
    assert.ok(f, JSON.stringify(r.findings));
    assert.match(f.message, /conv2d with strides 2 at line 3 halves/);
    assert.doesNotMatch(f.message, / of [\w-]+\.ts/);
  });
});
