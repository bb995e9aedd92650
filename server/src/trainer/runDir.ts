// The run folder: config.json, metrics.jsonl (every message, one whole line each, so a reader can follow
// a live run and drop a partial last line), the trained model in tfjs's file format, and complete.json,
// written last (atomically) once the model is saved: a folder without it is a run that failed or is still
// going. Every run gets a folder of its own, also under a reused --out.
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import type * as tfType from '@tensorflow/tfjs';
import type { Tf } from './datasets/batches';
import type { TrainConfig, TrainerMessage } from '../../../contract/protocol';
import { writeFileAtomic } from '../io/writeFileAtomic';

export const METRICS_FILE = 'metrics.jsonl';
export const MODEL_DIR = 'model';
export const COMPLETE_FILE = 'complete.json';

/**
 * `<outDir>` if given, else a new `<runsDir or workspace/.skipcheck/runs>/<timestamp>` (with a suffix when
 * two runs start in the same millisecond); created. Never an existing folder except an explicit outDir.
 */
export function createRunDir(config: TrainConfig, now = new Date()): string {
  if (config.outDir) {
    mkdirSync(config.outDir, { recursive: true });
    ignoreSkipcheckFolder(config.outDir);
    return config.outDir;
  }
  const parent = config.runsDir ?? join(config.workspaceDir ?? process.cwd(), '.skipcheck', 'runs');
  mkdirSync(parent, { recursive: true });
  ignoreSkipcheckFolder(parent);
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  for (let i = 1; ; i++) {
    const dir = join(parent, i === 1 ? stamp : `${stamp}-${i}`);
    try {
      mkdirSync(dir);
      return dir;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || i > 1000) throw err;
    }
  }
}

/** The last file of a run: its outcome, once the model is on disk. */
export function markComplete(runDir: string, outcome: 'completed' | 'cancelled', seconds: number): void {
  writeFileAtomic(join(runDir, COMPLETE_FILE), JSON.stringify({ outcome, seconds, model: `${MODEL_DIR}/model.json` }, null, 2) + '\n');
}

/**
 * Runs hold models and metrics nobody wants committed: the `.skipcheck` folder a run lands in gets its own
 * `.gitignore` ignoring everything, so no change to the user's own .gitignore is needed.
 */
export function ignoreSkipcheckFolder(runDir: string): void {
  const parts = runDir.split(sep);
  const at = parts.lastIndexOf('.skipcheck');
  if (at < 0) return;
  const folder = parts.slice(0, at + 1).join(sep) || sep;
  const file = join(folder, '.gitignore');
  if (!existsSync(file) && existsSync(dirname(file))) {
    try { writeFileAtomic(file, '# Skipcheck training runs (models, metrics, reports): not for version control.\n*\n'); } catch { /* read-only: runs still work */ }
  }
}

/** Readers never see a half-written file (shared with `--fix`). */
export { writeFileAtomic } from '../io/writeFileAtomic';

export function appendMetric(runDir: string, message: TrainerMessage): void {
  // One appendFileSync per line: the line reaches the file in a single write.
  appendFileSync(join(runDir, METRICS_FILE), JSON.stringify(message) + '\n');
}

/**
 * metrics.jsonl for one run. A failed append (full disk) may leave a partial line, which readers skip; the
 * log then stops (a later line would be glued to the partial one) and says so once, and training goes on.
 */
export class MetricsLog {
  private failed = false;
  constructor(private readonly runDir: string) {}

  /** Appends; returns a warning the first time the file cannot be written. */
  append(message: TrainerMessage): TrainerMessage | undefined {
    if (this.failed) return undefined;
    try {
      appendMetric(this.runDir, message);
      return undefined;
    } catch (err) {
      this.failed = true;
      const e = err as NodeJS.ErrnoException;
      return { type: 'warning', message: `${join(this.runDir, METRICS_FILE)} could not be written (${e.code ?? e.message}): the run folder will not hold this run's metrics from here on; training goes on.` };
    }
  }
}

/**
 * Writes model.json + weights.bin under <runDir>/<folder> (default model) through a save handler rather than `file://`, so
 * it works on the pure-JS backend too and each file lands atomically; the files are the ones tfjs-node's
 * file:// handler writes, loadable with tf.loadLayersModel('file://.../model.json').
 */
export async function saveModel(tf: Tf, model: tfType.LayersModel, runDir: string, folder = MODEL_DIR): Promise<string> {
  const dir = join(runDir, folder);
  mkdirSync(dir, { recursive: true });
  await model.save(tf.io.withSaveHandler((artifacts) => {
    const weights = artifacts.weightData === undefined ? new ArrayBuffer(0)
      : Array.isArray(artifacts.weightData) ? tf.io.concatenateArrayBuffers(artifacts.weightData) : artifacts.weightData;
    writeFileAtomic(join(dir, 'weights.bin'), new Uint8Array(weights));
    const modelJson = {
      modelTopology: artifacts.modelTopology, format: artifacts.format, generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy, trainingConfig: artifacts.trainingConfig,
      weightsManifest: [{ paths: ['./weights.bin'], weights: artifacts.weightSpecs ?? [] }],
    };
    writeFileAtomic(join(dir, 'model.json'), JSON.stringify(modelJson));
    return Promise.resolve({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' as const, weightDataBytes: weights.byteLength } });
  }));
  return join(dir, 'model.json');
}
