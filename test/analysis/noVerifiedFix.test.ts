// When every fix candidate of a finding fails its re-analysis, the finding offers none and its message says
// so and why, after the first sentence. tfjs confirms the candidate really was wrong.
import assert from 'node:assert/strict';
import { analyze, applyEdits } from '../../server/src/analysis';
import { buildText, fixture } from '../lsp/expected';

const firstSentence = (m: string) => m.slice(0, m.search(/[.](\s|$)/) + 1);

describe('no verified fix: said in the message instead of a wrong fix', () => {
  const { file, text } = fixture('noVerifiedFix.ts');

  it('drops the padding candidate that breaks the second merge (tfjs rejects both the file and the candidate)', function () {
    this.timeout(30_000);
    const unverified = analyze(file, text, undefined, { verify: false }).findings;
    const verified = analyze(file, text).findings;
    assert.deepEqual(verified.map((f) => f.rule), ['missing-same-padding', 'residual-shape-mismatch']);
    assert.throws(() => buildText(text, 'twoMerges'), /could not be broadcast together with shapes \[30,30,8\] \[32,32,8\]/);
    for (const [i, f] of verified.entries()) {
      const candidates = unverified[i].fixes;
      assert.deepEqual(candidates.map((c) => c.title), ["Set padding: 'same' on line 6"], `${f.rule} had a candidate`);
      // The candidate fixes the first add, and tfjs then fails on the second.
      assert.throws(() => buildText(applyEdits(text, candidates[0].edits), 'twoMerges'), /could not be broadcast together with shapes \[32,32,8\] \[30,30,8\]/);
      assert.deepEqual(f.fixes, [], `${f.rule}: nothing offered`);
      assert.equal(firstSentence(f.message), firstSentence(unverified[i].message), 'the first sentence stands as it was');
      assert.ok(f.message.startsWith(unverified[i].message), 'the detail is added at the end');
    }
    const [padding, merge] = verified.map((f) => f.message.slice(unverified[verified.indexOf(f)].message.length));
    assert.equal(padding, ` No verified fix is available: "Set padding: 'same' on line 6" leaves a merge mismatched (add cannot combine [null,32,32,8] and [null,30,30,8]: shapes differ (branch vs shortcut)).`);
    assert.equal(merge, ` No verified fix is available: "Set padding: 'same' on line 6" leads to another error (add cannot combine [null,32,32,8] and [null,30,30,8]: shapes differ (branch vs shortcut)).`);
  });

  it('keeps the fix of each of two identical findings (fixing one leaves the other, which is no failure)', function () {
    this.timeout(30_000);
    const block = (n: number) => `
  const y${n} = tf.layers.conv2d({ filters: 16, kernelSize: 3, strides: 2, padding: 'same' }).apply(input) as tf.SymbolicTensor;
  const out${n} = tf.layers.add().apply([y${n}, input]) as tf.SymbolicTensor;`;
    const twice = `import * as tf from '@tensorflow/tfjs';

export function twin(): tf.LayersModel {
  const input = tf.input({ shape: [16, 16, 16] });${block(1)}${block(2)}
  return tf.model({ inputs: input, outputs: [out1, out2] });
}
`;
    const found = analyze(file, twice).findings;
    assert.equal(found.length, 2);
    assert.equal(firstSentence(found[0].message), firstSentence(found[1].message), 'the same message twice');
    for (const f of found) {
      assert.equal(f.fixes.length, 1, f.message);
      assert.doesNotMatch(f.message, /No verified fix/);
    }
    // One at a time, as fix-all does: the second is re-analysed after the first (its name then differs).
    let fixed = applyEdits(twice, found[0].fixes[0].edits);
    const [rest] = analyze(file, fixed).findings;
    assert.equal(rest.fixes.length, 1);
    fixed = applyEdits(fixed, rest.fixes[0].edits);
    assert.deepEqual(analyze(file, fixed).findings, []);
    assert.deepEqual(buildText(fixed, 'twin').outputs.map((o) => o.shape), [[null, 8, 8, 16], [null, 8, 8, 16]]);
  });

  it('a candidate that leaves the same problem is said to (a projection on a three-way merge)', () => {
    const three = `import * as tf from '@tensorflow/tfjs';

export function threeWay(): tf.LayersModel {
  const input = tf.input({ shape: [16, 16, 8] });
  const a = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same' }).apply(input) as tf.SymbolicTensor;
  const b = tf.layers.conv2d({ filters: 8, kernelSize: 5, padding: 'same' }).apply(input) as tf.SymbolicTensor;
  const c = tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same' }).apply(input) as tf.SymbolicTensor;
  const sum = tf.layers.add().apply([a, b, c]) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: sum });
}
`;
    const [candidate] = analyze(file, three, undefined, { verify: false }).findings[0].fixes;
    assert.throws(() => buildText(applyEdits(three, candidate.edits), 'threeWay'), /could not be broadcast/, 'tfjs: the candidate does not fix it');
    const [f] = analyze(file, three).findings;
    assert.deepEqual(f.fixes, []);
    assert.ok(f.message.endsWith(` No verified fix is available: "${candidate.title}" leaves the problem as it is.`), f.message);
  });

  it('says nothing of the kind when a candidate works (the same file with one merge)', () => {
    const one = text.replace('const second = tf.layers.add().apply([a, c]) as tf.SymbolicTensor;', 'const second = c;');
    const [f] = analyze(file, one).findings.filter((x) => x.rule === 'residual-shape-mismatch');
    assert.equal(f.fixes.length, 1);
    assert.doesNotMatch(f.message, /No verified fix/);
    assert.equal(buildText(applyEdits(one, f.fixes[0].edits), 'twoMerges').outputs.length, 2);
  });
});
