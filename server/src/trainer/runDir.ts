// The run folder: config.json, metrics.jsonl (every message, one whole line each, so a reader can follow
// a live run and drop a partial last line), and the trained model in tfjs's file format.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type * as tfType from '@tensorflow/tfjs';
import type { Tf } from './datasets/batches';
import type { TrainConfig, TrainerMessage } from '../../../shared/protocol';
import { writeFileAtomic } from '../io/writeFileAtomic';

export const METRICS_FILE = 'metrics.jsonl';
export const MODEL_DIR = 'model';

/** `<outDir>` if given, else `<workspace or cwd>/.skipcheck/runs/<timestamp>`; created. */
export function createRunDir(config: TrainConfig, now = new Date()): string {
  const dir = config.outDir ??
    join(config.workspaceDir ?? process.cwd(), '.skipcheck', 'runs', now.toISOString().replace(/[:.]/g, '-'));
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Readers never see a half-written file (shared with `--fix`). */
export { writeFileAtomic } from '../io/writeFileAtomic';

export function appendMetric(runDir: string, message: TrainerMessage): void {
  // One appendFileSync per line: the line reaches the file in a single write.
  appendFileSync(join(runDir, METRICS_FILE), JSON.stringify(message) + '\n');
}

/**
 * Writes model.json + weights.bin under <runDir>/<folder> (default model) through a save handler rather than `file://`, so
 * it works on the pure-JS backend too and each file lands atomically; the files are the ones tfjs-node's
 * file:// handler writes, loadable with tf.loadLayersModel('file://.../model.json').
 */
export async function saveModel(tf: Tf, model: tfType.LayersModel, runDir: string, folder = MODEL_DIR): Promise<string> {
  const dir = join(runDir, folder);
  mkdirSync(dir, { recursive: true });
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    const weights = artifacts.weightData === undefined ? new ArrayBuffer(0)
      : Array.isArray(artifacts.weightData) ? tf.io.concatenateArrayBuffers(artifacts.weightData) : artifacts.weightData;
    writeFileAtomic(join(dir, 'weights.bin'), new Uint8Array(weights));
    const modelJson = {
      modelTopology: artifacts.modelTopology, format: artifacts.format, generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy, trainingConfig: artifacts.trainingConfig,
      weightsManifest: [{ paths: ['./weights.bin'], weights: artifacts.weightSpecs ?? [] }],
    };
    writeFileAtomic(join(dir, 'model.json'), JSON.stringify(modelJson));
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weights.byteLength } };
  }));
  return join(dir, 'model.json');
}
