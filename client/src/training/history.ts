// Earlier runs of the same model file and entry, read back from .skipcheck/runs/<run>/{config.json,metrics.jsonl}
// so the panel can overlay them (e.g. the plain and the residual variant of a network).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DatasetSpec, TrainConfig, TrainerMessage } from '../../../contract/protocol';
import type { HistoryRun } from '../../../contract/panel';
import { parseMetricLines } from '../../../contract/metrics';

export interface HistoryQuery {
  workspaceDir: string;
  modelFile: string;
  entry: string;
  /** The run being shown live, when it already has a folder. */
  excludeRunDir?: string;
  /** Most recent runs kept; the overlay gets unreadable beyond a few. */
  limit?: number;
  /** Only runs on this dataset are comparable (losses on MNIST and on synthetic data share no scale). */
  dataset?: DatasetSpec;
}

/** Same kind and, for files and folders, the same data. */
export function sameDataset(a: DatasetSpec | undefined, b: DatasetSpec | undefined): boolean {
  if (!a || !b || a.kind !== b.kind) return false;
  if (a.kind === 'synthetic' && b.kind === 'synthetic') return (a.samples ?? 0) === (b.samples ?? 0);
  return JSON.stringify(a) === JSON.stringify(b);
}

export function runsDir(workspaceDir: string): string {
  return join(workspaceDir, '.skipcheck', 'runs');
}

function samePath(a: string, b: string): boolean {
  const norm = (p: string) => (process.platform === 'win32' ? resolve(p).toLowerCase() : resolve(p));
  return norm(a) === norm(b);
}

function readConfig(dir: string): TrainConfig | undefined {
  try {
    const value = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Partial<TrainConfig>;
    return typeof value.modelFile === 'string' && typeof value.entry === 'string' ? (value as TrainConfig) : undefined;
  } catch {
    return undefined;
  }
}

/** Whole lines only: a run still being written may end in a partial line. */
export function readMetrics(file: string): TrainerMessage[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return parseMetricLines(text);
}

/**
 * "11-20 10:15 · mnist 900 samples · 3 epochs · residual, 9 blocks": when it ran, on what, how long, and
 * which variant it was.
 */
export function runLabel(dirName: string, messages: readonly TrainerMessage[]): string {
  const when = /^\d{4}-(\d\d-\d\d)T(\d\d)-(\d\d)/.exec(dirName);
  const time = when ? `${when[1]} ${when[2]}:${when[3]}` : dirName;
  let blocks: number | undefined;
  let epochs = 0;
  let data = '';
  for (const m of messages) {
    if (m.type === 'std') blocks = m.blocks.length;
    if (m.type === 'epoch') epochs++;
    if (m.type === 'start') data = ` · ${m.dataset.name} ${m.dataset.train} samples`;
  }
  const variant = blocks === undefined ? '' : blocks === 0 ? ' · plain' : ` · residual, ${blocks} blocks`;
  return `${time}${data}${epochs ? ` · ${epochs} epoch${epochs > 1 ? 's' : ''}` : ''}${variant}`;
}

export function loadHistory(q: HistoryQuery): HistoryRun[] {
  const root = runsDir(q.workspaceDir);
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return [];
  }
  const candidates: { name: string; dir: string; mtime: number }[] = [];
  for (const name of names) {
    const dir = join(root, name);
    if (q.excludeRunDir && samePath(dir, q.excludeRunDir)) continue;
    const config = readConfig(dir);
    if (!config || config.entry !== q.entry || !samePath(config.modelFile, q.modelFile)) continue;
    if (q.dataset && !sameDataset(config.dataset, q.dataset)) continue;
    let mtime: number;
    try { mtime = statSync(dir).mtimeMs; } catch { continue; } // removed meanwhile
    candidates.push({ name, dir, mtime });
  }
  candidates.sort((a, b) => b.mtime - a.mtime || b.name.localeCompare(a.name));
  const runs: HistoryRun[] = [];
  for (const c of candidates) {
    if (runs.length >= (q.limit ?? 3)) break;
    const messages = readMetrics(join(c.dir, 'metrics.jsonl'));
    // A run that never finished an epoch has nothing to compare.
    if (!messages.some((m) => m.type === 'epoch' || m.type === 'std')) continue;
    runs.push({ label: runLabel(c.name, messages), messages });
  }
  return runs;
}
