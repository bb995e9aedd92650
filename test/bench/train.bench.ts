// Training throughput on MNIST with the backend at hand, and what the per-layer std probe costs.
// Printed figures, not a test:  node --import tsx test/bench/train.bench.ts
// Knobs: BENCH_SAMPLES (default 2048), BENCH_EPOCHS (3), BENCH_PROBE (probe batch size, 64).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBackend } from '../../server/src/trainer/backend';
import { normalizeConfig } from '../../server/src/trainer/config';
import type { TrainerMessage } from '../../contract/protocol';
import { runTraining } from '../../server/src/trainer/train';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 2048);
const EPOCHS = Number(process.env.BENCH_EPOCHS ?? 3);
const PROBE = Number(process.env.BENCH_PROBE ?? 64);

// ResNet-style: stem, a basic block with identity shortcut, a stride-2 block with a 1x1 projection.
const MODEL = `
import * as tf from '@tensorflow/tfjs';
type ST = tf.SymbolicTensor;
const conv = (f: number, s = 1, k = 3) => tf.layers.conv2d({ filters: f, kernelSize: k, strides: s, padding: 'same', useBias: false });
const bn = () => tf.layers.batchNormalization();
const relu = () => tf.layers.reLU();
function block(x: ST, filters: number, stride: number): ST {
  let y = relu().apply(bn().apply(conv(filters, stride).apply(x))) as ST;
  y = bn().apply(conv(filters).apply(y)) as ST;
  const shortcut = stride === 1 ? x : bn().apply(conv(filters, stride, 1).apply(x)) as ST;
  return relu().apply(tf.layers.add().apply([y, shortcut])) as ST;
}
export function resnet(): tf.LayersModel {
  const input = tf.input({ shape: [28, 28, 1] });
  let x = relu().apply(bn().apply(conv(8, 2).apply(input))) as ST;
  x = block(x, 8, 1);
  x = block(x, 16, 2);
  const out = tf.layers.dense({ units: 10, activation: 'softmax' }).apply(tf.layers.globalAveragePooling2d({}).apply(x)) as ST;
  return tf.model({ inputs: input, outputs: out });
}
`;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'skipcheck-bench-'));
  const modelFile = join(dir, 'resnet.ts');
  writeFileSync(modelFile, MODEL);
  const backend = await loadBackend();
  console.log(`backend ${backend.pkg} (${backend.device}), MNIST ${SAMPLES} samples, ${EPOCHS} epochs, batch 32`);
  for (const probeSize of [PROBE, 0]) {
    const started = Date.now();
    const tensors: number[] = [];
    const rates: number[] = [];
    const probeMs: number[] = [];
    let epochAt = 0;
    let params = 0;
    const outcome = await runTraining(normalizeConfig({
      modelFile, workspaceDir: dir, outDir: join(dir, `run-${probeSize}`), dataset: { kind: 'mnist' }, maxSamples: SAMPLES,
      epochs: EPOCHS, probeSize, learningRate: 0.003,
    }), backend, (m: TrainerMessage) => {
      if (m.type === 'start') params = m.model.params;
      if (m.type === 'epoch') { rates.push(m.samplesPerSec); epochAt = performance.now(); }
      if (m.type === 'std') probeMs.push(performance.now() - epochAt);
      if (m.type === 'epoch' || m.type === 'std') tensors.push(backend.tf.memory().numTensors);
      if (m.type === 'error') console.error(m);
    });
    const total = (Date.now() - started) / 1000;
    console.log(`\nprobe ${probeSize ? `on (${probeSize} samples)` : 'off'}: ${outcome}, ${params} params, ${total.toFixed(1)} s total`);
    console.log(`  samples/s per epoch: ${rates.map((r) => r.toFixed(1)).join(', ')}`);
    if (probeMs.length) {
      const avg = probeMs.reduce((a, b) => a + b, 0) / probeMs.length;
      const epochMs = (SAMPLES / (rates.reduce((a, b) => a + b, 0) / rates.length)) * 1000;
      console.log(`  probe: ${avg.toFixed(1)} ms per epoch = ${(100 * avg / epochMs).toFixed(2)}% of an epoch's training time`);
    }
    console.log(`  tensors after each epoch${probeSize ? ' / probe' : ''}: ${tensors.join(', ')} (${new Set(tensors.slice(probeSize ? 2 : 1)).size === 1 ? 'stable' : 'CHANGING: leak?'})`);
  }
  rmSync(dir, { recursive: true, force: true });
}

void main();
