// One `train --distributed N` run, from a TrainConfig to an 'end' or 'error' message: export the model to
// Keras (verified), start N local workers running the generated train_distributed.py under
// MultiWorkerMirroredStrategy, and pass on the chief's metrics.jsonl lines as they are written, so whoever
// drives the run (CLI, VS Code panel) sees the same messages as for a tfjs run.
import { join } from 'node:path';
import { ExportError, exportToKeras } from '../export/exportModel';
import { PythonSetupError } from '../export/kerasPython';
import type { TrainConfig, TrainerMessage } from '../../../contract/protocol';
import { appendMetric, createRunDir, METRICS_FILE, writeFileAtomic } from '../trainer/runDir';
import { toErrorMessage, type CancelToken, type RunOutcome } from '../trainer/train';
import { LineFollower } from './followLines';
import { LocalCluster, type WorkerExit } from './localCluster';

export const EXPORT_SUBDIR = 'export';

export interface DistributedSinks {
  /** A message for the driver (stdout). */
  send(message: TrainerMessage): void;
  /** Progress for people (stderr). */
  log: (line: string) => void;
}

function exportError(err: unknown): Extract<TrainerMessage, { type: 'error' }> {
  if (err instanceof PythonSetupError) {
    return { type: 'error', code: 'backend-failed', message: 'The Python side (TensorFlow, tf-keras, tensorflowjs) is not available.', detail: err.message };
  }
  if (err instanceof ExportError) return { type: 'error', code: 'model-load-failed', message: err.message, detail: err.detail };
  return toErrorMessage(err);
}

export async function runDistributed(config: TrainConfig, sinks: DistributedSinks, cancel: CancelToken): Promise<RunOutcome> {
  const t0 = Date.now();
  const workers = config.distributed?.workers ?? 2;
  const runDir = createRunDir(config);
  writeFileAtomic(join(runDir, 'config.json'), JSON.stringify(config, null, 2) + '\n');
  // Messages of our own (before the workers start or after they stop) go into the run's file too.
  const record = (m: TrainerMessage) => { appendMetric(runDir, m); sinks.send(m); };
  const seconds = () => (Date.now() - t0) / 1000;

  let exported;
  try {
    sinks.log(`Exporting ${config.modelFile} to Keras in ${join(runDir, EXPORT_SUBDIR)} ...`);
    exported = await exportToKeras({ config, outDir: join(runDir, EXPORT_SUBDIR), python: { python: config.distributed?.python }, log: sinks.log });
    sinks.log(`Verified: Keras matches tfjs within ${exported.maxAbsDiff.toExponential(1)} on the probe batch, ${exported.kerasParams} parameters.`);
  } catch (err) {
    record(exportError(err));
    return 'failed';
  }
  if (cancel.cancelled) {
    record({ type: 'end', reason: 'cancelled', runDir, seconds: seconds() });
    return 'cancelled';
  }

  sinks.log(`Starting ${workers} local worker${workers > 1 ? 's' : ''} on 127.0.0.1 (TF_CONFIG lists them all; each gets its own task index) ...`);
  const cluster = await LocalCluster.start({ python: exported.python, script: exported.files.script, args: ['--run-dir', runDir], workers });
  let last: TrainerMessage | undefined;
  const chief = new LineFollower(join(runDir, METRICS_FILE), (line) => {
    let m: TrainerMessage;
    try { m = JSON.parse(line) as TrainerMessage; } catch { return; }
    if (m.type === 'end' || m.type === 'error') last = m;
    sinks.send(m);
  });
  const others = Array.from({ length: workers - 1 }, (_, i) => new LineFollower(join(runDir, 'workers', String(i + 1), METRICS_FILE), (line) => {
    let m: TrainerMessage;
    try { m = JSON.parse(line) as TrainerMessage; } catch { return; }
    if (m.type === 'epoch') sinks.log(`worker ${i + 1}: epoch ${m.epoch}/${m.epochs} loss ${m.loss.toFixed(4)}, ${m.samplesPerSec.toFixed(1)} samples/s`);
    if (m.type === 'error') sinks.log(`worker ${i + 1}: error: ${m.message}`);
  }));
  const watchCancel = setInterval(() => { if (cancel.cancelled) cluster.stop(); }, 200);
  let exits: WorkerExit[];
  try {
    exits = await cluster.exited;
  } finally {
    clearInterval(watchCancel);
    chief.stop();
    others.forEach((f) => f.stop());
  }
  if (last?.type === 'end') return 'completed';
  if (last?.type === 'error') return 'failed';
  if (cancel.cancelled) {
    record({ type: 'end', reason: 'cancelled', runDir, seconds: seconds() });
    return 'cancelled';
  }
  const failed = exits.filter((e) => e.code !== 0);
  record({
    type: 'error', code: 'internal',
    message: failed.length ? `Worker ${failed.map((e) => `${e.index} exited with ${e.signal ?? `code ${e.code}`}`).join(', worker ')} before the run ended.`
      : 'The workers exited without finishing the run.',
    detail: failed.map((e) => `--- worker ${e.index} ---\n${e.stderrTail.trim().split('\n').slice(-15).join('\n')}`).join('\n') || undefined,
  });
  return 'failed';
}
