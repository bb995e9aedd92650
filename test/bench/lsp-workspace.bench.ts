// Editor latency where code is checked as written: (a) a ~1000-line file of residual helpers and builders
// that nothing calls (each function analysed with its parameters as symbols), keystroke -> publishDiagnostics;
// (b) a generated workspace of 50 files, one shared helper imported by 49 closed model files: time from an
// edit of the helper to the diagnostics of every dependant. Not a mocha test: it prints figures with spread.
// Run: npm run bench:lsp   (after lsp-latency.bench.ts, which builds dist/server.js)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { analyze } from '../../server/src/analysis';
import { fileUri, LspHarness } from '../lsp/lspHarness';

const header = "import * as tf from '@tensorflow/tfjs';\n";

/** Helpers as libraries write them: sizes are parameters, shortcuts guarded, widths read from x.shape. */
const helperKinds: ((n: number) => string)[] = [
  (n) => `export function basicBlock${n}(x: tf.SymbolicTensor, filters: number, strides = 1): tf.SymbolicTensor {
  let y = tf.layers.conv2d({ filters, kernelSize: 3, strides, padding: 'same', useBias: false }).apply(x) as tf.SymbolicTensor;
  y = tf.layers.batchNormalization().apply(y) as tf.SymbolicTensor;
  y = tf.layers.reLU().apply(y) as tf.SymbolicTensor;
  y = tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', useBias: false }).apply(y) as tf.SymbolicTensor;
  y = tf.layers.batchNormalization().apply(y) as tf.SymbolicTensor;
  let shortcut = x;
  if (strides !== 1 || x.shape[3] !== filters) {
    shortcut = tf.layers.conv2d({ filters, kernelSize: 1, strides, useBias: false }).apply(x) as tf.SymbolicTensor;
    shortcut = tf.layers.batchNormalization().apply(shortcut) as tf.SymbolicTensor;
  }
  const sum = tf.layers.add().apply([y, shortcut]) as tf.SymbolicTensor;
  return tf.layers.reLU().apply(sum) as tf.SymbolicTensor;
}
`,
  (n) => `export function bottleneck${n}(x: tf.SymbolicTensor, width: number, downsample: boolean): tf.SymbolicTensor {
  const strides = downsample ? 2 : 1;
  let y = tf.layers.conv2d({ filters: width, kernelSize: 1, useBias: false }).apply(x) as tf.SymbolicTensor;
  y = tf.layers.batchNormalization().apply(y) as tf.SymbolicTensor;
  y = tf.layers.reLU().apply(y) as tf.SymbolicTensor;
  y = tf.layers.conv2d({ filters: width, kernelSize: 3, strides, padding: 'same', useBias: false }).apply(y) as tf.SymbolicTensor;
  y = tf.layers.batchNormalization().apply(y) as tf.SymbolicTensor;
  y = tf.layers.reLU().apply(y) as tf.SymbolicTensor;
  y = tf.layers.conv2d({ filters: 4 * width, kernelSize: 1, useBias: false }).apply(y) as tf.SymbolicTensor;
  y = tf.layers.batchNormalization().apply(y) as tf.SymbolicTensor;
  const shortcut = x.shape[3] === 4 * width && !downsample
    ? x
    : tf.layers.conv2d({ filters: 4 * width, kernelSize: 1, strides, useBias: false }).apply(x) as tf.SymbolicTensor;
  return tf.layers.reLU().apply(tf.layers.add().apply([y, shortcut]) as tf.SymbolicTensor) as tf.SymbolicTensor;
}
`,
  (n) => `export const preActBlock${n} = (x: tf.SymbolicTensor, filters: number): tf.SymbolicTensor => {
  let y = tf.layers.batchNormalization().apply(x) as tf.SymbolicTensor;
  y = tf.layers.reLU().apply(y) as tf.SymbolicTensor;
  y = tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', useBias: false }).apply(y) as tf.SymbolicTensor;
  y = tf.layers.batchNormalization().apply(y) as tf.SymbolicTensor;
  y = tf.layers.reLU().apply(y) as tf.SymbolicTensor;
  y = tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', useBias: false }).apply(y) as tf.SymbolicTensor;
  const shortcut = x.shape[3] === filters ? x : tf.layers.conv2d({ filters, kernelSize: 1 }).apply(x) as tf.SymbolicTensor;
  return tf.layers.add().apply([y, shortcut]) as tf.SymbolicTensor;
};
`,
  (n) => `export function denseUnit${n}(x: tf.SymbolicTensor, growth: number): tf.SymbolicTensor {
  let y = tf.layers.batchNormalization().apply(x) as tf.SymbolicTensor;
  y = tf.layers.reLU().apply(y) as tf.SymbolicTensor;
  y = tf.layers.conv2d({ filters: 4 * growth, kernelSize: 1, useBias: false }).apply(y) as tf.SymbolicTensor;
  y = tf.layers.conv2d({ filters: growth, kernelSize: 3, padding: 'same', useBias: false }).apply(y) as tf.SymbolicTensor;
  return tf.layers.concatenate().apply([x, y]) as tf.SymbolicTensor;
}
`,
  (n) => `export class Stage${n} {
  constructor(private readonly filters: number, private readonly blocks: number) {}
  build(x: tf.SymbolicTensor): tf.SymbolicTensor {
    let y = x;
    for (let i = 0; i < this.blocks; i++) {
      const z = tf.layers.conv2d({ filters: this.filters, kernelSize: 3, padding: 'same' }).apply(y) as tf.SymbolicTensor;
      const skip = y.shape[3] === this.filters ? y : tf.layers.conv2d({ filters: this.filters, kernelSize: 1 }).apply(y) as tf.SymbolicTensor;
      y = tf.layers.add().apply([z, skip]) as tf.SymbolicTensor;
    }
    return y;
  }
}
`,
  (n) => `export function buildNet${n}(inputShape: number[], numClasses: number, width = 16): tf.LayersModel {
  const input = tf.input({ shape: inputShape });
  let x = tf.layers.conv2d({ filters: width, kernelSize: 3, padding: 'same', useBias: false }).apply(input) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization().apply(x) as tf.SymbolicTensor;
  x = tf.layers.reLU().apply(x) as tf.SymbolicTensor;
  const y = tf.layers.conv2d({ filters: width, kernelSize: 3, padding: 'same', useBias: false }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.add().apply([x, y]) as tf.SymbolicTensor;
  x = tf.layers.conv2d({ filters: 2 * width, kernelSize: 3, strides: 2, padding: 'same' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: numClasses, activation: 'softmax' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}
`,
];

/** About `targetLines` lines of uncalled helpers and builders: nothing runs unless parameters become symbols. */
export function symbolicFile(targetLines: number): string {
  const parts = [header];
  let lines = 1;
  for (let n = 0; lines < targetLines; n++) {
    const text = helperKinds[n % helperKinds.length](n);
    parts.push(text);
    lines += text.split('\n').length;
  }
  return parts.join('\n');
}

function stats(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
  return `median ${q(50).toFixed(1)} ms, p95 ${q(95).toFixed(1)} ms, min ${s[0].toFixed(1)} ms, max ${s[s.length - 1].toFixed(1)} ms (n=${s.length})`;
}

async function symbolicKeystrokes(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'skipcheck-bench-sym-'));
  const file = path.join(dir, 'helpers.ts');
  const text = symbolicFile(1000);
  writeFileSync(file, text);
  const lineCount = text.split('\n').length;
  const functions = (text.match(/^export (function|const|class)/gm) ?? []).length;

  const alone: number[] = [];
  let result = analyze(file, text);
  for (let i = 0; i < 10; i++) {
    const start = performance.now();
    result = analyze(file, text, undefined, { verify: false });
    alone.push(performance.now() - start);
  }
  console.log(`(a) ${lineCount}-line file of ${functions} uncalled helpers/builders/classes; analysis sees ${result.sites.length} shape sites, ` +
    `${result.findings.length} findings, ${result.functionNotes?.length ?? 0} functions not analysed`);
  console.log(`    analyze() alone: ${stats(alone)}`);

  const lsp = await LspHarness.spawn({ debounceMs: 0 });
  try {
    const uri = fileUri(file);
    await lsp.open(uri, text);
    await lsp.diagnosticsFor(uri, 1);
    // Type inside a function body (a comment, so the code stays valid), waiting for each version's diagnostics.
    const line = text.split('\n').findIndex((l) => l.includes('let shortcut = x;'));
    const latencies: number[] = [];
    for (let i = 0; i < 60; i++) {
      const version = i + 2;
      const from = lsp.diagnostics.length;
      const start = performance.now();
      await lsp.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: i === 0 ? '//' : 'x' }],
      });
      await lsp.diagnosticsFor(uri, version, from);
      latencies.push(performance.now() - start);
    }
    console.log(`    keystroke -> publishDiagnostics (debounce 0, 60 keys, first 10 dropped as warm-up): ${stats(latencies.slice(10))}  [target: median < 50, p95 < 100]`);
  } finally {
    await lsp.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The helper every model file imports; `broken` gives its stem a stride the callers' shortcuts do not have. */
const sharedHelper = (broken: boolean) => `${header}
export function stem(x: tf.SymbolicTensor, filters: number): tf.SymbolicTensor {
  const y = tf.layers.conv2d({ filters, kernelSize: 3, strides: ${broken ? 2 : 1}, padding: 'same', useBias: false }).apply(x) as tf.SymbolicTensor;
  return tf.layers.batchNormalization().apply(y) as tf.SymbolicTensor;
}
`;

const dependant = (n: number) => `${header}import { stem } from './shared';

export function model${n}(): tf.LayersModel {
  const input = tf.input({ shape: [${16 + (n % 4) * 8}, ${16 + (n % 4) * 8}, ${8 * (1 + (n % 3))}] });
  const y = stem(input, ${8 * (1 + (n % 3))});
  const sum = tf.layers.add().apply([y, input]) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 10 }).apply(tf.layers.flatten().apply(sum) as tf.SymbolicTensor) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}
`;

async function workspaceFanOut(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'skipcheck-bench-ws-'));
  const DEPENDANTS = 49;
  writeFileSync(path.join(dir, 'shared.ts'), sharedHelper(true));
  const uris: string[] = [];
  for (let n = 0; n < DEPENDANTS; n++) {
    writeFileSync(path.join(dir, `model${n}.ts`), dependant(n));
    uris.push(fileUri(path.join(dir, `model${n}.ts`)));
  }
  const lsp = await LspHarness.spawn({ debounceMs: 0 }, undefined, dir);
  /** Time until every dependant has published a list that is empty (fixed) or not (broken), after `from`. */
  const allPublished = (broken: boolean, from: number) =>
    lsp.waitFor(`all ${DEPENDANTS} dependants ${broken ? 'broken' : 'fixed'}`, () => {
      const last = new Map<string, number>();
      for (const d of lsp.diagnostics.slice(from)) last.set(d.uri, d.diagnostics.length);
      return uris.every((u) => last.has(u) && (last.get(u)! > 0) === broken) ? true : undefined;
    }, 60_000);
  try {
    const start = performance.now();
    await allPublished(true, 0);
    console.log(`(b) workspace of ${DEPENDANTS + 1} files (a shared helper, ${DEPENDANTS} closed model files that import it): ` +
      `index + first analysis of all, findings in all ${DEPENDANTS}: ${(performance.now() - start).toFixed(0)} ms`);
    const helperUri = fileUri(path.join(dir, 'shared.ts'));
    await lsp.open(helperUri, sharedHelper(true));
    await lsp.diagnosticsFor(helperUri, 1);
    const times: number[] = [];
    for (let i = 0; i < 12; i++) {
      const broken = i % 2 === 1;
      const from = lsp.diagnostics.length;
      const t0 = performance.now();
      await lsp.change(helperUri, i + 2, sharedHelper(broken));
      await allPublished(broken, from);
      times.push(performance.now() - t0);
    }
    console.log(`    edit in the helper -> diagnostics in all ${DEPENDANTS} dependants (debounce 0, 12 edits fixing/breaking it): ${stats(times)}`);
  } finally {
    await lsp.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  await symbolicKeystrokes();
  await workspaceFanOut();
}

if (process.argv[1]?.endsWith("lsp-workspace.bench.ts")) main().catch((err) => {
  console.error(err);
  process.exit(1);
});
