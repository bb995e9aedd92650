// A run read back from its metrics.jsonl (parsed by contract/metrics.ts), grouped by message type.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseMetricLines } from '../../../../contract/metrics';
import type { TrainerMessage } from '../../../../contract/protocol';
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
