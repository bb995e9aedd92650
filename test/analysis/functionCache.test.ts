// Functions reused across analyses (analysis/functionCache.ts): after each edit, an analysis that takes
// unchanged functions from the cache must give exactly what a from-scratch analysis of the same text gives
// (findings with their fixes, contracts, sites for hovers, notes), and must really have reused something
// where the edit left functions untouched.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyze, type AnalysisCache, type AnalysisResult } from '../../server/src/analysis';
import { FIXTURES_DIR } from '../support/fixtureFiles';

const FILE = path.join(FIXTURES_DIR, 'robustness', 'function-cache.ts');

const BASE = `import * as tf from '@tensorflow/tfjs';

const WIDTH = 16;

function convBn(x: tf.SymbolicTensor, filters: number, strides = 1): tf.SymbolicTensor {
  const y = tf.layers.conv2d({ filters, kernelSize: 3, strides, padding: 'same', useBias: false }).apply(x) as tf.SymbolicTensor;
  return tf.layers.batchNormalization().apply(y) as tf.SymbolicTensor;
}

export function block(x: tf.SymbolicTensor, filters: number): tf.SymbolicTensor {
  const y = convBn(convBn(x, filters), filters);
  return tf.layers.add().apply([x, y]) as tf.SymbolicTensor;
}

export function wide(x: tf.SymbolicTensor): tf.SymbolicTensor {
  const y = tf.layers.conv2d({ filters: WIDTH, kernelSize: 1 }).apply(x) as tf.SymbolicTensor;
  return tf.layers.add().apply([x, y]) as tf.SymbolicTensor;
}

export function stem(x: tf.SymbolicTensor): tf.SymbolicTensor {
  // the shortcut keeps the input size
  const y = tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same' }).apply(x) as tf.SymbolicTensor;
  return tf.layers.add().apply([x, y]) as tf.SymbolicTensor;
}

export class Head {
  constructor(private readonly units: number) {}
  apply(x: tf.SymbolicTensor): tf.SymbolicTensor {
    const p = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
    return tf.layers.dense({ units: this.units }).apply(p) as tf.SymbolicTensor;
  }
}

export function build(inputShape: number[]): tf.LayersModel {
  const input = tf.input({ shape: inputShape });
  const x = block(convBn(input, 16), 16);
  return tf.model({ inputs: input, outputs: new Head(10).apply(x) });
}
`;

/** JSON as hosts see it. */
const plain = (r: AnalysisResult): unknown => JSON.parse(JSON.stringify(r));

/** Analyses `text` through `cache` and from scratch; they must agree. Returns the cached result. */
function same(cache: AnalysisCache, text: string): AnalysisResult {
  const cached = analyze(FILE, text, undefined, { cache });
  const scratch = analyze(FILE, text, undefined, {});
  assert.deepEqual(plain(cached), plain(scratch));
  return cached;
}

function edited(text: string, from: string, to: string): string {
  assert.ok(text.includes(from), `the edit applies: ${from}`);
  return text.replace(from, to);
}

describe('function cache: reused functions give what a from-scratch analysis gives', function () {
  this.timeout(60_000);

  it('the base file has findings, contracts and symbolic sites to compare', () => {
    const r = same({}, BASE);
    assert.deepEqual(r.findings.map((f) => `${f.rule}@${f.range.start.line + 1}`), ['residual-shape-mismatch@23']);
    assert.deepEqual(r.contracts?.map((c) => c.function), ['block', 'wide']);
    assert.ok(r.sites.filter((s) => s.symbolicShapes?.length).length > 10);
  });

  it('typing inside one function re-runs only the functions that share code with it', () => {
    const cache: AnalysisCache = {};
    same(cache, BASE);
    let text = BASE;
    for (const ch of ' and the channels') {
      text = edited(text, 'keeps the input size', `keeps the input size${ch}`);
      same(cache, text);
      // block, wide, new Head, Head.apply, build, convBn: all but stem.
      assert.equal(cache.reused, 6);
    }
    // The edit that fixes the finding: same as from scratch, and the rest still reused.
    const fixed = same(cache, edited(text, 'strides: 2, padding', 'strides: 1, padding'));
    assert.deepEqual(fixed.findings, []);
    assert.equal(cache.reused, 6);
  });

  it('a module-level constant a function reads: nothing reused, results as from scratch', () => {
    const cache: AnalysisCache = {};
    const before = same(cache, BASE);
    const after = same(cache, edited(BASE, 'const WIDTH = 16;', 'const WIDTH = 24;'));
    assert.equal(cache.reused, 0);
    assert.notDeepEqual(after.contracts, before.contracts, 'the contract of wide follows the constant');
  });

  it('a callee whose contract changes: its callers run again with it', () => {
    const cache: AnalysisCache = {};
    const before = same(cache, BASE);
    // convBn now always keeps 8 channels: block's merge needs x to have 8, whatever filters is.
    const after = same(cache, edited(BASE, 'tf.layers.conv2d({ filters, kernelSize: 3, strides,', 'tf.layers.conv2d({ filters: 8, kernelSize: 3, strides,'));
    assert.notDeepEqual(after.contracts?.find((c) => c.function === 'block'), before.contracts?.find((c) => c.function === 'block'));
    // Only wide and stem share no code with convBn (build runs it and Head).
    assert.equal(cache.reused, 2);
  });

  it('renaming a function (and its callers losing it): as from scratch', () => {
    const cache: AnalysisCache = {};
    same(cache, BASE);
    let text = BASE;
    for (const name of ['stem2', 'stem23', 'stemX']) {
      text = text.replace(/function stem\w*\(/, `function ${name}(`);
      same(cache, text);
    }
    same(cache, edited(BASE, 'function convBn(', 'function convBnX('));
    same(cache, BASE);
  });

  it('an edit that adds or removes lines: what moved runs again, ranges as from scratch', () => {
    const cache: AnalysisCache = {};
    same(cache, BASE);
    const longer = edited(BASE, '  const y = convBn(convBn(x, filters), filters);\n', '  const y = convBn(convBn(x, filters), filters);\n\n');
    const r = same(cache, longer);
    assert.deepEqual(r.findings.map((f) => f.range.start.line + 1), [24]);
    same(cache, BASE);
  });

  it('a function that changes module state turns the cache off for the file', () => {
    const cache: AnalysisCache = {};
    const text = `${BASE}
const seen: tf.SymbolicTensor[] = [];
export function remember(x: tf.SymbolicTensor): void { seen.push(x); }
export function grows(x: tf.SymbolicTensor): tf.SymbolicTensor {
  const y = tf.layers.conv2d({ filters: seen.length + 3, kernelSize: 1 }).apply(x) as tf.SymbolicTensor;
  return tf.layers.add().apply([x, y]) as tf.SymbolicTensor;
}
`;
    same(cache, text);
    same(cache, edited(text, '{ seen.push(x); }', '{ seen.push(x); seen.push(x); }'));
    assert.equal(cache.reused, 0);
  });

  it('a helper the concrete entry point also runs is re-run with it', () => {
    const cache: AnalysisCache = {};
    const text = `${BASE}
export function model(): tf.LayersModel {
  const input = tf.input({ shape: [32, 32, 16] });
  return tf.model({ inputs: input, outputs: block(input, 16) });
}
`;
    same(cache, text);
    const r = same(cache, edited(text, 'outputs: block(input, 16)', 'outputs: block(input, 32)'));
    assert.ok(r.findings.some((f) => f.rule === 'residual-shape-mismatch' && f.range.start.line + 1 === 12), JSON.stringify(r.findings.map((f) => f.range)));
    same(cache, edited(text, 'const y = convBn(convBn(x, filters), filters);', 'const y = convBn(x, filters);'));
  });
});

describe('function cache: nested helpers', function () {
  this.timeout(60_000);
  it('a function declared inside another (analysed as its own entry) stays as from scratch', () => {
    const cache: AnalysisCache = {};
    const text = `${BASE}
export function builder(filters: number) {
  function inner(x: tf.SymbolicTensor): tf.SymbolicTensor {
    const y = tf.layers.conv2d({ filters, kernelSize: 3, strides: 2, padding: 'same' }).apply(x) as tf.SymbolicTensor;
    return tf.layers.add().apply([x, y]) as tf.SymbolicTensor;
  }
  return filters;
}
`;
    const r = same(cache, text);
    assert.ok(r.findings.length >= 2, 'the nested helper has its own finding');
    same(cache, edited(text, 'keeps the input size', 'keeps the input size!'));
    same(cache, edited(text, 'strides: 2, padding: \'same\' }).apply(x) as tf.SymbolicTensor;\n    return', 'strides: 1, padding: \'same\' }).apply(x) as tf.SymbolicTensor;\n    return'));
  });
});
