// Inputs an adversary (or a half-typed file) can give the analyzer that used to exhaust memory, hang, or make
// it report a confident error on a model that builds fine. Each case reproduces one such report of issue 12:
// resource bounds are checked with a time and memory bound, semantics against Node, shapes against tfjs.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, applyEdits, preferredEdits, type AnalysisResult } from '../../server/src/analysis';
import { diskHost } from '../../server/src/cli/files';
import { VIRTUAL, runInNode, sizeFrom } from '../support/jsProbe';

const HEADER = `import * as tf from '@tensorflow/tfjs';\n`;
const MB = 1 << 20;
/** Generous: a hang or a gigabyte allocation is what is caught, not speed (npm run bench measures that). */
const TIME_BOUND_MS = 3000;
const MEMORY_BOUND_MB = 300;

function bounded(text: string, file = VIRTUAL): AnalysisResult {
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  const r = analyze(file, text, { readFile: () => undefined });
  const ms = performance.now() - t0;
  const grewMb = (process.memoryUsage().rss - rss0) / MB;
  assert.ok(ms < TIME_BOUND_MS, `took ${ms.toFixed(0)} ms`);
  assert.ok(grewMb < MEMORY_BOUND_MB, `memory grew by ${grewMb.toFixed(0)} MB`);
  assert.deepEqual(r.notes.filter((n) => n.startsWith('internal error')), [], 'no analyzer defect');
  return r;
}

/** A healthy entry point after the hostile code: it must still come out whole. */
const HEALTHY = `export function healthy() {
  const x = tf.input({ shape: [8] });
  return tf.model({ inputs: x, outputs: tf.layers.dense({ units: 2 }).apply(x) as tf.SymbolicTensor });
}\n`;

const healthyFound = (r: AnalysisResult) => r.models.some((m) => m.entry === 'healthy' && m.outputShapes[0]?.[1] === 2);

describe('hardening: array and string sizes are paid for before they are allocated (issue 12.1)', function () {
  this.timeout(60_000);
  const CASES: Record<string, string> = {
    'Array.from({ length: 1e9 })': `const a = Array.from({ length: 1e9 });`,
    'a.length = 1e9, then Array.from': `const a: number[] = []; a.length = 1e9; const b = Array.from(a);`,
    'a.length = 1e8, then concat': `const a: number[] = []; a.length = 1e8; const b = a.concat(a, a);`,
    'a.length = 1e9, then for…of': `const a: number[] = []; a.length = 1e9; for (const v of a) { void v; }`,
    'a sparse array mapped': `const a: number[] = []; a[4294967294] = 1; const b = a.map((v) => v);`,
    'a sparse array walked with forEach': `const a: number[] = []; a[4294967294] = 1; a.forEach((v) => v);`,
    'flat over many aliases of one big array': `const big = Array.from({ length: 50000 }, (_, i) => i); const outer: number[][] = []; for (let i = 0; i < 2000; i++) outer.push(big); const f = outer.flat();`,
    'flat(Infinity) over a tree of aliases': `let t: unknown[] = [1]; for (let i = 0; i < 40; i++) t = [t, t]; const f = t.flat(Infinity);`,
    'an invalid array length': `const a: number[] = []; a.length = -1; a.length = 1.5;`,
  };
  for (const [name, body] of Object.entries(CASES)) {
    it(name, () => {
      const r = bounded(HEADER + body + '\n' + HEALTHY);
      assert.ok(healthyFound(r), `the healthy entry is still analysed; notes: ${r.notes}`);
    });
  }

  it('a string built by concat arguments or template literals stays under the string cap', () => {
    for (const build of [
      `const t = 'a'.concat(${Array.from({ length: 300 }, () => 's').join(', ')});`,
      'let t = s; for (let i = 0; i < 12; i++) t = `${t}${t}`;',
      'const t = Array.from({ length: 3000 }, () => s).join();',
    ]) {
      // In Node `t.length` is in the hundreds of millions: the analyzer must not build it, so it does not know it.
      const body = `let s = 'x'.repeat(1000); for (let i = 0; i < 10; i++) s += s;\n${build}\nlet n = t.length;`;
      const r = bounded(`${HEADER}${body}\nexport function probe() { const x = tf.input({ shape: [n] }); return tf.model({ inputs: x, outputs: x }); }`);
      assert.deepEqual(r.models[0].inputShapes, [[null, null]], build);
    }
  });

  it('flat and join still compute what Node computes on ordinary arrays', () => {
    for (const body of [
      `const a = [[1, [2, [3]]], 4]; let n = a.flat().length * 10 + a.flat(Infinity).length;`,
      `const a = [1, , 3]; let n = a.flat().length + [[, 2]].flat().length * 10;`,
      `let n = ['ab', 'c'].join('--').length + [1, 2, 3].join().length * 10;`,
    ]) assert.equal(sizeFrom(body), runInNode(body), body);
  });
});

// ------------------------------------------------------------------------------------------ semantics

/** The analyzer must compute what Node computes. */
const EXACT: Record<string, string> = {
  'sort without a comparator': `const a = [3, 10, 2]; a.sort(); let n = a[0] * 100 + a[2];`,
  'sort with a comparator': `const a = [3, 1, 2]; a.sort((x, y) => y - x); let n = a[0] * 100 + a[2];`,
  'splice': `const a = [1, 2, 3, 4]; const r = a.splice(1, 2, 9); let n = a.length * 100 + a[1] * 10 + r[0];`,
  'splice with only a start': `const a = [1, 2, 3, 4]; a.splice(-1); let n = a.length;`,
  'reverse': `const a = [1, 2, 3]; a.reverse(); let n = a[0];`,
  'fill with a range': `const a = [1, 2, 3, 4]; a.fill(7, 1, 3); let n = a[0] * 1000 + a[1] * 100 + a[2] * 10 + a[3];`,
  'delete a property': `const o: any = { a: 1, b: 2 }; delete o.a; let n = ('a' in o ? 10 : 0) + Object.keys(o).length;`,
  'delete an element': `const a = [1, 2, 3]; delete a[1]; let n = a.length * 10 + (a[1] === undefined ? 1 : 0);`,
  'a class setter': `class A { k = 1; set v(x: number) { this.k = x * 2; } } const a = new A(); a.v = 4; let n = a.k;`,
  'an inherited setter': `class A { k = 1; set v(x: number) { this.k = x + 1; } } class B extends A {} const b = new B(); b.v = 6; let n = b.k;`,
  '&&= on a truthy value': `let n = 5; n &&= 3;`,
  '&&= on a falsy value': `let n = 0; let m = 1; n &&= (m = 9); n = n + m;`,
  '||= assigns only when falsy': `let n = 4; let m = 1; n ||= (m = 9); n = n * 10 + m;`,
  '??= does not run the right side when set': `let n = 4; let m = 1; n ??= (m = 9); n = n * 10 + m;`,
  '??= on a property': `const o: { k?: number } = {}; o.k ??= 6; let n = o.k;`,
  '^=, &=, |=': `let n = 6; n ^= 3; n &= 7; n |= 8;`,
  '>>>= and <<=': `let n = -16; n >>>= 28; n <<= 2;`,
  'a null dereference inside try goes to the catch': `let n = 1; try { const o: any = null; n = o.x; n = 2; } catch { n = 3; }`,
  'calling undefined inside try goes to the catch': `let n = 1; const o: any = {}; try { o.nope(); n = 2; } catch { n = 5; }`,
  'a throw in a helper called inside try': `function f(o: any) { return o.k.j; } let n = 1; try { n = f({}); } catch { n = 4; }`,
};

/** The analyzer may not know (null), but when it gives a number it must be Node's. */
const EXACT_OR_UNKNOWN: Record<string, string> = {
  'Object.assign from an unknown source': `const o = { a: 4 }; Object.assign(o, process.env); let n = o.a;`,
  'Object.defineProperty': `const o = { a: 4 }; Object.defineProperty(o, 'a', { value: 9 }); let n = o.a;`,
  'Reflect.set': `const o = { a: 4 }; Reflect.set(o, 'a', 9); let n = o.a;`,
  'copyWithin (not modelled)': `const a = [1, 2, 3]; a.copyWithin(0, 1); let n = a[0];`,
  'a write to a frozen object inside try': `const o = Object.freeze({ a: 1 }); let n = 1; try { (o as any).a = 2; n = o.a + 5; } catch { n = 3; }`,
  'an object-literal setter': `let k = 1; const o = { set v(x: number) { k = x; }, get v() { return k * 2; } }; o.v = 5; let n = o.v;`,
  'sort with a comparator giving unknown answers': `const a = [3, 1, 2]; a.sort(() => Number(process.env.X)); let n = a[0];`,
  'a write under an unknown key': `const a = [1, 2]; a[Number(process.env.K ?? 5)] = 3; let n = a.length;`,
};

/** Code the analyzer cannot see may change the value: it must say it does not know. */
const UNKNOWN_AFTER: Record<string, string> = {
  'a package function given the config': `declare const lib: any; const cfg = { units: 4 }; lib.tweak(cfg); let n = cfg.units;`,
  'a package function given an outer object': `declare const lib: any; const cfg = { inner: { units: 4 } }; lib.tweak(cfg); let n = cfg.inner.units;`,
  'an unknown function given an array': `declare function grow(a: number[]): void; const a = [1]; grow(a); let n = a.length;`,
  'an unknown function given a callback': `declare const lib: any; let n = 1; lib.each([1, 2], () => { n = 7; });`,
  'a spread into an unknown call': `declare const lib: any; const a = [{ k: 1 }]; lib.f(...a); let n = a[0].k;`,
  'an unknown function called inside try': `declare const lib: any; let n = 1; try { lib.f(); n = 2; } catch { n = 3; }`,
  '??= on an unknown value': `let m = 1; let n: number = (process.env.X as any); n ??= (m = 9); n = m;`,
  'a loop cut by the step budget': `let n = 4; for (let i = 0; i < 1e9; i++) n = (n * 3) % 1000 + 1;`,
  'a recursion cut by the step budget': `const acc: number[] = []; function f(k: number): number { acc.push(k); return k > 0 ? f(k - 1) + f(k - 1) : 0; } f(40); let n = acc.length;`,
  'a loop cut by the step budget inside a helper': `const o = { n: 1 }; function g() { for (;;) o.n++; } g(); let n = o.n;`,
};

describe('hardening: what the analyzer cannot see becomes unknown, never stale (issue 12.4)', function () {
  this.timeout(60_000);
  for (const [name, body] of Object.entries(EXACT)) it(name, () => assert.equal(sizeFrom(body), runInNode(body)));
  for (const [name, body] of Object.entries(EXACT_OR_UNKNOWN)) {
    it(`${name}: Node's value or unknown`, () => {
      const ours = sizeFrom(body);
      if (ours !== null) assert.equal(ours, runInNode(body));
    });
  }
  for (const [name, body] of Object.entries(UNKNOWN_AFTER)) it(`${name}: unknown`, () => assert.equal(sizeFrom(body), null));

  it('`x ??= merge(...)` does not build a phantom merge when x is set', () => {
    const r = bounded(`${HEADER}export function m() {
  const x = tf.input({ shape: [8, 8, 4] });
  const y = tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same' }).apply(x) as tf.SymbolicTensor;
  let out: tf.SymbolicTensor | undefined = y;
  out ??= tf.layers.add().apply([x, y]) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: out });
}\n`);
    assert.deepEqual(r.findings.map((f) => f.message), []);
    assert.deepEqual(r.models[0].layers.map((l) => l.className), ['InputLayer', 'Conv2D']);
  });

  it('a config handed to a package function is not trusted afterwards (no false mismatch)', () => {
    const r = bounded(`${HEADER}import { merge } from 'lodash';
export function m() {
  const cfg = { filters: 8, kernelSize: 3, padding: 'same' as const };
  merge(cfg, { filters: 4 });
  const x = tf.input({ shape: [8, 8, 4] });
  const y = tf.layers.conv2d(cfg).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: tf.layers.add().apply([x, y]) as tf.SymbolicTensor });
}\n`);
    assert.deepEqual(r.findings.map((f) => f.message), []);
  });
});

describe('hardening: sloppy scripts assigning undeclared names make globals (issue 12.15)', () => {
  it('a global-tf browser script keeps its model', () => {
    const file = path.join(path.dirname(VIRTUAL), 'script.js');
    const r = bounded(`inp = tf.input({ shape: [8, 8, 4] });
out = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same' }).apply(inp);
out = tf.layers.add().apply([inp, tf.layers.conv2d({ filters: 8, kernelSize: 1 }).apply(out)]);
model = tf.model({ inputs: inp, outputs: out });
`, file);
    assert.equal(r.models.length, 1, `notes: ${r.notes}`);
    assert.deepEqual(r.findings.map((f) => [f.rule, f.range.start.line]), [['residual-shape-mismatch', 2]]);
  });

  it('not in modules or "use strict" scripts, where the assignment throws', () => {
    for (const text of [`'use strict';\ninp = tf.input({ shape: [4] });\nmodel = tf.model({ inputs: inp, outputs: inp });\n`,
      `import * as tf from '@tensorflow/tfjs';\ninp = tf.input({ shape: [4] });\nmodel = tf.model({ inputs: inp, outputs: inp });\n`]) {
      const r = bounded(text, path.join(path.dirname(VIRTUAL), 'script.js'));
      assert.equal(r.models.length, 1);
      assert.equal(r.models[0].inputShapes.length, 0, 'inputs are unknown');
    }
  });
});

describe('hardening: one line model, the LSP\'s, for findings and fixes (issue 12.6)', function () {
  this.timeout(60_000);
  const brokenExample = path.join(__dirname, '..', '..', 'examples', 'broken-block.ts');
  const lf = fs.readFileSync(brokenExample, 'utf8').replace(/\r\n/g, '\n');
  const summary = (r: AnalysisResult) => r.findings.map((f) => ({ rule: f.rule, range: f.range, fixes: f.fixes.map((x) => x.edits.length) }));
  const fixAll = (text: string) => {
    const r = analyze(brokenExample, text, diskHost);
    return applyEdits(text, preferredEdits(text, brokenExample, r.findings));
  };

  it('CR-only line endings: the same findings at the same places, and the fixes apply', () => {
    const cr = lf.replace(/\n/g, '\r');
    const [a, b] = [analyze(brokenExample, lf, diskHost), analyze(brokenExample, cr, diskHost)];
    assert.ok(a.findings.length >= 5 && a.findings.every((f) => f.fixes.length > 0));
    assert.deepEqual(summary(b), summary(a));
    assert.equal(fixAll(cr).replace(/\r/g, '\n'), fixAll(lf));
    assert.deepEqual(analyze(brokenExample, fixAll(cr), diskHost).findings.filter((f) => f.severity === 'error'), []);
  });

  it('U+2028 and U+2029 inside strings are not line breaks', () => {
    const marker = 'export function';
    const at = lf.indexOf(marker);
    const withSeparators = `${lf.slice(0, at)}const note = 'a\u2028b\u2029c';\n${lf.slice(at)}`;
    const plain = `${lf.slice(0, at)}const note = 'a_b_c';\n${lf.slice(at)}`;
    const [a, b] = [analyze(brokenExample, plain, diskHost), analyze(brokenExample, withSeparators, diskHost)];
    assert.ok(a.findings.length >= 5);
    assert.deepEqual(summary(b), summary(a));
    // Where the editor (vscode-languageserver-textdocument) puts the first finding's start.
    const doc = TextDocument.create('file:///x.ts', 'typescript', 1, withSeparators);
    const plainDoc = TextDocument.create('file:///y.ts', 'typescript', 1, plain);
    b.findings.forEach((f, i) => assert.equal(doc.getText(f.range), plainDoc.getText(a.findings[i].range)));
    assert.match(doc.getText(b.findings[0].range), /tf\.layers\./);
    assert.equal(fixAll(withSeparators).replace('a\u2028b\u2029c', 'a_b_c'), fixAll(plain));
  });
});
