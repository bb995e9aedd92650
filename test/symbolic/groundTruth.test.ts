// Functions analysed as written (no caller, parameters as symbols) against real tfjs: every helper of
// test/symbolic/fixtures/helpers.ts is instantiated with several concrete argument sets. A symbolic finding
// must fail in tfjs for every set; a clean helper must build for every set; a contract must predict tfjs's
// verdict on sets that meet it and sets that violate it.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { analyze, type AnalysisResult, type ContractInfo } from '../../server/src/analysis';
import { createModuleScope } from '../support/fixtureModules';
import { substitute } from '../../server/src/analysis/symbolic/expr';

const FILE = path.join(__dirname, 'fixtures', 'helpers.ts');

type Args = { shape: number[]; values: Record<string, number>; call(h: Record<string, any>, x: tf.SymbolicTensor): unknown };
type Expect = 'finding' | 'clean' | 'contract';

const IMAGES = [[8, 8, 16], [9, 9, 16], [16, 16, 32], [7, 5, 8]];
const img = (s: number[]) => ({ 'x.shape[1]': s[0], 'x.shape[2]': s[1], 'x.shape[3]': s[2] });
const sets = (extra: Record<string, number[]>, call: (h: Record<string, any>, x: tf.SymbolicTensor, v: Record<string, number>) => unknown, shapes = IMAGES): Args[] => {
  let combos: Record<string, number>[] = [{}];
  for (const [k, vs] of Object.entries(extra)) combos = combos.flatMap((c) => vs.map((v) => ({ ...c, [k]: v })));
  return shapes.flatMap((shape) => combos.map((c) => ({
    shape, values: { ...(shape.length === 3 ? img(shape) : { 'x.shape[1]': shape[0] }), ...c }, call: (h, x) => call(h, x, c),
  })));
};

const CASES: Record<string, { expect: Expect; args: Args[] }> = {
  down: { expect: 'finding', args: sets({ filters: [8, 16, 32] }, (h, x, v) => h.down(x, v.filters)) },
  shrink: { expect: 'finding', args: sets({ filters: [8, 16] }, (h, x, v) => h.shrink(x, v.filters)) },
  basic: { expect: 'clean', args: sets({ filters: [8, 16, 32], strides: [1, 2, 3] }, (h, x, v) => h.basic(x, v.filters, v.strides)) },
  unguarded: { expect: 'contract', args: sets({ filters: [8, 16, 32], strides: [1, 2] }, (h, x, v) => h.unguarded(x, v.filters, v.strides)) },
  sameWidth: { expect: 'clean', args: sets({}, (h, x) => h.sameWidth(x)) },
  ternary: { expect: 'clean', args: sets({ filters: [8, 16, 32] }, (h, x, v) => h.ternary(x, v.filters)) },
  bottleneck: { expect: 'clean', args: sets({ width: [2, 4, 8], strides: [1, 2] }, (h, x, v) => h.bottleneck(x, v.width, v.strides)) },
  denseLayer: { expect: 'clean', args: sets({ growth: [4, 12] }, (h, x, v) => h.denseLayer(x, v.growth)) },
  preact: { expect: 'contract', args: sets({ filters: [8, 16], strides: [1, 2] }, (h, x, v) => h.preact(x, { filters: v.filters, strides: v.strides })) },
  mlpBlock: { expect: 'clean', args: sets({ units: [16, 32] }, (h, x, v) => h.mlpBlock(x, v.units), [[16], [32], [5]]) },
  'Stage.block': { expect: 'contract', args: sets({ 'this.filters': [8, 16] }, (h, x, v) => new h.Stage(v['this.filters']).block(x)) },
};

function tfjsBuilds(a: Args, helpers: Record<string, any>): boolean {
  const x = tf.input({ shape: a.shape });
  try { a.call(helpers, x); return true; } catch { return false; }
}

/** What a contract predicts for concrete values: every condition holds (conditions under `when` when it does). */
function contractHolds(c: ContractInfo, values: Record<string, number>): boolean {
  const env = new Map(Object.entries(values));
  const holds = (text: string): boolean => {
    const conj = text.split(' && ');
    return conj.every((part) => {
      const neg = part.includes(' != ');
      const [l, r] = part.split(neg ? ' != ' : ' == ');
      const a = substitute(l.trim(), env);
      const b = substitute(r.trim(), env);
      assert.ok(typeof a === 'number' && typeof b === 'number', `condition ${part} is not decided by ${JSON.stringify(values)}`);
      return (a === b) !== neg;
    });
  };
  return c.requires.every((q) => (q.when && !holds(q.when)) || holds(q.text));
}

describe('symbolic analysis: helpers as written vs tfjs', function () {
  this.timeout(120_000);
  let result: AnalysisResult;
  let helpers: Record<string, any>;
  before(() => {
    result = analyze(FILE, fs.readFileSync(FILE, 'utf8'), { readFile: (p) => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined) });
    helpers = createModuleScope(tf).load(FILE).exports as Record<string, any>;
  });

  const lineRangeOf = (name: string): [number, number] => {
    const lines = fs.readFileSync(FILE, 'utf8').split('\n');
    const short = name.split('.').pop()!;
    const start = lines.findIndex((l) => new RegExp(`^(export )?(function|class) ${name.split('.')[0]}\\b`).test(l));
    let end = start;
    while (end < lines.length && lines[end] !== '}') end++;
    assert.ok(start >= 0 && short, name);
    return [start, end];
  };

  for (const [name, c] of Object.entries(CASES)) {
    it(`${name}: ${c.expect}`, () => {
      const [from, to] = lineRangeOf(name);
      const findings = result.findings.filter((f) => f.range.start.line >= from && f.range.start.line <= to && f.rule === 'residual-shape-mismatch');
      const contract = result.contracts?.find((k) => k.function === name);
      const verdicts = c.args.map((a) => tfjsBuilds(a, helpers));
      if (c.expect === 'finding') {
        assert.equal(findings.length, 1, `one finding in ${name}: ${JSON.stringify(result.findings.map((f) => f.message))}`);
        assert.equal(findings[0].symbolic, true);
        assert.match(findings[0].message, /for every value of x\.shape\[1\], x\.shape\[2\]/);
        assert.deepEqual(verdicts.filter(Boolean), [], 'tfjs must refuse every argument set');
      } else if (c.expect === 'clean') {
        assert.deepEqual(findings.map((f) => f.message), []);
        assert.equal(contract, undefined, `no contract for ${name}: ${JSON.stringify(contract)}`);
        assert.ok(verdicts.every(Boolean), `tfjs must build every argument set: ${JSON.stringify(c.args.filter((_, i) => !verdicts[i]).map((a) => a.values))}`);
      } else {
        assert.deepEqual(findings.map((f) => f.message), []);
        assert.ok(contract, `a contract for ${name}`);
        const predicted = c.args.map((a) => contractHolds(contract, a.values));
        assert.ok(predicted.some(Boolean) && predicted.some((p) => !p), 'argument sets meet and violate the contract');
        c.args.forEach((a, i) => assert.equal(verdicts[i], predicted[i], `${JSON.stringify(a.values)}: tfjs ${verdicts[i] ? 'builds' : 'refuses'}, contract ${JSON.stringify(contract.requires.map((q) => q.text))}`));
      }
    });
  }
});

describe('dynamic dims: a None-sized input is checked with symbols', function () {
  this.timeout(120_000);
  const DYN = path.join(__dirname, 'fixtures', 'dynamic.ts');
  const SIZES = [[8, 8], [9, 7], [16, 16]];
  const predicts = (build: () => tf.LayersModel, [h, w]: number[]): boolean => {
    const model = build();
    try { tf.tidy(() => { model.predict(tf.zeros([1, h, w, 3])); }); return true; } catch { return false; } finally { model.dispose(); }
  };

  it('a stride-2 branch added to the identity: an error before predict, as tfjs shows on every size', () => {
    const r = analyze(DYN, fs.readFileSync(DYN, 'utf8'), { readFile: () => undefined }, { verify: false });
    const helpers = createModuleScope(tf).load(DYN).exports as Record<string, () => tf.LayersModel>;
    const bad = r.findings.filter((f) => f.rule === 'residual-shape-mismatch');
    assert.equal(bad.length, 1, JSON.stringify(r.findings.map((f) => f.message)));
    assert.equal(bad[0].range.start.line, 7);
    assert.match(bad[0].message, /None sizes of the input at line 5/);
    // tfjs itself builds both models; predict fails on every size for the broken one only.
    for (const size of SIZES) {
      assert.equal(predicts(helpers.dynamicModel, size), false, `predict ${size} should fail`);
      assert.equal(predicts(helpers.dynamicClean, size), true, `predict ${size} should work`);
    }
    // Shapes shown to hosts keep tfjs's null.
    const m = r.models.find((x) => x.name === 'dynamicModel')!;
    assert.deepEqual(m.inputShapes, [[null, null, null, 3]]);
    assert.ok(m.layers.every((l) => JSON.stringify(l.outputShape).match(/^[\[\],\d null]*$/)), JSON.stringify(m.layers.map((l) => l.outputShape)));
  });
});
