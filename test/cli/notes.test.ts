// What the analysis could not do reaches the CLI user in every format ("0 findings" is never silently
// "gave up"), --strict turns a file that was not fully analysed into exit 2, a model cut by the step budget
// still shows what was built, and user text never writes raw control characters to the terminal.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FileReport } from '../../server/src/cli/check';
import { formatHuman } from '../../server/src/cli/format';
import { toCliNote } from '../../server/src/cli/notes';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'skipcheck.js');
const HEADER = "import * as tf from '@tensorflow/tfjs';\n";

// A residual mismatch first, then a loop far beyond the step budget before tf.model is ever reached.
const CUT = `${HEADER}
export function huge() {
  const input = tf.input({ shape: [32, 32, 16] });
  let x = tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same' }).apply(input) as tf.SymbolicTensor;
  const bad = tf.layers.conv2d({ filters: 32, kernelSize: 3, strides: 2, padding: 'same' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.add().apply([bad, x]) as tf.SymbolicTensor;
  for (let i = 0; i < 1e7; i++) x = tf.layers.activation({ activation: 'relu' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: x });
}
`;
const CLEAN = `${HEADER}
export function small() {
  const input = tf.input({ shape: [4] });
  return tf.model({ inputs: input, outputs: tf.layers.dense({ units: 2 }).apply(input) as tf.SymbolicTensor });
}
`;
// An import that cannot be resolved; its specifier carries an OSC title sequence and a bell.
const UNRESOLVED = `${HEADER}import { helper } from './missing-\u001b]0;pwned\u0007';\n${CLEAN.slice(HEADER.length)}`;
// A helper analysed with its parameters as symbols, cut by the step budget: the note points at it.
const HELPER = `${HEADER}export function block(x: tf.SymbolicTensor, n: number) {
  let y = x;
  for (let i = 0; i < n * 1e6; i++) y = tf.layers.reLU().apply(y) as tf.SymbolicTensor;
  return tf.layers.add().apply([x, y]) as tf.SymbolicTensor;
}
`;
const NESTED = `${HEADER}const v = ${'['.repeat(5000)}1${']'.repeat(5000)};\n${CLEAN.slice(HEADER.length)}`;

function skipcheck(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 60_000, maxBuffer: 256 * 1024 * 1024 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('skipcheck CLI notes, --strict and terminal safety', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    if (!fs.existsSync(path.join(ROOT, 'dist', 'cli.js'))) spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skipcheck-notes-'));
    fs.writeFileSync(path.join(dir, 'cut.ts'), CUT);
    fs.writeFileSync(path.join(dir, 'clean.ts'), CLEAN);
    fs.writeFileSync(path.join(dir, 'unresolved.ts'), UNRESOLVED);
    fs.writeFileSync(path.join(dir, 'nested.ts'), NESTED);
    fs.writeFileSync(path.join(dir, 'helper.ts'), HELPER);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('human: each note with --verbose, and a summary line of them', () => {
    const v = skipcheck(['--verbose', 'cut.ts', 'unresolved.ts'], dir);
    assert.equal(v.code, 1, v.err);
    assert.match(v.out, /^cut\.ts: note: huge: step budget exceeded/m);
    assert.match(v.out, /^unresolved\.ts: note: could not resolve '\.\/missing-/m);
    assert.match(v.out, /^2 files, 2 models \(1 partial\), 1 finding$/m);
    assert.match(v.out, /^2 notes \(1 file not fully analysed\)$/m);
    const quiet = skipcheck(['unresolved.ts'], dir);
    assert.equal(quiet.code, 0, quiet.err);
    assert.doesNotMatch(quiet.out, /note: /);
    assert.match(quiet.out, /^1 note; --verbose shows them$/m);
  });

  it('JSON: a notes array per file; the model cut by the step budget is kept with what was built; --strict exits 2', () => {
    const r = skipcheck(['--strict', '--format', 'json', 'cut.ts', 'unresolved.ts', 'clean.ts'], dir);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /--strict: not fully analysed: .*cut\.ts$/m);
    const files = Object.fromEntries(JSON.parse(r.out).files.map((f: { path: string }) => [f.path, f]));
    assert.deepEqual(files['clean.ts'].notes, []);
    assert.equal(files['cut.ts'].notes.length, 1);
    assert.match(files['cut.ts'].notes[0].message, /step budget exceeded/);
    assert.equal(files['cut.ts'].notes[0].incomplete, true);
    assert.equal(files['unresolved.ts'].notes[0].incomplete, false);
    assert.deepEqual(files['cut.ts'].findings.map((f: { rule: string }) => f.rule), ['residual-shape-mismatch'], 'findings before the cut stay');
    assert.equal(files['cut.ts'].models.length, 1);
    const model = files['cut.ts'].models[0];
    assert.equal(model.name, 'huge');
    assert.equal(model.partial, 'step budget exceeded');
    assert.deepEqual(model.layers.slice(0, 4).map((l: { className: string }) => l.className), ['InputLayer', 'Conv2D', 'Conv2D', 'Add']);
    assert.deepEqual(model.layers[2].outputShape, [null, 16, 16, 32], 'the strided conv as tfjs computes it');
    assert.ok(model.layers.length > 100, 'the layers of the loop up to the cut');
    assert.equal(files['clean.ts'].models[0].partial, undefined);
  });

  it('SARIF: notes as invocations[].toolExecutionNotifications', () => {
    const sarif = JSON.parse(skipcheck(['--format', 'sarif', 'cut.ts', 'unresolved.ts'], dir).out);
    const n = sarif.runs[0].invocations[0].toolExecutionNotifications as { level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[];
    assert.equal(sarif.runs[0].invocations[0].executionSuccessful, true);
    assert.deepEqual(n.map((x) => [x.locations[0].physicalLocation.artifactLocation.uri, x.level]), [['cut.ts', 'warning'], ['unresolved.ts', 'note']]);
    assert.match(n[0].message.text, /step budget exceeded/);
  });

  it('--strict exits 2 on a file too deeply nested to parse, and not for an unresolved import', () => {
    const nested = skipcheck(['--strict', '--verbose', 'nested.ts'], dir);
    assert.equal(nested.code, 2, nested.out);
    assert.match(nested.out, /too deeply nested/);
    assert.equal(skipcheck(['--strict', 'unresolved.ts', 'clean.ts'], dir).code, 0);
  });

  it('a function the analysis could not follow is noted once, at its line', () => {
    const r = skipcheck(['--strict', '--verbose', 'helper.ts'], dir);
    assert.equal(r.code, 2, r.out + r.err);
    assert.deepEqual(r.out.split('\n').filter((l) => / note: /.test(l)), ['helper.ts:2: note: block: not analysed: step budget exceeded (huge loop or deep recursion); results are partial']);
  });

  it('control characters in user strings (import specifiers, file names) are escaped in human output', () => {
    const evil = path.join(dir, 'evil\u001b[2J\r.ts');
    fs.copyFileSync(path.join(ROOT, 'examples', 'broken-block.ts'), evil);
    try {
      const r = skipcheck(['--verbose', 'unresolved.ts', path.basename(evil)], dir);
      assert.equal(r.code, 1, r.err);
      assert.doesNotMatch(r.out, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/, 'no raw control character except newlines');
      assert.match(r.out, /missing-\\u\{1b\}\]0;pwned\\u\{7\}/);
      assert.match(r.out, /^evil\\u\{1b\}\[2J\\r\.ts:42:\d+ error residual-shape-mismatch/m);
    } finally {
      fs.rmSync(evil);
    }
  });

  it('a note with a location (file, line) is printed at it', () => {
    const file = path.join(process.cwd(), 'model.ts');
    const report: FileReport = {
      path: file, findings: [], models: [], contracts: [],
      notes: [toCliNote({ file: path.join(process.cwd(), 'helper.ts'), line: 11, message: 'could not follow makeBlock(): too many paths' }, file)],
    };
    assert.match(formatHuman([report], { verbose: true }), /^helper\.ts:12: note: could not follow makeBlock\(\): too many paths$/m);
    // The analyzer's FunctionNote shape: a function, where it is, and why it was not followed.
    const fn = toCliNote({ function: 'block', file: path.join(process.cwd(), 'blocks.ts'), range: { start: { line: 4 } }, reason: 'step budget exceeded' }, file);
    assert.deepEqual(fn, { file: path.join(process.cwd(), 'blocks.ts'), line: 4, message: 'block: not analysed: step budget exceeded', incomplete: true });
    assert.match(formatHuman([{ ...report, notes: [fn] }], { verbose: true }), /^blocks\.ts:5: note: block: not analysed: step budget exceeded$/m);
  });
});
