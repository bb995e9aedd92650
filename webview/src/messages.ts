// What the panel can be sent: the trainer's own lines, forwarded untouched, plus envelopes the extension adds.
import type { TrainerMessage } from '../../server/src/trainer/protocol';

export type { TrainerMessage };

/** A finished run of the same model and entry, replayed from its metrics.jsonl. */
export interface HistoryRun { label: string; messages: TrainerMessage[] }

export type PanelMessage = TrainerMessage | { type: 'history'; runs: HistoryRun[] };

/** What the panel sends back to the extension. */
export type PanelCommand = { type: 'cancel' } | { type: 'ready' };

const trainerTypes = new Set(['start', 'batch', 'epoch', 'std', 'warning', 'execution', 'end', 'error']);

/** Filters what arrives on window 'message': other frames and extensions may post too. */
export function asPanelMessage(data: unknown): PanelMessage | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const type = (data as { type?: unknown }).type;
  if (type === 'history') return Array.isArray((data as { runs?: unknown }).runs) ? (data as PanelMessage) : undefined;
  return typeof type === 'string' && trainerTypes.has(type) ? (data as PanelMessage) : undefined;
}
