// Language coverage of the symbolic interpreter: one small program per JS/TS construct people use to build
// tfjs models (test/fixtures/robustness/constructs/), each built with the real tfjs as well and compared
// model by model, layer by layer. Then the "unknown" semantics: values the analyzer cannot know must give
// unknown dims or skipped code, and never a finding.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyze, type AnalysisResult, type ModelInfo, type Shape, type SiteInfo } from '../../server/src/analysis';
import { buildWithTfjs, type GroundTruthModel } from '../support/groundTruth';
import { FIXTURES_DIR } from '../support/fixtureFiles';
import { diskHost } from '../../server/src/cli/files';
import { VIRTUAL, runInNode, sizeFrom } from '../support/jsProbe';

const CONSTRUCTS = path.join(FIXTURES_DIR, 'robustness', 'constructs');

/** Entry files (lib/ only holds what they import). */
const constructFiles = () => fs.readdirSync(CONSTRUCTS).filter((f) => /\.(ts|js)$/.test(f) && !f.startsWith('.')).sort();

/**
 * Layer classes the analyzer must report as unknown (shape with unknown dims or unknown parameter count)
 * because they depend on something it cannot evaluate; every other layer must match tfjs exactly.
 */
const UNKNOWN_BY_DESIGN: Record<string, string[]> = {
  'custom-layer-complex.ts': ['FlattenSpatial', 'Dense', 'Add'],
};

/**
 * The ground-truth loader resolves './x' to x.ts but not the ESM habit './x.js' -> x.ts, so tfjs builds a
 * copy with the '.js' dropped; the analyzer reads the original.
 */
const TFJS_COPY: Record<string, (text: string) => string> = {
  'js-specifier.ts': (text) => text.replace(/(from '\.[^']*)\.js'/g, "$1'"),
};

type AnyShape = Shape | Shape[] | null;
const show = (s: AnyShape) => JSON.stringify(s ?? null);
const entry = (l: { className: string; outputShape: AnyShape; paramCount: number | null }) => `${l.className} ${show(l.outputShape)} ${l.paramCount}`;

/** Order-free description of a model: tfjs lists layers by depth, the analyzer by creation. */
function describe_(m: ModelInfo | GroundTruthModel) {
  return {
    kind: m.kind,
    inputShapes: m.inputShapes.map(show),
    outputShapes: m.outputShapes.map(show),
    layers: m.layers.map(entry).sort(),
    paramCount: m.paramCount,
  };
}

/** Our dims may be unknown (null in JSON); a number we give must be the number tfjs gives. */
function shapeAgrees(ours: AnyShape, truth: AnyShape): boolean {
  if (ours === null) return true;
  if (truth === null || ours.length !== truth.length) return false;
  return ours.every((d, i) => (Array.isArray(d) ? shapeAgrees(d, truth[i] as Shape) : d === null || d === truth[i]));
}

function compareNeverWrong(ours: ModelInfo, truth: GroundTruthModel, unknownClasses: string[], where: string): void {
  assert.equal(ours.layers.length, truth.layers.length, `${where}: layer count`);
  const pool = [...truth.layers];
  for (const l of ours.layers) {
    const i = pool.findIndex((t) => t.className === l.className && shapeAgrees(l.outputShape, t.outputShape) &&
      (l.paramCount === null || l.paramCount === t.paramCount));
    assert.ok(i >= 0, `${where}: ${entry(l)} contradicts every tfjs layer (${truth.layers.map(entry).join(', ')})`);
    const known = l.paramCount !== null && shapeAgrees(pool[i].outputShape, l.outputShape);
    if (unknownClasses.includes(l.className)) assert.ok(!known, `${where}: ${entry(l)} should be unknown`);
    else assert.equal(entry(l), entry(pool[i]), `${where}: only ${unknownClasses.join(', ')} may be unknown`);
    pool.splice(i, 1);
  }
  assert.ok(ours.paramCount === null || ours.paramCount === truth.paramCount, `${where}: parameter count`);
}

function assertMatchesTfjs(result: AnalysisResult, truth: GroundTruthModel[], file: string): void {
  const name = path.basename(file);
  assert.deepEqual(result.notes.filter((n) => n.startsWith('internal error')), [], 'no analyzer defect');
  assert.ok(truth.length > 0, 'the construct builds at least one model with tfjs');
  assert.equal(result.models.length, truth.length, `models: ours ${result.models.map((m) => m.name)} vs tfjs ${truth.map((m) => m.name)}; notes: ${result.notes}`);
  result.models.forEach((m, i) => {
    const where = `${name} model #${i + 1} (${m.name})`;
    const unknownClasses = UNKNOWN_BY_DESIGN[name];
    if (unknownClasses) compareNeverWrong(m, truth[i], unknownClasses, where);
    else assert.deepEqual(describe_(m), describe_(truth[i]), where);
  });
  assert.deepEqual(result.findings.map((f) => `${f.rule}@${f.range.start.line + 1}: ${f.message}`), [], 'a correct model has no findings');
}

async function groundTruthFor(file: string): Promise<GroundTruthModel[]> {
  const rewrite = TFJS_COPY[path.basename(file)];
  if (!rewrite) return buildWithTfjs(file);
  const copy = path.join(path.dirname(file), `.tfjs-${path.basename(file)}`);
  fs.writeFileSync(copy, rewrite(fs.readFileSync(file, 'utf8')));
  try { return await buildWithTfjs(copy); } finally { fs.rmSync(copy, { force: true }); }
}

describe('interpreter: language constructs vs real tfjs', function () {
  this.timeout(120_000);

  for (const name of constructFiles()) {
    it(`follows ${name} as tfjs runs it`, async () => {
      const file = path.join(CONSTRUCTS, name);
      const result = analyze(file, fs.readFileSync(file, 'utf8'), diskHost);
      assertMatchesTfjs(result, await groundTruthFor(file), file);
    });
  }

  it('reports exported zero-argument builders as entries, an anonymous default export included', () => {
    const entries = (name: string) => {
      const file = path.join(CONSTRUCTS, name);
      return analyze(file, fs.readFileSync(file, 'utf8'), diskHost).entries.map((e) => `${e.name}@${e.range.start.line + 1}:${e.range.start.character}`);
    };
    assert.deepEqual(entries('export-default-function.ts'), ['default@4:7']);
    assert.deepEqual(entries('export-const-arrow.ts'), ['build@4:13']);
    assert.deepEqual(entries('async-builder.ts'), ['buildAsync@8:22']);
    assert.deepEqual(entries('cross-file.ts'), ['crossFile@7:9'], 'a local export points at the function it renames');
  });

  describe('CRLF line endings', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'skipcheck-crlf-'));
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    for (const name of ['class-builder.ts', 'destructuring.ts', 'switch.ts']) {
      it(`gives ${name} with CRLF the same models as tfjs and the same positions as with LF`, async () => {
        const lf = fs.readFileSync(path.join(CONSTRUCTS, name), 'utf8');
        assert.ok(!lf.includes('\r'), 'the fixture itself uses LF');
        const file = path.join(tmp, name);
        fs.writeFileSync(file, lf.replace(/\n/g, '\r\n'));
        const crlf = analyze(file, fs.readFileSync(file, 'utf8'), diskHost);
        assertMatchesTfjs(crlf, await buildWithTfjs(file), file);
        const plain = analyze(file, lf, diskHost);
        const where = (r: AnalysisResult) => [...r.models.flatMap((m) => [m.range, ...m.layers.map((l) => l.range)]), ...r.sites.map((s) => s.range)];
        assert.deepEqual(where(crlf), where(plain));
      });
    }
  });
});

// ------------------------------------------------------------------------------------------- unknowns


/** A program text and its analysis; `line(snippet)` is the 0-based line where the snippet first occurs. */
function analyzeText(body: string): AnalysisResult & { line(snippet: string): number } {
  const text = `import * as tf from '@tensorflow/tfjs';\n${body}`;
  const line = (snippet: string) => {
    const at = text.indexOf(snippet);
    assert.ok(at >= 0, `snippet ${snippet} not in the program`);
    return text.slice(0, at).split('\n').length - 1;
  };
  return { ...analyze(VIRTUAL, text, { readFile: () => undefined }), line };
}

/** Shapes seen at the apply (or other site kind) on a line. */
function shapesAtLine(r: AnalysisResult, line: number, kind: SiteInfo['kind'] = 'apply'): Shape[] {
  const site = r.sites.find((s) => s.kind === kind && s.range.start.line === line);
  assert.ok(site, `no ${kind} site on line ${line}: ${r.sites.map((s) => `${s.kind}@${s.range.start.line}`)}`);
  return site.shapes;
}

function assertQuiet(r: AnalysisResult): void {
  assert.deepEqual(r.findings.map((f) => `${f.rule}@${f.range.start.line}: ${f.message}`), [], 'unknown values never raise findings');
  assert.deepEqual(r.notes.filter((n) => n.startsWith('internal error')), []);
}

describe('interpreter: what it cannot know stays unknown and quiet', () => {
  // Each program would be a broken residual block if the unknown value took the "wrong" value.
  it('strides from process.env feeding an add', () => {
    const r = analyzeText(`
export function build() {
  const strides = Number(process.env.STRIDES ?? '2');
  const x = tf.input({ shape: [32, 32, 16] });
  const y = tf.layers.conv2d({ filters: 16, kernelSize: 3, strides, padding: 'same' }).apply(x) as tf.SymbolicTensor;
  const sum = tf.layers.add().apply([x, y]) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: sum });
}`);
    assertQuiet(r);
    assert.deepEqual(shapesAtLine(r, r.line('const y =')), [[null, null, null, 16]], 'spatial dims unknown, channels known');
    assert.equal(r.models.length, 1);
  });

  it('filters read from a JSON file', () => {
    const r = analyzeText(`
import * as fs from 'node:fs';
const cfg = JSON.parse(fs.readFileSync('model.json', 'utf8'));
export function build() {
  const x = tf.input({ shape: [8, 8, 4] });
  const y = tf.layers.conv2d({ filters: cfg.filters, kernelSize: 1 }).apply(x) as tf.SymbolicTensor;
  const sum = tf.layers.add().apply([x, y]) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: sum });
}`);
    assertQuiet(r);
    assert.deepEqual(shapesAtLine(r, r.line('const y =')), [[null, 8, 8, null]]);
    assert.equal(r.models[0].paramCount, null, 'parameters depend on the unknown filters');
  });

  it('a parameter whose argument comes from an unresolved package', () => {
    const r = analyzeText(`
import { widthFor } from 'my-private-config';
function block(x: tf.SymbolicTensor, filters: number, strides: number) {
  const y = tf.layers.conv2d({ filters, kernelSize: 3, strides }).apply(x) as tf.SymbolicTensor;
  return tf.layers.add().apply([x, y]) as tf.SymbolicTensor;
}
export function build(strides = widthFor('stride')) {
  const x = tf.input({ shape: [16, 16, 8] });
  return tf.model({ inputs: x, outputs: block(x, widthFor('stage1'), strides) });
}`);
    assertQuiet(r);
    assert.deepEqual(shapesAtLine(r, r.line('const y =')), [[null, null, null, null]]);
  });

  it('an if with an unknown condition is skipped and what it assigns is forgotten', () => {
    const r = analyzeText(`
export function build() {
  const x = tf.input({ shape: [32, 32, 16] });
  let y = tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same' }).apply(x) as tf.SymbolicTensor;
  if (process.env.DOWNSAMPLE) {
    y = tf.layers.conv2d({ filters: 32, kernelSize: 3, strides: 2 }).apply(y) as tf.SymbolicTensor;
  }
  const sum = tf.layers.add().apply([x, y]) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: sum });
}`);
    assertQuiet(r);
    assert.ok(!r.sites.some((s) => s.range.start.line === r.line('strides: 2')), 'the skipped branch built nothing');
    assert.deepEqual(shapesAtLine(r, r.line('const sum')), [], 'the sum of an unknown operand has no known shape');
    assert.ok(r.notes.some((n) => n.includes('unknown condition')), `notes: ${r.notes}`);
  });

  it('a loop bounded by an unknown count and a ternary on an unknown flag', () => {
    const r = analyzeText(`
export function build() {
  const x = tf.input({ shape: [16, 16, 8] });
  let y = x;
  for (let i = 0; i < Number(process.argv[2]); i++) y = tf.layers.conv2d({ filters: 8, kernelSize: 3 }).apply(y) as tf.SymbolicTensor;
  const s = process.env.FAST ? 2 : 1;
  const z = tf.layers.maxPooling2d({ poolSize: 2, strides: s }).apply(x) as tf.SymbolicTensor;
  const a = tf.layers.add().apply([x, y]) as tf.SymbolicTensor;
  const b = tf.layers.add().apply([x, z]) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: [a, b] });
}`);
    assertQuiet(r);
    assert.ok(!r.sites.some((s) => s.range.start.line === r.line('for (')), 'the loop body was not followed');
    assert.deepEqual(shapesAtLine(r, r.line('const z')), [[null, null, null, 8]]);
  });

  it('a config spread from an unknown object may override the padding', () => {
    const r = analyzeText(`
declare const userConfig: Record<string, unknown>;
export function build() {
  const x = tf.input({ shape: [16, 16, 8] });
  const y = tf.layers.conv2d({ filters: 8, kernelSize: 3, ...userConfig }).apply(x) as tf.SymbolicTensor;
  const sum = tf.layers.add().apply([x, y]) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: sum });
}`);
    assertQuiet(r);
    assert.deepEqual(shapesAtLine(r, r.line('const y =')), [[null, null, null, null]]);
  });

  it('a layer the catalogue does not know has an unknown shape, and what follows it too', () => {
    const r = analyzeText(`
export function build() {
  const x = tf.input({ shape: [16, 16, 8] });
  const y = (tf.layers as any).conv3d({ filters: 3, kernelSize: 1 }).apply(x) as tf.SymbolicTensor;
  const z = tf.layers.conv2d({ filters: 8, kernelSize: 3 }).apply(y) as tf.SymbolicTensor;
  const sum = tf.layers.add().apply([x, z]) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: sum });
}`);
    assertQuiet(r);
    assert.equal(r.models[0].layers.find((l) => l.className === 'Conv3d')?.outputShape, null);
    assert.ok(r.notes.some((n) => n.includes('tf.layers.conv3d')), `notes: ${r.notes}`);
    assert.equal(r.models[0].paramCount, null);
  });

  it('an entry point with a required parameter is not run, so its unknown arguments never reach tfjs', () => {
    const r = analyzeText(`
export function build(filters: number) {
  const x = tf.input({ shape: [8, 8, 4] });
  const y = tf.layers.conv2d({ filters, kernelSize: 1 }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: tf.layers.add().apply([x, y]) as tf.SymbolicTensor });
}`);
    assertQuiet(r);
    assert.deepEqual(r.models, []);
    assert.deepEqual(r.entries, []);
  });
});

// ------------------------------------------------------------------------------------- JS semantics

/**
 * Plain JS whose result `n` decides a layer's size: the analyzer must compute what Node computes for the
 * same code, or say it does not know (null); never another number.
 */
const SEMANTICS: Record<string, string> = {
  'labeled continue': `let n = 0; outer: for (let i = 0; i < 3; i++) { for (let j = 0; j < 3; j++) { if (j === 1) continue outer; n++; } }`,
  'labeled break': `let n = 0; outer: for (let i = 0; i < 3; i++) { for (let j = 0; j < 3; j++) { if (i === 1) break outer; n++; } }`,
  'closures over per-iteration let': `const fs: (() => number)[] = []; for (let i = 0; i < 3; i++) fs.push(() => i); let n = fs[0]() * 100 + fs[2]();`,
  'var hoisted out of blocks and loops': `function f() { if (true) { var v = 3; } for (var i = 0; i < 2; i++) { var w = i; } return v + i + w; } let n = f();`,
  'class getter': `class A { k = 2; get w() { return this.k * 5; } } let n = new A().w;`,
  'enum with auto-increment and reverse mapping': `enum E { A = 3, B, C } let n = E.C + (E[4] === 'B' ? 10 : 0);`,
  'in operator': `const o = { a: 1 }; let n = ('a' in o ? 1 : 0) + ('b' in o ? 10 : 0);`,
  'try/catch/finally': `function f() { try { throw new Error('x'); } catch { return 2; } finally { } } let n = f();`,
  'inheritance and super': `class P { w = 2; f() { return this.w; } } class C extends P { constructor() { super(); this.w = 7; } f() { return super.f() + 1; } } let n = new C().f();`,
  'recursion with a base case': `function fact(k: number): number { return k <= 1 ? 1 : k * fact(k - 1); } let n = fact(5);`,
  'switch with continue inside a loop': `let n = 0; for (let i = 0; i < 4; i++) { switch (i) { case 1: continue; default: n++; } }`,
  'do-while with continue': `let n = 0; let i = 0; do { i++; if (i % 2) continue; n += i; } while (i < 6);`,
  'comma in for': `let n = 0; for (let i = 0, j = 10; i < j; i++, j--) n++;`,
  'logical assignment': `let n: number | undefined; n ??= 8; n ||= 9;`,
  'named function expression recursion': `const f = function g(k: number): number { return k ? g(k - 1) + 1 : 0; }; let n = f(3);`,
  'a generator body waits for iteration': `let n = 0; function* g() { n = 5; yield 1; } const it = g(); void it;`,
  'reduce, map, spread into Math.max': `let n = Math.max(...[1, 2, 3].map((x, i) => x * i), [4, 5].reduce((a, b) => a + b, 0));`,
};

/** Unknown conditions around break/continue: the loop's result is unknown, the code after it is not. */
const UNKNOWN_SEMANTICS: Record<string, string> = {
  'break under an unknown condition': `let n = 0; while (true) { n++; if (n > 3 && process.env.X) break; if (n > 10) break; }`,
  'continue under an unknown condition': `let n = 0; for (let i = 0; i < 5; i++) { if (process.env.X) continue; n++; }`,
  'labeled continue under an unknown condition': `let n = 0; outer: for (let i = 0; i < 3; i++) { for (let j = 0; j < 3; j++) { if (process.env.X) continue outer; } n++; }`,
  'switch on an unknown value in a loop': `let n = 0; for (let i = 0; i < 3; i++) { switch (process.env.K) { case 'a': n++; break; default: n += 2; } }`,
};


describe('interpreter: JS semantics match Node', () => {
  for (const [name, body] of Object.entries(SEMANTICS)) {
    it(name, () => assert.equal(sizeFrom(body), runInNode(body)));
  }
  for (const [name, body] of Object.entries(UNKNOWN_SEMANTICS)) {
    it(`${name}: unknown`, () => assert.equal(sizeFrom(body), null));
  }
  it('the code after a loop with an unknown exit is followed again', () => {
    assert.equal(sizeFrom(`let n = 0; for (let i = 0; i < 3; i++) { if (process.env.X) break; n++; } n = 7;`), 7);
  });
});
