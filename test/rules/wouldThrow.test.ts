// tfjs-would-throw (issue 12.5 and 12.14): calls tfjs refuses while building a model are reported at their
// line with tfjs's own message, taken here from running the same line with the real tfjs; the rest of the
// file is still analysed (other findings survive, later layers get the best shape), and nothing is
// reported when the analyzer cannot be sure.
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import ts from 'typescript';
import { analyze, type AnalysisResult } from '../../server/src/analysis';
import { VIRTUAL } from '../support/jsProbe';

const PRELUDE = `const x = tf.input({ shape: [8, 8, 4] });
const v = tf.input({ shape: [4] });
const s = tf.input({ shape: [] });`;

/** A model with a residual mismatch (0-based line 6), then the line under test (0-based line 7). */
function program(line: string): string {
  return `import * as tf from '@tensorflow/tfjs';
export function build() {
  ${PRELUDE.split('\n').join('\n  ')}
  const y = tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same' }).apply(x) as tf.SymbolicTensor;
  const z = tf.layers.add().apply([x, y]) as tf.SymbolicTensor;
  ${line}
  return tf.model({ inputs: [x, v, s], outputs: z });
}
`;
}
const LINE_UNDER_TEST = 7;
const MISMATCH_LINE = 6;

/** What the real tfjs throws for the line (after the same inputs), or undefined when it does not throw. */
function tfjsThrows(line: string): string | undefined {
  const js = ts.transpileModule(`${PRELUDE}\n${line}`, { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText;
  try {
    new Function('tf', js)(tf);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** tfjs names layers conv2d_Conv2D1 (a global counter); the analyzer says conv2d. */
const normalise = (m: string) => m.replace(/layer ([a-z0-9_]+)_[A-Z]\w*?\d+:/g, 'layer $1:');

function analyseLine(line: string): AnalysisResult {
  const r = analyze(VIRTUAL, program(line), { readFile: () => undefined });
  assert.deepEqual(r.notes.filter((n) => n.startsWith('internal error')), [], 'no analyzer defect');
  return r;
}

const REFUSED: Record<string, string> = {
  'add of no operands (auto-closed brackets)': `const w = tf.layers.add().apply([]);`,
  'multiply of one operand': `const w = tf.layers.multiply().apply([x]);`,
  'average of a bare tensor': `const w = tf.layers.average().apply(x);`,
  'maximum of one operand': `const w = tf.layers.maximum().apply([x]);`,
  'minimum of no operands': `const w = tf.layers.minimum().apply([]);`,
  'dot of one operand': `const w = tf.layers.dot({ axes: 1 }).apply([v]);`,
  'concatenate of one operand': `const w = tf.layers.concatenate().apply([x]);`,
  'a factory in the wrong case': `const w = (tf.layers as any).globalAveragePooling2D({});`,
  'a factory tfjs does not have': `const w = (tf.layers as any).lambda({ fn: (t: unknown) => t });`,
  'globalAveragePooling2d without its config': `const w = tf.layers.globalAveragePooling2d(undefined as any);`,
  'conv2d without a config': `const w = (tf.layers as any).conv2d();`,
  'maxPooling2d without a config': `const w = (tf.layers as any).maxPooling2d();`,
  'conv2d on a rank-2 tensor': `const w = tf.layers.conv2d({ filters: 2, kernelSize: 1 }).apply(v);`,
  'maxPooling2d on a rank-2 tensor': `const w = tf.layers.maxPooling2d({ poolSize: 2 }).apply(v);`,
  'dense on a rank-1 tensor': `const w = tf.layers.dense({ units: 2 }).apply(s);`,
  'a named layer on the wrong rank': `const w = tf.layers.conv1d({ filters: 2, kernelSize: 1, name: 'stem' }).apply(x);`,
  'add of ranks that cannot broadcast': `const w = tf.layers.add().apply([x, tf.input({ shape: [3] })]);`,
  'concatenate of different ranks': `const w = tf.layers.concatenate().apply([x, v]);`,
};

describe('tfjs-would-throw: reported with tfjs\'s own message, and the rest of the file survives', () => {
  for (const [name, line] of Object.entries(REFUSED)) {
    it(name, () => {
      const truth = tfjsThrows(line);
      assert.ok(truth, 'tfjs throws for this line');
      const r = analyseLine(line);
      const thrown = r.findings.filter((f) => f.rule === 'tfjs-would-throw');
      assert.equal(thrown.length, 1, JSON.stringify(r.findings.map((f) => f.message)));
      assert.equal(thrown[0].severity, 'error');
      assert.equal(thrown[0].range.start.line, LINE_UNDER_TEST);
      assert.ok(thrown[0].message.includes(normalise(truth)), `"${thrown[0].message}" should quote tfjs: "${normalise(truth)}"`);
      // The residual mismatch before it is still found.
      assert.deepEqual(r.findings.filter((f) => f.rule === 'residual-shape-mismatch').map((f) => f.range.start.line), [MISMATCH_LINE]);
    });
  }
});

const NOT_CERTAIN: Record<string, string> = {
  'an add that broadcasts a lower rank': `const w = tf.layers.add().apply([x, tf.input({ shape: [4] })]);`,
  'operands the analyzer cannot see': `const ops: any = process.env.OPS; const w = tf.layers.add().apply(ops);`,
  'operands handed to unknown code first': `const ops = [x, v]; (globalThis as any).shuffle(ops); const w = tf.layers.add().apply(ops);`,
  'a tensor of unknown rank': `const u = tf.input({ shape: (process.env.S as any) }); const w = tf.layers.conv2d({ filters: 2, kernelSize: 1 }).apply(u);`,
  'a config the analyzer cannot see': `const w = tf.layers.conv2d((globalThis as any).cfg);`,
  'a factory that exists but is not catalogued': `const w = (tf.layers as any).conv3d({ filters: 2, kernelSize: 1 });`,
  'a call still being typed (no closing parenthesis yet)': `const w = tf.layers.conv2d(`,
  'a merge after a layer given the wrong rank': `const bad = tf.layers.conv2d({ filters: 2, kernelSize: 1 }).apply(v) as tf.SymbolicTensor; const w = tf.layers.add().apply([bad, v]);`,
};

describe('tfjs-would-throw: nothing when the analyzer cannot be sure', () => {
  for (const [name, line] of Object.entries(NOT_CERTAIN)) {
    it(name, () => {
      const r = analyseLine(line);
      const thrown = r.findings.filter((f) => f.rule === 'tfjs-would-throw' && f.range.start.line === LINE_UNDER_TEST);
      // The wrong-rank conv is reported (it is certain); the merge after it is not.
      const expected = name.startsWith('a merge after') ? 1 : 0;
      assert.equal(thrown.length, expected, JSON.stringify(thrown.map((f) => f.message)));
    });
  }
});

describe('tfjs-would-throw: analysis goes on with the best shape', () => {
  it('a wrongly cased factory is followed as the factory it most likely means', () => {
    const r = analyseLine(`const g = (tf.layers as any).globalAveragePooling2D({}).apply(x) as tf.SymbolicTensor;
  const d = tf.layers.dense({ units: 3 }).apply(g) as tf.SymbolicTensor;
  const m = tf.layers.add().apply([g, d]);`);
    assert.deepEqual(r.findings.map((f) => [f.rule, f.range.start.line]).sort(),
      [['residual-shape-mismatch', MISMATCH_LINE], ['residual-shape-mismatch', LINE_UNDER_TEST + 2], ['tfjs-would-throw', LINE_UNDER_TEST]].sort());
  });

  it('a helper called twice with the same mistake gives one finding', () => {
    const r = analyze(VIRTUAL, `import * as tf from '@tensorflow/tfjs';
function stem(t: tf.SymbolicTensor) { return tf.layers.conv2d({ filters: 2, kernelSize: 1 }).apply(t) as tf.SymbolicTensor; }
export function build() {
  const v = tf.input({ shape: [4] });
  stem(v); stem(v);
  return tf.model({ inputs: v, outputs: v });
}
`, { readFile: () => undefined });
    assert.deepEqual(r.findings.map((f) => [f.rule, f.range.start.line]), [['tfjs-would-throw', 1]]);
  });
});
