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

  it('says nothing of the kind when a candidate works (the same file with one merge)', () => {
    const one = text.replace('const second = tf.layers.add().apply([a, c]) as tf.SymbolicTensor;', 'const second = c;');
    const [f] = analyze(file, one).findings.filter((x) => x.rule === 'residual-shape-mismatch');
    assert.equal(f.fixes.length, 1);
    assert.doesNotMatch(f.message, /No verified fix/);
    assert.equal(buildText(applyEdits(one, f.fixes[0].edits), 'twoMerges').outputs.length, 2);
  });
});
