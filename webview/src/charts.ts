// Public drawing API, independent of VS Code: the live panel uses it, and so does the stand-alone report
// that `skipcheck train` writes (see reportHtml.ts for how that page is assembled).
import type { HistoryRun, TrainerMessage } from '../../contract/panel';
import { TrainingView } from './view';

export { TrainingView } from './view';
export type { ViewOptions, ViewState } from './view';
export type { HistoryRun, PanelMessage, TrainerMessage } from '../../contract/panel';

export interface ReportOptions {
  /** Earlier runs of the same model, drawn as overlays. */
  history?: HistoryRun[];
  /** Ablation variants: drawn as overlays with the comparison table above the charts. */
  variants?: HistoryRun[];
}

/** Draws a finished (or partial) run into `root`, synchronously. */
export function renderReport(root: HTMLElement, messages: readonly TrainerMessage[], options: ReportOptions = {}): TrainingView {
  const view = new TrainingView(root, { live: false });
  for (const m of messages) view.receive(m);
  if (options.history?.length) view.receive({ type: 'history', runs: options.history });
  if (options.variants?.length) view.receive({ type: 'variants', runs: options.variants });
  view.renderNow();
  return view;
}
