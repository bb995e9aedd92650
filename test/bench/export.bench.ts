// Throughput of the generated train_distributed.py under MultiWorkerMirroredStrategy: 2 local workers vs 1
// (same script, same TF_CONFIG code path), on a small ResNet over synthetic 16x16x3 data, global batch 64.
// Rounds are interleaved (the machine is shared); each figure is the chief's samples/s of the second epoch
// (the first includes tracing). Prints median [min–max].
//   node --import tsx test/bench/export.bench.ts [--rounds 3] [--samples 1024]
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { LocalCluster } from '../../server/src/distributed/localCluster';
import { exportToKeras } from '../../server/src/export/exportModel';
import { normalizeConfig } from '../../server/src/trainer/config';
import type { TrainerMessage } from '../../contract/protocol';
import { parseMetricLines } from '../../contract/metrics';

const MODEL = `
import * as tf from '@tensorflow/tfjs';
function convBn(x: tf.SymbolicTensor, filters: number, strides = 1): tf.SymbolicTensor {
  const c = tf.layers.conv2d({ filters, kernelSize: 3, strides, padding: 'same', useBias: false }).apply(x) as tf.SymbolicTensor;
  return tf.layers.batchNormalization().apply(c) as tf.SymbolicTensor;
}
function block(x: tf.SymbolicTensor, filters: number): tf.SymbolicTensor {
  const h = tf.layers.reLU().apply(convBn(x, filters)) as tf.SymbolicTensor;
  return tf.layers.reLU().apply(tf.layers.add().apply([convBn(h, filters), x])) as tf.SymbolicTensor;
}
export function benchResNet(): tf.LayersModel {
  const input = tf.input({ shape: [16, 16, 3] });
  let x = tf.layers.reLU().apply(convBn(input, 16)) as tf.SymbolicTensor;
  x = block(block(x, 16), 16);
  x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: tf.layers.dense({ units: 10, activation: 'softmax' }).apply(x) as tf.SymbolicTensor });
}
`;

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

function spread(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  return `${s[Math.floor(s.length / 2)].toFixed(0)} [${s[0].toFixed(0)}–${s[s.length - 1].toFixed(0)}]`;
}

async function main(): Promise<void> {
  const rounds = option('--rounds', 3);
  const samples = option('--samples', 1024);
  const dir = mkdtempSync(join(os.tmpdir(), 'skipcheck-bench-export-'));
  writeFileSync(join(dir, 'model.ts'), MODEL);
  const config = normalizeConfig({
    modelFile: join(dir, 'model.ts'), workspaceDir: dir, epochs: 2, batchSize: 64, learningRate: 0.01,
    dataset: { kind: 'synthetic', samples }, probeSize: 0, validationSplit: 0,
  });
  let exported;
  try {
    exported = await exportToKeras({ config, outDir: join(dir, 'export'), backend: { tf, pkg: '@tensorflow/tfjs', attempts: [], device: 'cpu' }, log: console.log });
  } catch (err) {
    console.log(`Export benchmark skipped: ${(err as Error).message}`);
    return;
  }
  console.log(`${exported.params} params, ${samples} synthetic samples, global batch 64, ${os.cpus().length} cores, ` +
    `TensorFlow ${exported.tfVersion}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const figures: Record<number, number[]> = { 1: [], 2: [] };
  for (let r = 0; r < rounds; r++) {
    for (const workers of [1, 2]) {
      const runDir = join(dir, `run-${r}-${workers}`);
      const cluster = await LocalCluster.start({ python: exported.python, script: exported.files.script, args: ['--run-dir', runDir], workers });
      const exits = await cluster.exited;
      const messages: TrainerMessage[] = parseMetricLines(readFileSync(join(runDir, 'metrics.jsonl'), 'utf8'));
      const epoch = messages.filter((m) => m.type === 'epoch').at(-1);
      if (!epoch || epoch.type !== 'epoch' || exits.some((e) => e.code !== 0)) {
        console.log(`  round ${r + 1}, ${workers} worker(s) failed: ${exits.map((e) => e.stderrTail.split('\n').slice(-3).join(' ')).join(' | ')}`);
        continue;
      }
      figures[workers].push(epoch.samplesPerSec);
      console.log(`  round ${r + 1}: ${workers} worker${workers > 1 ? 's' : ''} ${epoch.samplesPerSec.toFixed(1)} samples/s`);
    }
  }
  if (!figures[1].length || !figures[2].length) return;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`\nsamples/s, median of ${rounds} [min–max]: 1 worker ${spread(figures[1])}; 2 local workers ${spread(figures[2])} ` +
    `(${(median(figures[2]) / median(figures[1])).toFixed(2)}x)`);
}

void main();
