// Fixes must look like the user's code: their quotes, their indentation, their line endings, their way of
// calling tfjs (namespace, named `layers` import, or plain JS without casts), and they must be idempotent.
import assert from 'node:assert/strict';
import * as ts from 'typescript';
import { styleOf } from '../../server/src/analysis/fixes/style';
import { analyze, applyEdits, preferredEdits, type AnalysisResult } from '../../server/src/analysis';

function fixAll(file: string, text: string): { fixed: string; before: AnalysisResult } {
  const before = analyze(file, text);
  return { fixed: applyEdits(text, preferredEdits(text, file, before.findings)), before };
}

const stridedBlock = (q: string, indent: string, eol: string, ns = 'tf.', cast = ' as tf.SymbolicTensor') => [
  `import * as tf from ${q}@tensorflow/tfjs${q};`,
  `import { layers } from ${q}@tensorflow/tfjs${q};`,
  '',
  'export function block() {',
  `${indent}const x = tf.input({shape: [16, 16, 8]});`,
  `${indent}const y = ${ns}layers.conv2d({filters: 16, kernelSize: 3, strides: 2, padding: ${q}same${q}}).apply(x)${cast};`,
  `${indent}const z = ${ns}layers.batchNormalization().apply(y)${cast};`,
  `${indent}return tf.model({inputs: x, outputs: ${ns}layers.add().apply([z, x])${cast}});`,
  '}',
  '',
].join(eol);

describe('fix style', () => {
  it('keeps double quotes and tab indentation, and inserts the projection before the merge statement', () => {
    const { fixed } = fixAll('/virtual/a.ts', stridedBlock('"', '\t', '\n'));
    const lines = fixed.split('\n');
    const i = lines.findIndex((l) => l.includes('let shortcut ='));
    assert.ok(i > 0, fixed);
    // Too long for the file's lines as one statement: the BN goes on its own line, as people write it.
    assert.equal(lines[i], '\tlet shortcut = tf.layers.conv2d({filters: 16, kernelSize: 1, strides: 2, useBias: false}).apply(x) as tf.SymbolicTensor;');
    assert.equal(lines[i + 1], '\tshortcut = tf.layers.batchNormalization().apply(shortcut) as tf.SymbolicTensor;');
    assert.match(lines[i + 2], /^\treturn tf\.model\(.*apply\(\[z, shortcut\]\)/);
    assert.equal(analyze('/virtual/a.ts', fixed).findings.length, 0);
  });

  it('keeps CRLF line endings', () => {
    const text = stridedBlock("'", '    ', '\r\n');
    const { fixed } = fixAll('/virtual/b.ts', text);
    assert.notEqual(fixed, text);
    assert.equal(fixed.split('\r\n').length, text.split('\r\n').length + 2, 'two new CRLF lines');
    assert.ok(!/[^\r]\n/.test(fixed), 'no bare LF');
    assert.match(fixed, /\r\n {4}let shortcut = .*\r\n {4}shortcut = /);
  });

  it('reads the style of a CR-only file line by line, as the editor shows it', () => {
    // Read as one long line, the file would seem to indent by 2 and to be 160 columns wide.
    const text = (eol: string) => [
      "import * as tf from '@tensorflow/tfjs';",
      'export function stem(): tf.LayersModel {',
      '    const x = tf.input({ shape: [32, 32, 3] });',
      '    if (x.shape[3] !== 3) {',
      "        throw new Error('three channels');",
      '    }',
      '    return tf.model({ inputs: x, outputs: tf.layers.conv2d({ filters: 8, kernelSize: 3 }).apply(x) as tf.SymbolicTensor });',
      '}',
      '',
    ].join(eol);
    const style = (eol: string) => {
      const sf = ts.createSourceFile('/virtual/s.ts', text(eol), ts.ScriptTarget.Latest, true);
      return styleOf(sf, 'tf.layers.');
    };
    assert.deepEqual(style('\r'), style('\n'));
    assert.equal(style('\r').indentUnit, '    ');
    assert.equal(style('\r').width, Math.max(...text('\n').split('\n').map((l) => l.length)), 'the longest line sets the width');
  });

  it("casts to the project's own alias of SymbolicTensor when the file imports it and casts to it", () => {
    const text = stridedBlock("'", '  ', '\n', 'tf.', ' as T').replace("import { layers } from '@tensorflow/tfjs';", "import type { T } from './types';");
    const { fixed } = fixAll('/virtual/alias.ts', text);
    assert.match(fixed, /let shortcut = tf\.layers\.conv2d\(.*\)\.apply\(x\) as T;\n {2}shortcut = tf\.layers\.batchNormalization\(\)\.apply\(shortcut\) as T;/);
    assert.doesNotMatch(fixed, /as tf\.SymbolicTensor/);
  });

  it('creates layers the way the file does: a named `layers` import, and no casts in JavaScript', () => {
    const named = fixAll('/virtual/c.ts', stridedBlock("'", '  ', '\n', '')).fixed;
    assert.match(named, /let shortcut = layers\.conv2d\(.*\n {2}shortcut = layers\.batchNormalization\(\)\.apply\(shortcut\)/);
    const js = fixAll('/virtual/d.js', stridedBlock("'", '  ', '\n', 'tf.', '')).fixed;
    assert.match(js, /let shortcut = tf\.layers\.conv2d\([^;]*\)\.apply\(x\);\n {2}shortcut = tf\.layers\.batchNormalization\(\)\.apply\(shortcut\);/);
    assert.doesNotMatch(js, /\) as /);
  });

  it('adds to a multi-line config on its own line, with the config\'s indentation', () => {
    const text = [
      "import * as tf from '@tensorflow/tfjs';",
      'export function stem() {',
      '  const x = tf.input({shape: [32, 32, 3]});',
      '  const c = tf.layers.conv2d({',
      '    filters: 16,',
      '    kernelSize: 3,',
      "    padding: 'same',",
      '  }).apply(x) as tf.SymbolicTensor;',
      '  return tf.model({inputs: x, outputs: tf.layers.batchNormalization().apply(c) as tf.SymbolicTensor});',
      '}',
    ].join('\n');
    const { fixed, before } = fixAll('/virtual/e.ts', text);
    assert.deepEqual(before.findings.map((f) => f.rule), ['bias-before-batchnorm']);
    assert.match(fixed, /\n    padding: 'same',\n    useBias: false,\n  \}\)\.apply/);
    assert.equal(fixAll('/virtual/e.ts', fixed).fixed, fixed, 'idempotent');
  });

  it('replaces an explicit value instead of adding a second key', () => {
    const text = [
      "import * as tf from '@tensorflow/tfjs';",
      'export function m() {',
      '  const x = tf.input({shape: [8]});',
      '  const d = tf.layers.dense({units: 4, useBias: true}).apply(x) as tf.SymbolicTensor;',
      '  return tf.model({inputs: x, outputs: tf.layers.batchNormalization().apply(d) as tf.SymbolicTensor});',
      '}',
    ].join('\n');
    const { fixed } = fixAll('/virtual/f.ts', text);
    assert.match(fixed, /dense\(\{units: 4, useBias: false\}\)/);
  });
});
