// The analyzer runs on every keystroke, so it sees half-typed code, hostile code and huge files: it must
// never throw, always return a well-formed result, stay bounded in time, explain what it gave up on in
// `notes`, and never report a finding it cannot be sure of. The time bounds here are generous, to catch
// hangs; the real speed is measured by `npm run bench`.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULE_IDS, analyze, type AnalysisResult, type Range, type Shape } from '../../server/src/analysis';
import { brokenFixtures, exampleFiles, FIXTURES_DIR, goodFixtures } from '../support/fixtureFiles';
import { diskHost } from '../../server/src/cli/files';

const HANG_BOUND_MS = 2000;
const RULES: ReadonlySet<string> = new Set(RULE_IDS);
const SEVERITIES = new Set(['error', 'warning', 'info', 'hint']);

function assertRange(r: Range, lines: string[], what: string): void {
  const ok = (p: { line: number; character: number }) => Number.isInteger(p.line) && Number.isInteger(p.character) &&
    p.line >= 0 && p.character >= 0 && p.line <= lines.length;
  assert.ok(ok(r.start) && ok(r.end), `${what}: malformed range ${JSON.stringify(r)}`);
  assert.ok(r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character), `${what}: range ends before it starts`);
}

function assertShape(s: unknown, what: string): void {
  assert.ok(Array.isArray(s), `${what}: shape is not an array`);
  for (const d of s as unknown[]) {
    if (Array.isArray(d)) assertShape(d, what);
    else assert.ok(d === null || typeof d === 'number', `${what}: dim ${String(d)}`);
  }
}

/** What every host relies on: the documented structure, ranges inside the analysed file, JSON-safe. */
function assertWellFormed(r: AnalysisResult, file: string, text: string): void {
  const lines = text.split('\n');
  const own = (f: string, range: Range, what: string) => { if (f === file) assertRange(range, lines, what); };
  assert.equal(r.file, file);
  assert.equal(typeof r.usesTfjs, 'boolean');
  assert.doesNotThrow(() => JSON.stringify(r));
  for (const n of r.notes) assert.equal(typeof n, 'string');
  assert.deepEqual(r.notes.filter((n) => n.startsWith('internal error')), [], 'no analyzer defect');
  for (const f of r.findings) {
    assert.ok(RULES.has(f.rule) && SEVERITIES.has(f.severity) && f.message.length > 0, `finding ${JSON.stringify(f).slice(0, 200)}`);
    own(f.file, f.range, f.rule);
    for (const fix of f.fixes) for (const e of fix.edits) { own(fix.file, e.range, `fix ${fix.title}`); assert.equal(typeof e.newText, 'string'); }
  }
  for (const m of r.models) {
    assert.ok(m.kind === 'functional' || m.kind === 'sequential');
    own(m.file, m.range, `model ${m.name}`);
    [...m.inputShapes, ...m.outputShapes].forEach((s) => assertShape(s, `model ${m.name}`));
    for (const l of m.layers) {
      own(l.file, l.range, l.className);
      if (l.outputShape !== null) assertShape(l.outputShape, l.className);
      assert.ok(l.paramCount === null || Number.isInteger(l.paramCount));
    }
  }
  for (const s of r.sites) {
    own(s.file, s.range, `site ${s.kind}`);
    s.shapes.forEach((x: Shape) => assertShape(x, `site ${s.kind}`));
    assert.equal(s.shapes.length, s.paramCounts.length);
  }
  for (const e of r.entries) { own(e.file, e.range, `entry ${e.name}`); assert.ok(e.requiredParams >= 0); }
}

function timed(file: string, text: string): { result: AnalysisResult; ms: number } {
  const t0 = performance.now();
  const result = analyze(file, text, diskHost);
  return { result, ms: performance.now() - t0 };
}

/** Every prefix cut at a line end, plus cuts in the middle of every third line: what the editor sees while typing. */
function cuts(text: string): number[] {
  const out: number[] = [];
  let lineStart = 0;
  text.split('\n').forEach((line, i) => {
    if (i % 3 === 1 && line.length > 2) out.push(lineStart + Math.floor(line.length / 2));
    lineStart += line.length + 1;
    out.push(Math.min(lineStart, text.length));
  });
  return out;
}

const CONSTRUCTS = path.join(FIXTURES_DIR, 'robustness', 'constructs');
const constructFiles = () => fs.readdirSync(CONSTRUCTS).filter((f) => /\.(ts|js)$/.test(f)).map((f) => path.join(CONSTRUCTS, f));

describe('robustness: every prefix of every fixture', function () {
  this.timeout(300_000);
  for (const file of [...goodFixtures(), ...brokenFixtures(), ...exampleFiles(), ...constructFiles()]) {
    it(`analyses each partial ${path.relative(FIXTURES_DIR, file)} quickly and well-formed`, () => {
      const text = fs.readFileSync(file, 'utf8');
      let slowest = { ms: 0, at: 0 };
      for (const at of cuts(text)) {
        const prefix = text.slice(0, at);
        const { result, ms } = timed(file, prefix);
        try {
          assertWellFormed(result, file, prefix);
        } catch (e) {
          throw new Error(`cut at offset ${at} (line ${prefix.split('\n').length}): ${(e as Error).message}`);
        }
        if (ms > slowest.ms) slowest = { ms, at };
      }
      assert.ok(slowest.ms < HANG_BOUND_MS, `cut at offset ${slowest.at} took ${slowest.ms.toFixed(0)} ms`);
    });
  }
});

// ----------------------------------------------------------------------------------- hostile programs

const HEADER = `import * as tf from '@tensorflow/tfjs';\n`;
/** A healthy entry point after the hostile part: it must still be analysed. */
const HEALTHY = `export function healthy() {
  const x = tf.input({ shape: [8] });
  return tf.model({ inputs: x, outputs: tf.layers.dense({ units: 2 }).apply(x) as tf.SymbolicTensor });
}\n`;
const residualOf = (branch: string) => `export function hostile() {
  const x = tf.input({ shape: [16, 16, 8] });
  const y = ${branch};
  return tf.model({ inputs: x, outputs: tf.layers.add().apply([x, y as tf.SymbolicTensor]) as tf.SymbolicTensor });
}\n`;

interface Hostile {
  text: () => string;
  /** A note that must explain what was given up. */
  note?: RegExp;
  /** Whether the healthy entry point after the hostile code must still be found. */
  healthy?: boolean;
  boundMs?: number;
  /** The program is legitimate: its model must come out whole, with this many layers. */
  complete?: number;
}

/** Deterministic pseudo-random bytes (xorshift), so a failure can be reproduced. */
function garbage(seed: number, length: number): string {
  let x = seed;
  let s = '';
  for (let i = 0; i < length; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    s += String.fromCharCode((x >>> 0) % 0x10000);
  }
  return s;
}

const nested = (open: string, inner: string, close: string, depth: number) => open.repeat(depth) + inner + close.repeat(depth);
const MB = 1 << 20;

const HOSTILE: Record<string, Hostile> = {
  'self recursion': { text: () => `function f(x: unknown): unknown { return f(x); }\nexport function a() { return f(1); }\n${HEALTHY}`, note: /call depth limit/, healthy: true },
  'mutual recursion': { text: () => `function f(x: unknown): unknown { return g(x); }\nfunction g(x: unknown): unknown { return f(x); }\nexport function a() { return f(1); }\n${HEALTHY}`, note: /call depth limit/, healthy: true },
  'recursive block builder without base case': {
    text: () => `function block(x: tf.SymbolicTensor, f: number): tf.SymbolicTensor {
  const y = tf.layers.conv2d({ filters: f, kernelSize: 3, padding: 'same' }).apply(x) as tf.SymbolicTensor;
  return block(tf.layers.add().apply([x, y]) as tf.SymbolicTensor, f);
}
export function deep() { const x = tf.input({ shape: [32, 32, 8] }); return tf.model({ inputs: x, outputs: block(x, 8) }); }\n${HEALTHY}`,
    note: /call depth limit|step budget/, healthy: true,
  },
  'exponential recursion': { text: () => `function f(n: number): number { return f(n - 1) + f(n - 2); }\nexport function a() { return f(50); }\n${HEALTHY}`, note: /step budget/, healthy: true },
  'a loop to 1e9': { text: () => `export function a() { let s = 0; for (let i = 0; i < 1e9; i++) s += i; return s; }\n${HEALTHY}`, note: /step budget/, healthy: true },
  'while (true)': { text: () => `export function a() { while (true) {} }\n${HEALTHY}`, note: /step budget/, healthy: true },
  'while (true) adding layers': { text: () => `export function a() { let x = tf.input({ shape: [4] }); while (true) x = tf.layers.dense({ units: 4 }).apply(x) as tf.SymbolicTensor; }\n${HEALTHY}`, note: /step budget/, healthy: true },
  'many entry points that all hang': { text: () => `${Array.from({ length: 12 }, (_, i) => `export function hang${i}() { while (true) {} }`).join('\n')}\n${HEALTHY}`, note: /step budget/ },
  'a string doubled forty times': { text: () => `let s = 'ab';\nfor (let i = 0; i < 40; i++) s += s;\n${HEALTHY}`, healthy: true },
  "'x'.repeat(1e9)": { text: () => `const s = 'x'.repeat(1e9).padEnd(2 ** 31);\n${HEALTHY}`, healthy: true },
  'an array doubled forty times': { text: () => `let a = [1];\nfor (let i = 0; i < 40; i++) a = [...a, ...a.concat(a)];\n${HEALTHY}`, note: /step budget/, healthy: true },
  'a getter that calls itself': { text: () => `class A { get x(): unknown { return this.x; } }\nconst v = new A().x;\n${HEALTHY}`, note: /call depth limit/, healthy: true },
  '5000 nested parentheses': { text: () => `const v = ${nested('(', '1', ')', 5000)};\n${HEALTHY}`, note: /too deeply nested/ },
  '5000 nested arrays': { text: () => `const v = ${nested('[', '1', ']', 5000)};\n${HEALTHY}`, note: /too deeply nested/ },
  '5000 nested blocks': { text: () => `${nested('{', '', '}', 5000)}\n${HEALTHY}`, note: /too deeply nested/ },
  '3000 nested applies': { text: () => residualOf(nested('tf.layers.reLU().apply(', 'x', ')', 3000)), note: /too deeply nested/ },
  'an else-if chain of 5000': {
    text: () => `let v = 0;\nconst k = 4999;\n${Array.from({ length: 5000 }, (_, i) => `${i ? 'else ' : ''}if (k === ${i}) v = ${i};`).join('\n')}\n${HEALTHY}`,
    note: /too deeply nested/,
  },
  // Bigger than ResNet-1001: the step budget must leave room for real models, and the rules must scale.
  'a chain of 1500 residual blocks': {
    text: () => `export function chain() {
  const input = tf.input({ shape: [8] });
  let x = input;
  for (let i = 0; i < 1500; i++) x = tf.layers.add().apply([x, tf.layers.dense({ units: 8 }).apply(x) as tf.SymbolicTensor]) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: x });
}\n`,
    complete: 1 + 2 * 1500,
  },
  'uncatalogued layers in a residual branch': {
    text: () => residualOf(`(tf.layers as any).conv3d({ filters: 3, kernelSize: 1 }).apply((tf.layers as any).randomWidth({ factor: 0.1 }).apply(x))`),
    note: /tf\.layers\.conv3d is not in the layer catalogue/,
  },
  'syntax error: unclosed block': { text: () => `export function a() {\n  const x = tf.input({ shape: [4] });\n  if (x) {\n` },
  'syntax error: stray tokens': { text: () => `${HEALTHY}\nconst = = ) tf.layers.conv2d({ filters: 16,, }).apply(;\n}}}` },
  'syntax error: TypeScript in a half-typed config': { text: () => residualOf(`tf.layers.conv2d({ filters: , kernelSize 3 padding: 'same' }).apply(x)`) },
  'binary garbage': { text: () => `tf.layers.dense\n${garbage(42, 20_000)}` },
  'binary garbage with NULs and lone surrogates': { text: () => `${HEADER}\u0000\ud800${garbage(7, 5_000)}\udfff tf.layers.conv2d(\u0000` },
  'a byte-order mark and CRLF': { text: () => `\ufeff${HEALTHY.replace(/\n/g, '\r\n')}`, healthy: true },
  '5 MB of embedded weights': {
    text: () => `const WEIGHTS = [${Array.from({ length: 5 * MB / 8 }, (_, i) => ((i % 97) / 7).toFixed(5)).join(',')}];\n${HEALTHY}`,
    note: /step budget/, healthy: true, boundMs: 15_000,
  },
  '5 MB of unrolled layers': {
    text: () => {
      const line = (i: number) => `  x = tf.layers.add().apply([x, tf.layers.dense({ units: 8, name: 'd${i}' }).apply(x) as tf.SymbolicTensor]) as tf.SymbolicTensor;`;
      const body = Array.from({ length: 5 * MB / line(0).length }, (_, i) => line(i)).join('\n');
      return `export function big() {\n  const input = tf.input({ shape: [8] });\n  let x = input;\n${body}\n  return tf.model({ inputs: input, outputs: x });\n}\n${HEALTHY}`;
    },
    note: /step budget/, healthy: true, boundMs: 15_000,
  },
};

describe('robustness: hostile programs are bounded and quiet', function () {
  this.timeout(120_000);
  const file = path.join(FIXTURES_DIR, 'robustness', 'hostile.ts');
  for (const [name, h] of Object.entries(HOSTILE)) {
    it(name, () => {
      const body = h.text();
      const text = body.includes('@tensorflow/tfjs') || body.startsWith('tf.') ? body : HEADER + body;
      const { result, ms } = timed(file, text);
      assertWellFormed(result, file, text);
      assert.ok(ms < (h.boundMs ?? HANG_BOUND_MS), `took ${ms.toFixed(0)} ms`);
      assert.deepEqual(result.findings.map((f) => `${f.rule}: ${f.message}`), [], 'nothing certain to report');
      if (h.note) assert.ok(result.notes.some((n) => h.note!.test(n)), `a note explains it: ${JSON.stringify(result.notes)}`);
      if (h.complete) assert.deepEqual(result.models.map((m) => m.layers.length), [h.complete], `notes: ${result.notes}`);
      if (h.healthy) assert.ok(result.models.some((m) => m.entry === 'healthy' && m.outputShapes[0]?.[1] === 2), `the healthy entry is still analysed: ${result.models.map((m) => m.name)}`);
    });
  }
});

describe('robustness: a file that spends its whole step budget stops there and says what it skipped', function () {
  this.timeout(60_000);
  it('functions after the budget is spent are not run, each named in a note, and nothing is reported', () => {
    // Two entry points that never end spend the file's budget; the helpers after them are not analysed.
    const text = `${HEADER}export function spin() { while (true) {} }
export function spinToo() { for (;;) {} }
export function block(x: tf.SymbolicTensor, filters: number): tf.SymbolicTensor {
  const y = tf.layers.conv2d({ filters, kernelSize: 3, strides: 2, padding: 'same' }).apply(x) as tf.SymbolicTensor;
  return tf.layers.add().apply([x, y]) as tf.SymbolicTensor;
}
export const head = (x: tf.SymbolicTensor, units: number) => tf.layers.dense({ units }).apply(x);
export function last() { return 1; }
`;
    const file = path.join(FIXTURES_DIR, 'robustness', 'hostile.ts');
    const { result, ms } = timed(file, text);
    assertWellFormed(result, file, text);
    assert.ok(ms < HANG_BOUND_MS, `took ${ms.toFixed(0)} ms`);
    assert.ok(result.notes.some((n) => /^spin: step budget/.test(n)) && result.notes.some((n) => /^spinToo: step budget/.test(n)), JSON.stringify(result.notes));
    assert.ok(result.notes.includes('last: not analysed: the step budget of the file was spent by earlier code'), JSON.stringify(result.notes));
    assert.ok(result.notes.includes('2 functions not analysed (the step budget of the file was spent by earlier code): block, head'), JSON.stringify(result.notes));
    assert.deepEqual(result.functionNotes?.map((n) => `${n.function}@${n.range.start.line}: ${n.reason}`), [
      'block@3: not analysed: the step budget of the file was spent by earlier code',
      'head@7: not analysed: the step budget of the file was spent by earlier code',
    ]);
    // The strided branch would be a finding if it had been analysed; unanalysed code reports nothing.
    assert.deepEqual(result.findings, []);
    // With the budget for it, the same helper is analysed and its finding reported.
    const alone = analyze(file, text.replace(/export function spin[\s\S]*?\n(export function block)/, '$1'), diskHost);
    assert.deepEqual(alone.findings.map((f) => f.rule), ['residual-shape-mismatch']);
  });
});
