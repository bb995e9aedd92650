// Editor latency of the language server: time from a didChange to the publishDiagnostics for that version,
// on a generated ~1000-line ResNet file while "typing" 50 characters into it. Not a mocha test: it prints
// figures. Run: node --import tsx test/bench/lsp-latency.bench.ts [--actions]  (builds dist/server.js first)
import { execFileSync } from 'node:child_process';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { analyze } from '../../server/src/analysis';
import { editorCapabilities, fileUri, LspHarness, repoRoot } from '../lsp/lspHarness';
import { thirtyFindings } from './thirtyFindings';

/** A CIFAR-style ResNet written out block by block, as people do before they factor out a helper. */
function generateModel(targetLines: number): string {
  const lines = [
    "import * as tf from '@tensorflow/tfjs';",
    '',
    'export function bigResnet(): tf.LayersModel {',
    "  const input = tf.input({ shape: [32, 32, 3] });",
    "  let x = tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', useBias: false }).apply(input) as tf.SymbolicTensor;",
  ];
  for (let b = 0; lines.length < targetLines - 6; b++) {
    lines.push(
      `  // block ${b + 1}`,
      `  const b${b}a = tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', useBias: false }).apply(x) as tf.SymbolicTensor;`,
      `  const b${b}b = tf.layers.batchNormalization().apply(b${b}a) as tf.SymbolicTensor;`,
      `  const b${b}c = tf.layers.reLU().apply(b${b}b) as tf.SymbolicTensor;`,
      `  const b${b}d = tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', useBias: false }).apply(b${b}c) as tf.SymbolicTensor;`,
      `  const b${b}e = tf.layers.batchNormalization().apply(b${b}d) as tf.SymbolicTensor;`,
      `  const b${b}f = tf.layers.add().apply([b${b}e, x]) as tf.SymbolicTensor;`,
      `  x = tf.layers.reLU().apply(b${b}f) as tf.SymbolicTensor;`,
      '',
    );
  }
  lines.push(
    '  x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;',
    "  const out = tf.layers.dense({ units: 10, activation: 'softmax' }).apply(x) as tf.SymbolicTensor;",
    '  return tf.model({ inputs: input, outputs: out });',
    '}',
    '',
  );
  return lines.join('\n');
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** median, p95 and the min–max spread of a sample, for one printed line. */
function figures(values: number[]): string {
  const s = [...values].sort((a, b) => a - b);
  return `median ${percentile(s, 50).toFixed(1)} ms, p95 ${percentile(s, 95).toFixed(1)} ms (min ${s[0].toFixed(1)}, max ${s[s.length - 1].toFixed(1)}, n ${s.length})`;
}

/** What VS Code declares: it resolves a code action's edit when the action is chosen. */
const vscodeLike = {
  ...editorCapabilities,
  textDocument: { ...editorCapabilities.textDocument, codeAction: { ...editorCapabilities.textDocument!.codeAction, resolveSupport: { properties: ['edit'] } } },
};

/**
 * Code actions on a file with 30 findings: the light-bulb request at each finding right after an edit
 * (nothing verified yet), a whole-file request cancelled mid-way, and typing with a light-bulb request
 * after every keystroke.
 */
async function codeActionBench(): Promise<void> {
  const text = thirtyFindings();
  const uri = fileUri(`${repoRoot}/bench-thirty-findings.ts`);
  const lsp = await LspHarness.spawn({ debounceMs: 0 }, vscodeLike);
  try {
    await lsp.open(uri, text);
    const found = (await lsp.diagnosticsFor(uri, 1)).diagnostics;
    console.log(`code actions: ${text.split('\n').length}-line file, ${found.length} findings`);
    const lines = text.split('\n');
    let version = 1;
    /** A comment edit at the top: a new version, the same findings (shifted by nothing), every fix unverified. */
    const touch = async () => {
      version++;
      const from = lsp.diagnostics.length;
      await lsp.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: lines[1].length } }, text: `// v${version}` }],
      });
      lines[1] = `// v${version}`;
      return lsp.diagnosticsFor(uri, version, from);
    };

    // 1. Light bulb at each finding, on a fresh version (its fixes are re-analysed for this request).
    const latencies: number[] = [];
    const offered: number[] = [];
    for (const d of found) {
      await touch();
      const start = performance.now();
      const actions = await lsp.request<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri }, range: { start: d.range.start, end: d.range.start }, context: { diagnostics: [d], triggerKind: 2 },
      });
      latencies.push(performance.now() - start);
      offered.push(actions.length);
    }
    console.log(`light-bulb codeAction at each finding, fresh version: ${figures(latencies)}; ${Math.min(...offered)}-${Math.max(...offered)} actions each`);

    // 2. A request that must verify every fix in the file, cancelled after 100 ms: time until it answers.
    const cancelWaits: number[] = [];
    const hoverWaits: number[] = [];
    for (let i = 0; i < 8; i++) {
      await touch();
      const source = new CancellationTokenSource();
      const all = lsp.connection.sendRequest('textDocument/codeAction', {
        textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: lines.length, character: 0 } }, context: { diagnostics: [] as Diagnostic[] },
      }, source.token);
      await new Promise((r) => setTimeout(r, 100));
      const cancelled = performance.now();
      source.cancel();
      const hoverStart = performance.now();
      const hover = lsp.request('textDocument/hover', { textDocument: { uri }, position: { line: 4, character: 10 } }).then(() => performance.now() - hoverStart);
      const outcome = await all.then(() => 'answered', (e: { code?: number }) => `error ${e.code}`);
      cancelWaits.push(performance.now() - cancelled);
      hoverWaits.push(await hover);
      if (i === 0) console.log(`cancelled whole-file request ended with: ${outcome}`);
    }
    console.log(`$/cancelRequest -> the request's answer: ${figures(cancelWaits)}`);
    console.log(`hover sent at the cancel: ${figures(hoverWaits)}`);

    // 3. Typing with a light-bulb request after every keystroke (VS Code asks on each cursor move and
    // cancels the previous one): keystroke -> diagnostics for that version.
    const target = found[0];
    const typeKeys = async (withLightBulb: boolean): Promise<number[]> => {
      const waits: number[] = [];
      let pending: CancellationTokenSource | undefined;
      for (let i = 0; i < 40; i++) {
        version++;
        pending?.cancel();
        const from = lsp.diagnostics.length;
        const start = performance.now();
        await lsp.connection.sendNotification('textDocument/didChange', {
          textDocument: { uri, version },
          contentChanges: [{ range: { start: { line: 1, character: 2 }, end: { line: 1, character: 2 } }, text: 'x' }],
        });
        if (withLightBulb) {
          pending = new CancellationTokenSource();
          lsp.connection.sendRequest('textDocument/codeAction', {
            textDocument: { uri }, range: { start: target.range.start, end: target.range.start }, context: { diagnostics: [target], triggerKind: 2 },
          }, pending.token).catch(() => undefined);
        }
        await lsp.diagnosticsFor(uri, version, from);
        waits.push(performance.now() - start);
        await new Promise((r) => setTimeout(r, 30));
      }
      return waits;
    };
    const plain = await typeKeys(false);
    const waits = await typeKeys(true);
    console.log(`typing (debounce 0), no code action requests: keystroke -> diagnostics ${figures(plain)}`);
    console.log(`typing (debounce 0) with a light-bulb request per keystroke: keystroke -> diagnostics ${figures(waits)}`);
  } finally {
    await lsp.stop();
  }
}

async function main(): Promise<void> {
  const text = generateModel(1000);
  const lineCount = text.split('\n').length;
  const typed = ' tweak the stage-two widths later, maybe 32 -> 48';
  const typingLine = Math.floor(lineCount / 2);
  const uri = fileUri(`${repoRoot}/bench-big-model.ts`);

  // 0. The analysis alone, in this process: what the server adds is the difference.
  const alone: number[] = [];
  for (let i = 0; i < 10; i++) {
    const start = performance.now();
    analyze(`${repoRoot}/bench-big-model.ts`, text);
    alone.push(performance.now() - start);
  }
  alone.sort((a, b) => a - b);
  console.log(`analyze() alone: median ${percentile(alone, 50).toFixed(1)} ms, p95 ${percentile(alone, 95).toFixed(1)} ms`);

  // 1. Server latency per keystroke: no debounce, wait for each version's diagnostics before the next key.
  const lsp = await LspHarness.spawn({ debounceMs: 0 });
  try {
    await lsp.open(uri, text);
    const opened = await lsp.diagnosticsFor(uri, 1);
    const latencies: number[] = [];
    for (let i = 0; i < 50; i++) {
      const version = i + 2;
      const from = lsp.diagnostics.length;
      const start = performance.now();
      await lsp.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [{ range: { start: { line: typingLine, character: i }, end: { line: typingLine, character: i } }, text: i === 0 ? '//' : typed[i % typed.length] }],
      });
      await lsp.diagnosticsFor(uri, version, from);
      latencies.push(performance.now() - start);
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    console.log(`file: ${lineCount} lines, ${opened.diagnostics.length} diagnostics; 50 keystrokes, debounce 0 ms`);
    console.log(`didChange -> publishDiagnostics: median ${percentile(sorted, 50).toFixed(1)} ms, p95 ${percentile(sorted, 95).toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms`);
  } finally {
    await lsp.stop();
  }

  // 2. As in the editor: default debounce, a key every 60 ms; what counts is the wait after the last key.
  const typing = await LspHarness.spawn({});
  try {
    await typing.open(uri, text);
    await typing.diagnosticsFor(uri, 1);
    const waits: number[] = [];
    for (let burst = 0; burst < 5; burst++) {
      let version = 0;
      for (let i = 0; i < 10; i++) {
        version = 2 + burst * 10 + i;
        await typing.connection.sendNotification('textDocument/didChange', {
          textDocument: { uri, version },
          contentChanges: [{ range: { start: { line: typingLine, character: 0 }, end: { line: typingLine, character: 0 } }, text: '/' }],
        });
        if (i < 9) await new Promise((r) => setTimeout(r, 60));
      }
      const from = typing.diagnostics.length;
      const start = performance.now();
      await typing.diagnosticsFor(uri, version, from);
      waits.push(performance.now() - start);
    }
    const published = typing.diagnostics.filter((d) => d.uri === uri).length - 1;
    const sorted = [...waits].sort((a, b) => a - b);
    console.log(`typing 5 bursts of 10 keys 60 ms apart, debounce 150 ms: ${published} publishes for 50 edits; last key -> diagnostics median ${percentile(sorted, 50).toFixed(1)} ms, p95 ${percentile(sorted, 95).toFixed(1)} ms`);
  } finally {
    await typing.stop();
  }
}

// `--actions` runs only the code-action part. Either way the server measured is built from the sources now.
execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: repoRoot, stdio: 'inherit' });
(process.argv.includes('--actions') ? codeActionBench() : main().then(codeActionBench)).catch((err) => {
  console.error(err);
  process.exit(1);
});
