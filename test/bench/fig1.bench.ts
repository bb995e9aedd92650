// He et al. 2015, Fig. 1 on MNIST: a 20-layer network trained with and without its identity shortcuts, same
// initial weights for shared layers, same data order, same steps (He et al.'s recipe), on native TensorFlow.
// Per seed it runs `skipcheck train examples/mnist-resnet.ts --entry resnet20 --dataset mnist --ablate plain`
// (the residual run and its plain twin, one process each) and prints training loss after the same steps and
// the mean response std; then the spread over the seeds. Figures, not a test:
//   node --import tsx test/bench/fig1.bench.ts [--seeds 1,2,3] [--samples 1500] [--epochs 2] [--entry resnet20] [--parallel 1]
// --parallel 1 (the default here) trains the two variants one after the other: on this 2-core machine two
// TensorFlow processes side by side ran 43–60 samples/s each, one alone 106–173, so in sequence is faster.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execTool, tail } from '../../server/src/native/exec';
import { readRunMessages } from '../../server/src/trainer/report/runRecord';
import { foldRun } from '../../contract/runState';
import { variantRow, type VariantRow } from '../../contract/comparison';
import { ensureNativeRuntime } from '../native/nativeRuntime';

const REPO = path.resolve(__dirname, '../..');

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

/** The run folder (holding metrics.jsonl) the CLI made under `dir`. */
function runFolder(dir: string): string {
  if (fs.existsSync(path.join(dir, 'metrics.jsonl'))) return dir;
  const sub = fs.readdirSync(dir).map((e) => path.join(dir, e)).find((d) => fs.existsSync(path.join(d, 'metrics.jsonl')));
  if (!sub) throw new Error(`no run in ${dir}`);
  return sub;
}

const spread = (xs: number[], digits = 3) => {
  const s = [...xs].sort((a, b) => a - b);
  return `median ${s[Math.floor((s.length - 1) / 2)].toFixed(digits)} [${s[0].toFixed(digits)}–${s.at(-1)!.toFixed(digits)}]`;
};

async function main(): Promise<void> {
  const runtime = await ensureNativeRuntime();
  if (!runtime.ready || !runtime.packageDir) {
    console.log(`Fig. 1 benchmark skipped: ${runtime.reason}`);
    return;
  }
  // The folder whose node_modules holds the set-up tfjs-node: the trainer resolves its backend from there.
  const workspace = path.dirname(path.dirname(path.dirname(runtime.packageDir)));
  const seeds = option('--seeds', '1,2,3').split(',').map(Number);
  const [samples, epochs, entry, parallel] = [option('--samples', '1500'), option('--epochs', '2'), option('--entry', 'resnet20'), option('--parallel', '1')];
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'skipcheck-fig1-'));
  console.log(`${entry} (examples/mnist-resnet.ts) vs its plain twin on ${samples} MNIST digits, ${epochs} epochs, batch 32, He et al.'s recipe; ` +
    `${runtime.reason}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const rows: { seed: number; residual: VariantRow; plain: VariantRow; seconds: number }[] = [];
  for (const seed of seeds) {
    const dir = path.join(out, `seed${seed}`);
    const t0 = Date.now();
    const r = await execTool(process.execPath, [path.join(REPO, 'bin/skipcheck.js'), 'train', path.join(REPO, 'examples/mnist-resnet.ts'),
      '--entry', entry, '--dataset', 'mnist', '--max-samples', samples, '--epochs', epochs, '--seed', String(seed), '--ablate', 'plain', '--parallel', parallel, '--out', dir],
    { cwd: workspace, env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' } });
    if (r.code !== 0) throw new Error(`seed ${seed}: skipcheck train failed (${r.code}):\n${tail(r.stderr || r.stdout, 12)}`);
    const [residual, plain] = ['residual', 'plain'].map((v) => variantRow(v, foldRun(readRunMessages(runFolder(path.join(dir, v))))));
    const row = { seed, residual, plain, seconds: (Date.now() - t0) / 1000 };
    rows.push(row);
    console.log(`seed ${seed}: training loss residual ${residual.loss!.toFixed(4)} / plain ${plain.loss!.toFixed(4)} (plain ${(plain.loss! / residual.loss!).toFixed(2)}x); ` +
      `validation accuracy ${(100 * residual.valAcc!).toFixed(1)} % / ${(100 * plain.valAcc!).toFixed(1)} %; ` +
      `mean response std ${residual.meanStd!.toFixed(3)} / ${plain.meanStd!.toFixed(3)}; ` +
      `${residual.samplesPerSec!.toFixed(0)} / ${plain.samplesPerSec!.toFixed(0)} samples/s; ${row.seconds.toFixed(0)} s`);
  }
  const params = `${rows[0].residual.params!.toLocaleString('en-US')} / ${rows[0].plain.params!.toLocaleString('en-US')} params`;
  console.log(`\n${seeds.length} seeds, ${params}, same steps (${epochs} epochs of ${samples} samples minus validation):`);
  console.log(`  training loss, residual: ${spread(rows.map((r) => r.residual.loss!))}`);
  console.log(`  training loss, plain:    ${spread(rows.map((r) => r.plain.loss!))}`);
  console.log(`  plain / residual loss:   ${spread(rows.map((r) => r.plain.loss! / r.residual.loss!), 2)}; plain higher in ${rows.filter((r) => r.plain.loss! > r.residual.loss!).length} of ${rows.length}`);
  console.log(`  validation accuracy, residual / plain: ${spread(rows.map((r) => 100 * r.residual.valAcc!), 1)} % / ${spread(rows.map((r) => 100 * r.plain.valAcc!), 1)} %`);
  console.log(`  mean response std, residual / plain: ${spread(rows.map((r) => r.residual.meanStd!))} / ${spread(rows.map((r) => r.plain.meanStd!))}`);
  console.log(`  load average after: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  fs.rmSync(out, { recursive: true, force: true });
}

main().catch((err) => { console.error(err); process.exitCode = 1; });
