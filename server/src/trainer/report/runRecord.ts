// A run read back from its metrics.jsonl, grouped by message type. Tolerates a run still being written:
// a partial last line (no newline yet) is skipped, as are lines that are not JSON or not whole messages.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isTrainerMessage, type TrainerMessage } from '../protocol';
import { METRICS_FILE } from '../runDir';

type Of<T extends TrainerMessage['type']> = Extract<TrainerMessage, { type: T }>;

export interface RunRecord {
  start?: Of<'start'>;
  batches: Of<'batch'>[];
  epochs: Of<'epoch'>[];
  std: Of<'std'>[];
  warnings: string[];
  execution?: Of<'execution'>;
  end?: Of<'end'>;
  error?: Of<'error'>;
}

export function parseMetricLines(text: string): TrainerMessage[] {
  const lines = text.split('\n');
  lines.pop(); // complete lines end with '\n': the last piece is empty or still being written
  const messages: TrainerMessage[] = [];
  for (const line of lines) {
    try {
      const value: unknown = JSON.parse(line);
      if (isTrainerMessage(value)) messages.push(value);
    } catch { /* not JSON: a damaged line */ }
  }
  return messages;
}

export function groupMessages(messages: readonly TrainerMessage[]): RunRecord {
  const record: RunRecord = { batches: [], epochs: [], std: [], warnings: [] };
  for (const m of messages) {
    switch (m.type) {
      case 'start': record.start = m; break;
      case 'batch': record.batches.push(m); break;
      case 'epoch': record.epochs.push(m); break;
      case 'std': record.std.push(m); break;
      case 'warning': record.warnings.push(m.message); break;
      case 'execution': record.execution = m; break;
      case 'end': record.end = m; break;
      case 'error': record.error = m; break;
    }
  }
  return record;
}

export function readRunMessages(runDir: string): TrainerMessage[] {
  return parseMetricLines(readFileSync(join(runDir, METRICS_FILE), 'utf8'));
}
