// End to end on MNIST with native TensorFlow: a whole `skipcheck train` run (the trainer: graph steps, fused
// kernels, per-batch progress, validation, response-std probe) against tfjs-node's own `model.fit` on the same
// model, samples, split, batch size and optimizer (Adam 1e-3, accuracy) — what a user would otherwise write.
// Rounds interleaved; training samples/s is the median over epochs after the first. Figures, not a test:
//   node --import tsx test/bench/fit.bench.ts [--samples 4000] [--epochs 3] [--rounds 3]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execTool, tail } from '../../server/src/native/exec';
import { readRunMessages } from '../../server/src/trainer/report/runRecord';
import { ensureNativeRuntime } from '../native/nativeRuntime';

const REPO = path.resolve(__dirname, '../..');

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const spread = (xs: number[], digits = 0) => `${median(xs).toFixed(digits)} [${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}]`;

async function main(): Promise<void> {
  const runtime = await ensureNativeRuntime();
  if (!runtime.ready || !runtime.packageDir) {
    console.log(`End-to-end benchmark skipped: ${runtime.reason}`);
    return;
  }
  const workspace = path.dirname(path.dirname(path.dirname(runtime.packageDir)));
  const [samples, epochs, rounds] = [option('--samples', '4000'), option('--epochs', '3'), Number(option('--rounds', '3'))];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skipcheck-fit-'));
  // The same model for both sides: the trainer bundles this file, tfjs imports pointed at its tfjs-node.
  const modelFile = path.join(dir, 'model.ts');
  fs.writeFileSync(modelFile, `import * as tf from '@tensorflow/tfjs';\nimport { buildResidualModel } from ${JSON.stringify(path.join(REPO, 'test/native/residualModels'))};\n` +
    'export function mnist(): tf.LayersModel { return buildResidualModel(tf as never, \'mnist\'); }\n');
  const env = { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' };
  console.log(`MNIST ${samples} samples (10 % validation), ${epochs} epochs, batch 32, Adam 1e-3 + accuracy; ${runtime.reason}; ` +
    `load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const trainer = { rate: [] as number[], wall: [] as number[] };
  const fit = { rate: [] as number[], wall: [] as number[] };
  for (let round = 0; round < rounds; round++) {
    let t0 = Date.now();
    const out = path.join(dir, `run${round}`);
    const r = await execTool(process.execPath, [path.join(REPO, 'bin/skipcheck.js'), 'train', modelFile, '--dataset', 'mnist', '--max-samples', samples,
      '--epochs', epochs, '--optimizer', 'adam', '--lr', '0.001', '--seed', '42', '--out', out], { cwd: workspace, env });
    if (r.code !== 0) throw new Error(`skipcheck train failed:\n${tail(r.stderr || r.stdout, 10)}`);
    trainer.wall.push((Date.now() - t0) / 1000);
    const run = fs.readdirSync(out).map((e) => path.join(out, e)).find((d) => fs.existsSync(path.join(d, 'metrics.jsonl')))!;
    const messages = readRunMessages(run);
    const start = messages.find((m) => m.type === 'start');
    if (start?.type !== 'start' || start.backend !== '@tensorflow/tfjs-node') throw new Error(`the trainer ran on ${start?.type === 'start' ? start.backend : '?'}`);
    const rates = messages.flatMap((m) => (m.type === 'epoch' ? [m.samplesPerSec] : []));
    trainer.rate.push(median(rates.slice(1)));
    t0 = Date.now();
    const f = await execTool(process.execPath, ['--import', 'tsx', path.join(__dirname, 'fitRun.ts'), runtime.packageDir, samples, epochs, '42'], { cwd: REPO, env });
    const last = f.stdout.trim().split('\n').pop() ?? '';
    if (f.code !== 0 || !last.startsWith('{')) throw new Error(`model.fit child failed:\n${tail(f.stderr, 10)}`);
    const fr = JSON.parse(last) as { rates: number[]; seconds: number; backend: string };
    fit.wall.push((Date.now() - t0) / 1000);
    fit.rate.push(median(fr.rates.slice(1)));
    console.log(`round ${round + 1}: trainer ${trainer.rate.at(-1)!.toFixed(0)} samples/s, run ${trainer.wall.at(-1)!.toFixed(1)} s; ` +
      `model.fit (${fr.backend}) ${fit.rate.at(-1)!.toFixed(0)} samples/s, fit() ${fr.seconds.toFixed(1)} s, process ${fit.wall.at(-1)!.toFixed(1)} s`);
  }
  console.log(`\ntraining samples/s, median [min–max] of ${rounds} rounds: trainer ${spread(trainer.rate)} vs model.fit ${spread(fit.rate)}: ` +
    `${(median(trainer.rate) / median(fit.rate)).toFixed(2)}x (per round ${trainer.rate.map((t, i) => (t / fit.rate[i]).toFixed(2)).join(' / ')})`);
  console.log(`whole process, seconds: skipcheck train ${spread(trainer.wall, 1)} (includes bundling the model file, the response-std probe, the t10k test set, saving the model and report.html) vs model.fit script ${spread(fit.wall, 1)}`);
  console.log(`load average after: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((err) => { console.error(err); process.exitCode = 1; });
