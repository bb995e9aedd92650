// Model files and configs the trainer tests write into a temporary folder (the trainer loads real files).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalizeConfig } from '../../server/src/trainer/config';
import type { TrainConfig, TrainerMessage } from '../../contract/protocol';

export function tempDir(prefix = 'skipcheck-train-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A conv stem (BN, ReLU), one basic residual block with identity shortcut, GAP, softmax. */
export const RESIDUAL_MODEL = (shape: number[], classes: number, filters = 4) => `
import * as tf from '@tensorflow/tfjs';
const conv = (f: number, s = 1) => tf.layers.conv2d({ filters: f, kernelSize: 3, strides: s, padding: 'same', useBias: false });
export function buildModel(): tf.LayersModel {
  const input = tf.input({ shape: ${JSON.stringify(shape)} });
  let x = conv(${filters}, 2).apply(input) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ name: 'stem_bn' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.reLU().apply(x) as tf.SymbolicTensor;
  let y = conv(${filters}).apply(x) as tf.SymbolicTensor;
  y = tf.layers.batchNormalization({ name: 'b1_bn1' }).apply(y) as tf.SymbolicTensor;
  y = tf.layers.reLU().apply(y) as tf.SymbolicTensor;
  y = conv(${filters}).apply(y) as tf.SymbolicTensor;
  y = tf.layers.batchNormalization({ name: 'b1_bn2' }).apply(y) as tf.SymbolicTensor;
  x = tf.layers.add({ name: 'b1_add' }).apply([x, y]) as tf.SymbolicTensor;
  x = tf.layers.reLU().apply(x) as tf.SymbolicTensor;
  x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: ${classes}, activation: 'softmax' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}
`;

export function writeModel(dir: string, source: string, name = 'model.ts'): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, source);
  return file;
}

export function config(modelFile: string, dir: string, over: Partial<TrainConfig> = {}): TrainConfig {
  return normalizeConfig({
    modelFile, workspaceDir: dir, outDir: join(dir, 'run'), epochs: 2, batchSize: 32, learningRate: 0.01,
    dataset: { kind: 'synthetic', samples: 160 }, probeSize: 16, ...over,
  });
}

export function ofType<T extends TrainerMessage['type']>(messages: TrainerMessage[], type: T): Extract<TrainerMessage, { type: T }>[] {
  return messages.filter((m): m is Extract<TrainerMessage, { type: T }> => m.type === type);
}
