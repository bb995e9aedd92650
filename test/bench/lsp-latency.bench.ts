// Editor latency of the language server: time from a didChange to the publishDiagnostics for that version,
// on a generated ~1000-line ResNet file while "typing" 50 characters into it. Not a mocha test: it prints
// figures. Run: node --import tsx test/bench/lsp-latency.bench.ts  (builds dist/server.js first)
import { execFileSync } from 'node:child_process';
import { analyze } from '../../server/src/analysis';
import { fileUri, LspHarness, repoRoot } from '../lsp/lspHarness';

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

async function main(): Promise<void> {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: repoRoot, stdio: 'inherit' });
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

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
