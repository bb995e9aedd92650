// Issue 14's first-run target: a visible loss curve within 60 s of clicking Train, on this 2-core machine, in a
// fresh workspace (no node_modules, so pure-JS tfjs: the quick run the editor offers). The panel draws the
// loss from the first `batch` message and a curve from the second; this times spawn -> the first and second batch
// lines in the run's metrics.jsonl for a ~10,000-parameter ResNet on 28x28 inputs with the editor's default
// settings (10 epochs, batch 64, Adam) and the quick run's 60 s budget.
// Figures, not a test:  node --import tsx test/bench/firstCurve.bench.ts [--rounds 3]
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '../..');
const CLI = path.join(REPO, 'dist', 'cli.js');

const MODEL = `import * as tf from '@tensorflow/tfjs';

function block(x: tf.SymbolicTensor, filters: number): tf.SymbolicTensor {
  let y = tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', useBias: false }).apply(x) as tf.SymbolicTensor;
  y = tf.layers.batchNormalization().apply(y) as tf.SymbolicTensor;
  y = tf.layers.reLU().apply(y) as tf.SymbolicTensor;
  y = tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', useBias: false }).apply(y) as tf.SymbolicTensor;
  y = tf.layers.batchNormalization().apply(y) as tf.SymbolicTensor;
  return tf.layers.reLU().apply(tf.layers.add().apply([y, x])) as tf.SymbolicTensor;
}

export function resnet(): tf.LayersModel {
  const input = tf.input({ shape: [28, 28, 1] });
  let x = tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same' }).apply(input) as tf.SymbolicTensor;
  x = block(block(x, 16), 16);
  x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 10, activation: 'softmax' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}
`;

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

/** Seconds from spawning `skipcheck train` to the first and second batch lines on disk; then the run is stopped. */
async function firstBatches(workspace: string): Promise<{ first: number; second: number; params?: number }> {
  const out = path.join(workspace, 'runs');
  const t0 = performance.now();
  const child = spawn(process.execPath, [CLI, 'train', path.join(workspace, 'model.ts'), '--dataset', 'synthetic', '--epochs', '10',
    '--batch-size', '64', '--optimizer', 'adam', '--time-budget', '60', '--out', out], { cwd: workspace, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  let first: number | undefined;
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { stdout += d.toString(); });
  try {
    for (;;) {
      await new Promise((r) => setTimeout(r, 50));
      if (child.exitCode !== null) throw new Error(`the run ended before its first batch:\n${stdout.slice(-2000)}`);
      if (performance.now() - t0 > 180_000) throw new Error(`no batch within 180 s:\n${stdout.slice(-2000)}`);
      const runs = fs.existsSync(out) ? fs.readdirSync(out) : [];
      const metrics = runs.map((r) => path.join(out, r, 'metrics.jsonl')).find((f) => fs.existsSync(f));
      if (!metrics) continue;
      const lines = fs.readFileSync(metrics, 'utf8').split('\n').filter((l) => l.endsWith('}')).map((l) => JSON.parse(l) as { type: string; model?: { params: number } });
      const batches = lines.filter((l) => l.type === 'batch').length;
      if (batches >= 1) first ??= (performance.now() - t0) / 1000;
      if (batches < 2) continue;
      return { first: first!, second: (performance.now() - t0) / 1000, params: lines.find((l) => l.type === 'start')?.model?.params };
    }
  } finally {
    try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
  }
}

async function main(): Promise<void> {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: npm run build`);
  const rounds = Number(option('--rounds', '3'));
  const firsts: number[] = [];
  const seconds: number[] = [];
  console.log(`first loss point of a quick run on pure-JS tfjs, fresh workspace each round; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  for (let i = 0; i < rounds; i++) {
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'skipcheck-first-'));
    fs.writeFileSync(path.join(ws, 'model.ts'), MODEL);
    try {
      const r = await firstBatches(ws);
      firsts.push(r.first);
      seconds.push(r.second);
      console.log(`  round ${i + 1}: first point ${r.first.toFixed(1)} s, second ${r.second.toFixed(1)} s (${r.params ?? '?'} params)`);
    } finally {
      fs.rmSync(ws, { recursive: true, force: true });
    }
  }
  const fig = (xs: number[]) => `${median(xs).toFixed(1)} s [${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}]`;
  console.log(`spawn -> first loss point ${fig(firsts)}, -> a two-point curve ${fig(seconds)}, over ${rounds} rounds (target 60 s); ` +
    `load average after ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
}

main().catch((err: unknown) => { console.error(err); process.exit(1); });
