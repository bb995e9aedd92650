// The wording of messages that count or single out something, checked against real tfjs: the odd operand of a
// merge of three or more, "in 1 of 9 iterations of the loop at line N" for a loop in a builder nothing calls,
// and the parameters a bias before BatchNormalization wastes, summed over every layer its line creates (loop
// iterations, helper calls).
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { analyze } from '../../server/src/analysis';
import { buildText, lineOf } from '../lsp/expected';

const file = path.join(__dirname, 'wording-model.ts');
const head = "import * as tf from '@tensorflow/tfjs';\n";
const findingsOf = (text: string) => analyze(file, text).findings;
const shapeText = (s: tf.Shape) => `[${s.map((d) => (d === null ? 'null' : d)).join(',')}]`;

/** The shapes tfjs gives the named tensors: the builder returns them instead of the merge. */
function tfjsShapes(text: string, mergeLine: string, fn: string, names: string[]): string[] {
  const probe = text.replace(mergeLine, '').replace(/return tf\.model\(\{ inputs: input, outputs: [^}]+\}\);/, `return tf.model({ inputs: input, outputs: [${names.join(', ')}] });`);
  return buildText(probe, fn).outputs.map((o) => shapeText(o.shape));
}

describe('message wording, checked with tfjs', function () {
  this.timeout(30_000);

  describe('a merge of three operands names the one that differs and its cause', () => {
    const strided = `${head}
export function threeWay(): tf.LayersModel {
  const input = tf.input({ shape: [16, 16, 8] });
  const a = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same' }).apply(input) as tf.SymbolicTensor;
  const b = tf.layers.conv2d({ filters: 8, kernelSize: 5, padding: 'same' }).apply(input) as tf.SymbolicTensor;
  const c = tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same' }).apply(input) as tf.SymbolicTensor;
  const sum = tf.layers.add().apply([a, b, c]) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: sum });
}
`;
    it('the last operand, strided on its way', () => {
      assert.throws(() => buildText(strided, 'threeWay'), /Operands could not be broadcast/);
      const [a, b, c] = tfjsShapes(strided, '  const sum = tf.layers.add().apply([a, b, c]) as tf.SymbolicTensor;\n', 'threeWay', ['a', 'b', 'c']);
      assert.equal(a, b);
      assert.notEqual(c, a, 'tfjs: c is the odd one');
      const [f] = findingsOf(strided);
      assert.equal(f.rule, 'residual-shape-mismatch');
      assert.equal(f.range.start.line, lineOf(strided, 'const sum'));
      const stride = lineOf(strided, 'const c') + 1;
      assert.ok(f.message.startsWith(`add cannot combine its 3 operands: \`c\` (operand 3) is ${c}, the others ${a}. ` +
        `On the way to \`c\`, conv2d with strides 2 at line ${stride} halves the size 16x16 -> 8x8.`), f.message);
    });

    it('the first operand, the block input itself, when the two others changed it', () => {
      const widened = `${head}
export function widened(): tf.LayersModel {
  const input = tf.input({ shape: [16, 16, 8] });
  const p = tf.layers.conv2d({ filters: 16, kernelSize: 1 }).apply(input) as tf.SymbolicTensor;
  const q = tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same' }).apply(input) as tf.SymbolicTensor;
  const sum = tf.layers.add().apply([input, p, q]) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: sum });
}
`;
      assert.throws(() => buildText(widened, 'widened'), /Operands could not be broadcast/);
      const [input, p, q] = tfjsShapes(widened, '  const sum = tf.layers.add().apply([input, p, q]) as tf.SymbolicTensor;\n', 'widened', ['input', 'p', 'q']);
      assert.equal(p, q);
      assert.notEqual(input, p);
      const [f] = findingsOf(widened);
      assert.equal(f.message, `add cannot combine its 3 operands: \`input\` (operand 1) is ${input}, the others ${p}. ` +
        `\`input\` is the block input itself; the other operands changed it: conv2d at line ${lineOf(widened, 'const p') + 1} outputs 16 channels (from 8).`);
    });
  });

  it('"in 1 of 9 iterations of the loop at line N" for a loop in a builder nothing calls, as tfjs counts them', () => {
    const loop = `${head}
export function resnet20(): tf.LayersModel {
  const input = tf.input({ shape: [32, 32, 16] });
  let x = input as tf.SymbolicTensor;
  for (let i = 0; i < 9; i++) {
    const strides = i === 3 ? 2 : 1;
    let y = tf.layers.conv2d({ filters: 16, kernelSize: 3, strides, padding: 'same' }).apply(x) as tf.SymbolicTensor;
    y = tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same' }).apply(y) as tf.SymbolicTensor;
    x = tf.layers.add().apply([y, x]) as tf.SymbolicTensor;
  }
  return tf.model({ inputs: input, outputs: x });
}
`;
    assert.throws(() => buildText(loop, 'resnet20'), /Operands could not be broadcast/);
    // tfjs counts: each iteration's operands, the failing add replaced by its branch so the loop goes on.
    const seen = '(globalThis as unknown as { seen: string[] }).seen';
    const probed = loop.replace('    x = tf.layers.add().apply([y, x]) as tf.SymbolicTensor;',
      `    const same = y.shape.join() === x.shape.join();\n    ${seen}.push(same ? 'ok' : 'bad');\n    x = same ? tf.layers.add().apply([y, x]) as tf.SymbolicTensor : y;`);
    (globalThis as unknown as { seen: string[] }).seen = [];
    buildText(probed, 'resnet20');
    const runs = (globalThis as unknown as { seen: string[] }).seen;
    assert.equal(runs.length, 9);
    const bad = runs.filter((r) => r === 'bad').length;
    assert.equal(bad, 1);
    const [f] = findingsOf(loop);
    assert.ok(f.message.endsWith(` This happens in ${bad} of ${runs.length} iterations of the loop at line ${lineOf(loop, 'for (let i') + 1}.`), f.message);
    assert.doesNotMatch(f.message, /calls of/);
  });

  describe('"N parameters are wasted" sums the biases of every layer the line creates', () => {
    /** The bias sizes of the model's Conv2D layers, as tfjs builds them. */
    const biases = (model: tf.LayersModel) => model.layers.filter((l) => l.getClassName() === 'Conv2D').map((l) => l.getWeights()[1].size);

    it('over the iterations of a loop', () => {
      const loop = `${head}
export function stages(): tf.LayersModel {
  const input = tf.input({ shape: [32, 32, 3] });
  let x = input as tf.SymbolicTensor;
  for (const filters of [16, 32, 64]) {
    x = tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same' }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.batchNormalization().apply(x) as tf.SymbolicTensor;
  }
  return tf.model({ inputs: input, outputs: x });
}
`;
      const sizes = biases(buildText(loop, 'stages'));
      assert.equal(sizes.length, 3);
      const [f] = findingsOf(loop);
      assert.equal(f.rule, 'bias-before-batchnorm');
      assert.match(f.message, new RegExp(` ${sizes.reduce((a, b) => a + b)} parameters are wasted, summed over the 3 layers this line creates\\. `));
    });

    it('over the calls of a helper (which is also analysed on its own, with its parameters as symbols)', () => {
      const helper = `${head}
function convBn(x: tf.SymbolicTensor, filters: number): tf.SymbolicTensor {
  const y = tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same' }).apply(x) as tf.SymbolicTensor;
  return tf.layers.batchNormalization().apply(y) as tf.SymbolicTensor;
}

export function net(): tf.LayersModel {
  const input = tf.input({ shape: [16, 16, 3] });
  const out = convBn(convBn(convBn(input, 8), 24), 40);
  return tf.model({ inputs: input, outputs: out });
}
`;
      const sizes = biases(buildText(helper, 'net'));
      assert.deepEqual(sizes, [8, 24, 40]);
      const [f] = findingsOf(helper);
      assert.equal(f.rule, 'bias-before-batchnorm');
      assert.match(f.message, new RegExp(` ${sizes.reduce((a, b) => a + b)} parameters are wasted, summed over the 3 layers this line creates\\. `));
      // A single call: the count of that one layer.
      const once = helper.replace('convBn(convBn(convBn(input, 8), 24), 40)', 'convBn(input, 24)');
      assert.match(findingsOf(once)[0].message, / 24 parameters are wasted\. Set useBias: false\.$/);
      assert.deepEqual(biases(buildText(once, 'net')), [24]);
    });
  });
});
