// Training speed of the ResNet models on native TensorFlow (tfjs-node set up by `skipcheck setup-native`)
// against pure-JS tfjs and against Keras on the same TensorFlow, same model, batch size and threads.
//   node --import tsx test/bench/native.bench.ts [--threads 2] [--models resnet20,mnist] [--python <exe>] [--rounds 3] [--no-js]
//     [--keras graph,xla,eager]
// Keras runs with --python, $SKIPCHECK_KERAS_PYTHON, or a venv this script makes in ~/.cache/skipcheck-native/venv
// with the tensorflow-cpu wheel of the version tfjs-node was built against (from PyPI, once).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execTool, tail } from '../../server/src/native/exec';
import { ensureNativeRuntime } from '../native/nativeRuntime';
import { runTrainChild } from '../native/runTrainChild';
import type { ModelName } from '../native/residualModels';
import type { RunConfig } from '../native/trainRun';

interface Case { model: ModelName; batchSize: number; nativeSteps: number; jsSteps: number }

// Pure JS needs minutes of CPU per ResNet-20 batch of 32: it gets one timed step.
const CASES: Case[] = [
  { model: 'resnet20', batchSize: 32, nativeSteps: 40, jsSteps: 1 },
  { model: 'mnist', batchSize: 64, nativeSteps: 40, jsSteps: 1 },
];
const LEARNING_RATE = 0.01;

interface Row { model: string; batch: number; runtime: string; samplesPerSec: number; params: number; note?: string }

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** A Python whose TensorFlow is `tfVersion`, with the Keras that wheel brings. */
async function kerasPython(tfVersion: string | undefined): Promise<string> {
  const explicit = option('--python') ?? process.env.SKIPCHECK_KERAS_PYTHON;
  if (explicit) return explicit;
  const venv = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'skipcheck-native/venv');
  const python = path.join(venv, 'bin/python');
  const has = await execTool(python, ['-c', 'import tensorflow as tf, keras; print(tf.__version__)']);
  if (has.code === 0 && (!tfVersion || has.stdout.trim() === tfVersion)) return python;
  const wheel = `tensorflow-cpu==${tfVersion ?? '2.18.0'}`;
  console.log(`Setting up ${venv} with ${wheel} for the Keras comparison ...`);
  if (!fs.existsSync(python)) await execTool('python3', ['-m', 'venv', venv]);
  const pip = await execTool(python, ['-m', 'pip', 'install', '-q', wheel]);
  if (pip.code !== 0) console.log(`  pip install ${wheel} failed:\n${tail(pip.error ?? pip.stderr, 6)}`);
  return python;
}

type KerasMode = 'graph' | 'xla' | 'eager';
const KERAS_MODES: Record<KerasMode, string> = { graph: 'graph (default)', xla: 'XLA', eager: 'eager' };

async function keras(python: string, c: Case, mode: KerasMode, env: NodeJS.ProcessEnv): Promise<Row> {
  const config = { model: c.model, batchSize: c.batchSize, steps: c.nativeSteps, learningRate: LEARNING_RATE, mode };
  const r = await execTool(python, [path.join(__dirname, 'native.bench.py'), JSON.stringify(config)], { env: { ...process.env, ...env } });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  if (r.code !== 0 || !last.startsWith('{')) throw new Error(`Keras run failed (${python}):\n${tail(r.error ?? r.stderr, 6)}`);
  const k = JSON.parse(last) as { samplesPerSec: number; params: number; tfVersion: string; kerasVersion: string };
  return {
    model: c.model, batch: c.batchSize, runtime: `Keras ${k.kerasVersion} ${KERAS_MODES[mode]} (TF ${k.tfVersion})`,
    samplesPerSec: k.samplesPerSec, params: k.params,
  };
}

async function main(): Promise<void> {
  const runtime = await ensureNativeRuntime();
  if (!runtime.ready || !runtime.packageDir) {
    console.log(`Native benchmark skipped: ${runtime.reason}\n${runtime.advice ?? ''}`);
    return;
  }
  const threads = option('--threads') ?? String(os.cpus().length);
  const models = (option('--models') ?? CASES.map((c) => c.model).join(',')).split(',');
  const python = await kerasPython(runtime.setup?.tfVersion);
  // TensorFlow reads these in both tfjs-node and Python, so both sides get the same thread pools.
  const env = { TF_NUM_INTRAOP_THREADS: threads, TF_NUM_INTEROP_THREADS: threads, TF_CPP_MIN_LOG_LEVEL: '2' };
  console.log(`tfjs-node: ${runtime.reason}; threads ${threads}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);

  const rounds = Number(option('--rounds') ?? 3);
  // --keras graph keeps a run under a few minutes: Keras's default mode is the comparison that matters.
  const kerasModes = (option('--keras') ?? Object.keys(KERAS_MODES).join(',')).split(',').filter((m): m is KerasMode => m in KERAS_MODES);
  const rows: Row[] = [];
  const add = (row: Row) => {
    rows.push(row);
    console.log(`  ${row.model} batch ${row.batch}: ${row.runtime} ${row.samplesPerSec.toFixed(1)} samples/s`);
  };
  for (const c of CASES.filter((k) => models.includes(k.model))) {
    const base: Omit<RunConfig, 'runtime' | 'steps'> = { model: c.model, mode: 'bench', samples: c.batchSize, batchSize: c.batchSize, learningRate: LEARNING_RATE };
    // Each fast runtime once per round, interleaved, so that a busy moment of the machine does not land on
    // one of them only; the median round is reported. First what the trainer runs (each step one TensorFlow
    // graph, with TensorFlow's fused BatchNorm and ReluGrad kernels), then eager steps with and without the
    // fused kernels, then Keras.
    const native = (label: string, over: Partial<RunConfig>) => async (): Promise<Row> => {
      const r = await runTrainChild({ ...base, runtime: runtime.packageDir!, steps: c.nativeSteps, ...over }, env);
      if (over.graph !== false && r.execution?.mode !== 'graph') throw new Error(`no graph step: ${r.execution?.message ?? 'graph runner not built'}`);
      return { model: c.model, batch: c.batchSize, runtime: label.replace('$TF', r.tfVersion ?? '?'), samplesPerSec: r.samplesPerSec!, params: r.params };
    };
    const runs: (() => Promise<Row>)[] = [
      native('tfjs-node (TF $TF), graph step + fused kernels', {}),
      native('tfjs-node, eager, fused kernels', { graph: false }),
      native('tfjs-node, eager, tfjs ops only', { graph: false, fused: false }),
      ...kerasModes.map((mode) => () => keras(python, c, mode, env)),
    ];
    const samples: Row[][] = runs.map(() => []);
    for (let round = 0; round < rounds; round++) {
      for (const [i, run] of runs.entries()) {
        try { samples[i].push(await run()); } catch (err) { if (round === 0) console.log(`  skipped: ${(err as Error).message}`); }
      }
    }
    for (const rowsOfRun of samples.filter((s) => s.length)) {
      const sorted = [...rowsOfRun].sort((a, b) => a.samplesPerSec - b.samplesPerSec);
      const median = sorted[Math.floor(sorted.length / 2)];
      add({ ...median, note: `runs ${sorted.map((r) => r.samplesPerSec.toFixed(0)).join('/')}` });
    }
    // Last and without warm-up: one pure-JS step of a batch takes minutes, so its one-off costs are noise.
    if (!process.argv.includes('--no-js')) {
      const js = await runTrainChild({ ...base, runtime: 'js', steps: c.jsSteps, warmup: 0 }, env);
      add({ model: c.model, batch: c.batchSize, runtime: 'pure-JS tfjs (cpu backend)', samplesPerSec: js.samplesPerSec!, params: js.params });
    }
    const params = rows.find((r) => r.model === c.model)?.params;
    for (const row of rows.filter((r) => r.model === c.model && r.params !== params)) {
      row.note = `different model: ${row.params} params vs ${params}`;
    }
  }
  print(rows);
}

function print(rows: Row[]): void {
  console.log(`\n${'model'.padEnd(9)} ${'batch'.padStart(5)}  ${'runtime'.padEnd(48)} ${'samples/s'.padStart(10)}  ${'vs pure JS'.padStart(10)}  ${'vs Keras graph'.padStart(14)}`);
  for (const r of rows) {
    const same = rows.filter((o) => o.model === r.model);
    const js = same.find((o) => o.runtime.startsWith('pure-JS'));
    const graph = same.find((o) => o.runtime.startsWith('Keras') && o.runtime.includes('graph'));
    const ratio = (of?: Row, digits = 2) => (of ? `${(r.samplesPerSec / of.samplesPerSec).toFixed(digits)}x` : '-');
    console.log(
      `${r.model.padEnd(9)} ${String(r.batch).padStart(5)}  ${r.runtime.padEnd(48)} ${r.samplesPerSec.toFixed(r.samplesPerSec < 10 ? 3 : 1).padStart(10)}` +
      `  ${ratio(js, 0).padStart(10)}  ${ratio(graph).padStart(14)}` + (r.note ? `  (${r.note})` : ''),
    );
  }
  console.log(`params: ${[...new Set(rows.map((r) => `${r.model} ${r.params}`))].join(', ')}`);
}

main().catch((err) => { console.error(err); process.exitCode = 1; });
