// Folds a trainer message stream into the compact, JSON-safe picture the panel draws and persists.
import type { TrainerMessage } from './panel';

type Msg<T extends TrainerMessage['type']> = Extract<TrainerMessage, { type: T }>;

export interface BatchPoint {
  /** Position on the epoch axis: 0.5 = half-way through the first epoch. */
  x: number;
  loss: number;
  acc?: number;
}

export interface RunView {
  start?: Msg<'start'>;
  /** 0 or 1, fixed by the first epoch number seen, so both trainer conventions display as "epoch 1". */
  epochBase?: number;
  batches: BatchPoint[];
  epochs: Msg<'epoch'>[];
  std: Msg<'std'>[];
  warnings: string[];
  /** How the trainer runs its steps (one TensorFlow graph, or op by op and why). */
  execution?: Msg<'execution'>;
  error?: Msg<'error'>;
  end?: Msg<'end'>;
  progress?: { epoch: number; batch: number; batches: number };
  /** Wall-clock arrival (ms) of the first batch, for an ETA before the first epoch has finished. */
  firstBatchAt?: number;
  lastBatchAt?: number;
}

/** Batch points kept per run; beyond it neighbours are averaged so a long run stays cheap to draw and persist. */
export const maxBatchPoints = 2000;

export function emptyRun(): RunView {
  return { batches: [], epochs: [], std: [], warnings: [] };
}

/** 1-based epoch number for display. */
export function displayEpoch(run: RunView, epoch: number): number {
  return epoch - (run.epochBase ?? 1) + 1;
}

export function totalEpochs(run: RunView): number | undefined {
  return run.epochs.at(-1)?.epochs ?? run.start?.config.epochs;
}

export function foldRun(messages: readonly TrainerMessage[], keepBatches = true): RunView {
  const run = emptyRun();
  for (const m of messages) {
    if (m.type === 'batch' && !keepBatches) continue;
    applyMessage(run, m);
  }
  return run;
}

/** Mutates `run`; `now` is the arrival time, used only for the ETA. */
export function applyMessage(run: RunView, m: TrainerMessage, now?: number): void {
  switch (m.type) {
    case 'start':
      run.start = m;
      break;
    case 'batch': {
      noteEpoch(run, m.epoch);
      // The trainer counts batches from 1 (batch === batches ends the epoch); clamping keeps other counts sane.
      const fraction = m.batches > 0 ? Math.min(1, Math.max(0, m.batch / m.batches)) : 1;
      run.batches.push({ x: displayEpoch(run, m.epoch) - 1 + fraction, loss: m.loss, acc: m.acc });
      if (run.batches.length > maxBatchPoints) run.batches = halve(run.batches);
      run.progress = { epoch: m.epoch, batch: m.batch, batches: m.batches };
      if (now !== undefined) {
        run.firstBatchAt ??= now;
        run.lastBatchAt = now;
      }
      break;
    }
    case 'epoch':
      noteEpoch(run, m.epoch);
      run.epochs.push(m);
      break;
    case 'std':
      noteEpoch(run, m.epoch);
      run.std.push(m);
      break;
    case 'warning':
      run.warnings.push(m.message);
      break;
    case 'execution':
      run.execution = m;
      break;
    case 'error':
      run.error = m;
      break;
    case 'end':
      run.end = m;
      break;
  }
}

function noteEpoch(run: RunView, epoch: number): void {
  run.epochBase ??= epoch === 0 ? 0 : 1;
}

function halve(points: BatchPoint[]): BatchPoint[] {
  const out: BatchPoint[] = [];
  for (let i = 0; i + 1 < points.length; i += 2) {
    const a = points[i], b = points[i + 1];
    const acc = a.acc !== undefined && b.acc !== undefined ? (a.acc + b.acc) / 2 : b.acc;
    out.push({ x: b.x, loss: (a.loss + b.loss) / 2, acc });
  }
  if (points.length % 2 === 1) out.push(points[points.length - 1]);
  return out;
}

export type RunStatus = 'waiting' | 'running' | 'completed' | 'cancelled' | 'failed';

export function runStatus(run: RunView): RunStatus {
  if (run.error) return 'failed';
  if (run.end) return run.end.reason;
  return run.start || run.batches.length > 0 ? 'running' : 'waiting';
}

/** Fraction of the whole run done, from the latest progress report. */
export function fractionDone(run: RunView): number | undefined {
  const epochs = totalEpochs(run);
  if (!epochs) return undefined;
  if (run.end?.reason === 'completed') return 1;
  const doneEpochs = run.epochs.length ? displayEpoch(run, run.epochs.at(-1)!.epoch) : 0;
  const p = run.progress;
  let fraction = doneEpochs;
  if (p && displayEpoch(run, p.epoch) > doneEpochs && p.batches > 0) {
    fraction = displayEpoch(run, p.epoch) - 1 + Math.min(1, p.batch / p.batches);
  }
  return Math.min(1, fraction / epochs);
}

/**
 * Seconds left: from the trainer's own epoch timings once an epoch has finished (it excludes the
 * model build and probe time), else from the arrival times of batch messages.
 */
export function etaSeconds(run: RunView): number | undefined {
  if (runStatus(run) !== 'running') return undefined;
  const epochs = totalEpochs(run);
  const f = fractionDone(run);
  if (!epochs || f === undefined) return undefined;
  if (run.epochs.length > 0) {
    const perEpoch = run.epochs.reduce((s, e) => s + e.seconds, 0) / run.epochs.length;
    return Math.max(0, (1 - f) * epochs * perEpoch);
  }
  if (run.firstBatchAt === undefined || run.lastBatchAt === undefined || !run.progress) return undefined;
  const p = run.progress;
  const first = run.batches.length ? run.batches[0].x : 0;
  const progressed = f - first / epochs;
  const elapsed = (run.lastBatchAt - run.firstBatchAt) / 1000;
  if (progressed <= 0 || elapsed <= 0 || p.batches <= 0) return undefined;
  return (1 - f) * (elapsed / progressed);
}
