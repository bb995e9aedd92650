// Disable comments as ESLint users write them, applied by the core (so the CLI and the editor agree).
import assert from 'node:assert/strict';
import { analyze, applyEdits, disableFileEdit, disableNextLineEdit } from '../../server/src/analysis';

/** Two independent mistakes: a bias before BN (line 4) and a stride-2 identity shortcut (line 7). */
const model = (before4 = '', before7 = '', top = '') => [
  `${top}import * as tf from '@tensorflow/tfjs';`,
  'export function m() {',
  '  const x = tf.input({shape: [8, 8, 4]});',
  `${before4}  const c = tf.layers.conv2d({filters: 4, kernelSize: 3, padding: 'same'}).apply(x) as tf.SymbolicTensor;`,
  '  const b = tf.layers.batchNormalization().apply(c) as tf.SymbolicTensor;',
  "  const s = tf.layers.conv2d({filters: 4, kernelSize: 3, strides: 2, padding: 'same', useBias: false}).apply(b) as tf.SymbolicTensor;",
  `${before7}  const out = tf.layers.add().apply([s, x]) as tf.SymbolicTensor;`,
  '  return tf.model({inputs: x, outputs: out});',
  '}',
].join('\n');
const rules = (text: string) => analyze('/virtual/s.ts', text).findings.map((f) => f.rule).sort();

describe('disable comments', () => {
  it('the unsilenced file has both findings', () => {
    assert.deepEqual(rules(model()), ['bias-before-batchnorm', 'residual-shape-mismatch']);
  });

  it('skipcheck-disable-next-line silences the next line, for the named rule only', () => {
    assert.deepEqual(rules(model('  // skipcheck-disable-next-line bias-before-batchnorm\n')), ['residual-shape-mismatch']);
    assert.deepEqual(rules(model('  // skipcheck-disable-next-line residual-broadcast\n')), ['bias-before-batchnorm', 'residual-shape-mismatch']);
    assert.deepEqual(rules(model('  // skipcheck-disable-next-line\n')), ['residual-shape-mismatch'], 'no rule: every rule');
    assert.deepEqual(rules(model('', '  /* skipcheck-disable-next-line residual-shape-mismatch, bias-before-batchnorm -- stage test */\n')), ['bias-before-batchnorm']);
  });

  it('skipcheck-disable-line silences its own line', () => {
    const text = model().replace("apply([s, x]) as tf.SymbolicTensor;", 'apply([s, x]) as tf.SymbolicTensor; // skipcheck-disable-line residual-shape-mismatch');
    assert.deepEqual(rules(text), ['bias-before-batchnorm']);
  });

  it('/* skipcheck-disable */ holds until /* skipcheck-enable */ or the end of the file', () => {
    assert.deepEqual(rules(model('', '', '/* skipcheck-disable */\n')), []);
    assert.deepEqual(rules(model('', '', '/* skipcheck-disable residual-shape-mismatch */\n')), ['bias-before-batchnorm']);
    assert.deepEqual(rules(model('  /* skipcheck-disable */\n', '  /* skipcheck-enable */\n')), ['residual-shape-mismatch']);
    assert.deepEqual(rules(model('  /* skipcheck-disable bias-before-batchnorm */\n', '  /* skipcheck-enable bias-before-batchnorm */\n')), ['residual-shape-mismatch']);
  });

  it('a directive inside a string is not a comment', () => {
    const text = model("  const note = '// skipcheck-disable-next-line';\n");
    assert.deepEqual(rules(text), ['bias-before-batchnorm', 'residual-shape-mismatch']);
  });

  it('the quick-fix edits insert comments that silence exactly their finding, indented like the line', () => {
    const text = model();
    const [bias, merge] = analyze('/virtual/s.ts', text).findings.sort((a, b) => a.range.start.line - b.range.start.line);
    const oneLine = applyEdits(text, [disableNextLineEdit(text, merge)]);
    assert.match(oneLine, /\n {2}\/\/ skipcheck-disable-next-line residual-shape-mismatch\n {2}const out = /);
    assert.deepEqual(rules(oneLine), ['bias-before-batchnorm']);
    const crlf = text.replace(/\n/g, '\r\n');
    assert.match(applyEdits(crlf, [disableNextLineEdit(crlf, bias)]), /\r\n {2}\/\/ skipcheck-disable-next-line bias-before-batchnorm\r\n {2}const c = /);
    const wholeFile = applyEdits(text, [disableFileEdit(text, bias.rule)]);
    assert.ok(wholeFile.startsWith('/* skipcheck-disable bias-before-batchnorm */\nimport'));
    assert.deepEqual(rules(wholeFile), ['residual-shape-mismatch']);
  });
});
