// The extension <-> panel (webview) messages: the trainer's own lines, forwarded untouched, plus envelopes the
// extension adds, and the panel's commands back.
import { isTrainerMessage, type TrainerMessage } from './protocol';

export type { TrainerMessage };

/** A finished run of the same model and entry, replayed from its metrics.jsonl. */
export interface HistoryRun { label: string; messages: TrainerMessage[] }

export type PanelMessage =
  | TrainerMessage
  | { type: 'history'; runs: HistoryRun[] }
  /** Finished ablation variants compared with the run (the comparison report). */
  | { type: 'variants'; runs: HistoryRun[] }
  /** A live message of one ablation variant trained next to the run (the panel of an ablation). */
  /** `primary`: the label of the panel's own run when it is not "residual" (a depth sweep: "resnet-20"). */
  | { type: 'variant'; label: string; message: TrainerMessage; primary?: string }
  /** A new run starts in this panel (one panel per model file and entry): forget the previous one. */
  | { type: 'reset' };

/** What the panel sends back to the extension. */
export type PanelCommand =
  | { type: 'cancel' }
  | { type: 'ready' }
  /** Reveal a layer's source line (the layer names in the charts are links). */
  | { type: 'reveal-layer'; layer: string }
  /** Train the plain twin next to this model and compare (the panel's ablation button). */
  | { type: 'compare-plain' };

/** Filters what arrives on window 'message': other frames and extensions may post too. */
export function asPanelMessage(data: unknown): PanelMessage | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const type = (data as { type?: unknown }).type;
  if (type === 'history' || type === 'variants') return Array.isArray((data as { runs?: unknown }).runs) ? (data as PanelMessage) : undefined;
  if (type === 'reset') return { type: 'reset' };
  if (type === 'variant') {
    const v = data as { label?: unknown; message?: unknown };
    return typeof v.label === 'string' && asPanelMessage(v.message) && (v.message as { type: string }).type !== 'variant' ? (data as PanelMessage) : undefined;
  }
  return isTrainerMessage(data) ? data : undefined;
}
