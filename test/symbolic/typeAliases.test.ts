// Tensor parameters typed with an alias (`type T = tf.SymbolicTensor`, here or imported, or tfjs's type
// under another name) are analysed as tensors. Ground truth: each helper built by real tfjs on several inputs.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { analyze } from '../../server/src/analysis';
import { createModuleScope } from '../support/fixtureModules';

const FILE = path.join(__dirname, 'fixtures', 'aliases', 'blocks.ts');
const SHAPES = [[8, 8, 16], [9, 7, 4], [16, 16, 32]];

describe('symbolic analysis: tensor parameters typed with aliases', function () {
  this.timeout(60_000);
  const text = fs.readFileSync(FILE, 'utf8');
  const result = analyze(FILE, text, { readFile: (p) => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined) });
  const helpers = createModuleScope(tf).load(FILE).exports as Record<string, (x: tf.SymbolicTensor, filters?: number) => unknown>;
  const builds = (name: string, shape: number[], filters: number) => {
    try { helpers[name](tf.input({ shape }), filters); return true; } catch { return false; }
  };
  const findingsIn = (name: string) => {
    const lines = text.split('\n');
    const from = lines.findIndex((l) => l.startsWith(`export function ${name}(`));
    const to = lines.indexOf('}', from);
    return result.findings.filter((f) => f.rule === 'residual-shape-mismatch' && f.range.start.line > from && f.range.start.line < to);
  };

  for (const name of ['shrinkLocal', 'shrinkImported', 'shrinkRenamed', 'shrinkNested']) {
    it(`${name}: a finding for every input size, and tfjs refuses every one`, () => {
      const found = findingsIn(name);
      assert.equal(found.length, 1, JSON.stringify(result.findings.map((f) => f.message)));
      assert.match(found[0].message, /for every value of x\.shape\[1\], x\.shape\[2\]/);
      for (const shape of SHAPES) for (const filters of [4, shape[2]]) assert.equal(builds(name, shape, filters), false, `${name}(${shape}, ${filters})`);
    });
  }

  it('a clean helper stays quiet, and tfjs builds it', () => {
    assert.deepEqual(findingsIn('clean'), []);
    for (const shape of SHAPES) assert.equal(builds('clean', shape, 0), true);
  });
});
