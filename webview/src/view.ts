// The whole training view (header + charts) over one run and its history. Used by the VS Code panel and by
// the stand-alone HTML report; the host decides whether it is live.
import { ChartBoard } from './chartBoard';
import { ComparisonCard } from './comparisonCard';
import { el } from './dom';
import { Header } from './header';
import type { PanelMessage } from '../../contract/panel';
import { applyMessage, emptyRun, foldRun, type RunView } from '../../contract/runState';
import type { LabelledRun } from './series';
import { readTheme, watchTheme } from './theme';

export interface ViewState {
  version: 1;
  run: RunView;
  history: LabelledRun[];
  /** Ablation variants trained next to the run (live or finished); absent in states saved before ablations. */
  variants?: LabelledRun[];
  /** Label of the run itself when variants are shown ('residual'). */
  label?: string;
  logLoss: boolean;
}

export interface ViewOptions {
  /** A trainer process is attached (Stop is offered). */
  live: boolean;
  /** Restored after a reload of VS Code: show the last state, marked as not live. */
  restored?: boolean;
  onStop?: () => void;
  onStateChange?: (state: ViewState) => void;
  /** Layer names become links that call this (the panel reveals the layer's source line). */
  onRevealLayer?: (layer: string) => void;
  /** The panel's "Compare with plain network" button (a live panel whose host can start runs). */
  onComparePlain?: () => void;
}

export function isViewState(value: unknown): value is ViewState {
  return typeof value === 'object' && value !== null && (value as ViewState).version === 1 && typeof (value as ViewState).run === 'object';
}

export class TrainingView {
  private state: ViewState = { version: 1, run: emptyRun(), history: [], logLoss: false };
  private readonly header: Header;
  private readonly comparison = new ComparisonCard();
  private readonly board: ChartBoard;
  private frame = 0;
  private readonly disposers: (() => void)[] = [];

  constructor(readonly root: HTMLElement, private readonly options: ViewOptions) {
    this.header = new Header(options.onStop, options.onComparePlain);
    this.board = new ChartBoard((log) => {
      this.state.logLoss = log;
      this.changed();
    }, options.onRevealLayer);
    const main = el('main', 'sc-view');
    main.append(this.header.element, this.comparison.element, this.board.element);
    root.replaceChildren(main);
    root.classList.add('skipcheck-training');
    if (typeof ResizeObserver !== 'undefined') {
      const observer = new ResizeObserver(() => this.board.resize());
      observer.observe(this.board.element);
      this.disposers.push(() => observer.disconnect());
    }
    this.disposers.push(watchTheme(() => this.scheduleRender()));
  }

  get current(): ViewState {
    return this.state;
  }

  load(state: ViewState): void {
    this.state = state;
    this.renderNow();
  }

  receive(message: PanelMessage, now = Date.now()): void {
    if (message.type === 'reset') {
      this.state = { version: 1, run: emptyRun(), history: [], logLoss: this.state.logLoss };
    } else if (message.type === 'history') {
      this.state.history = message.runs.map((r) => ({ label: r.label, run: foldRun(r.messages, false) }));
    } else if (message.type === 'variants') {
      this.state.variants = message.runs.map((r) => ({ label: r.label, run: foldRun(r.messages, false) }));
      this.state.label ??= 'residual';
    } else if (message.type === 'variant') {
      const variants = (this.state.variants ??= []);
      let v = variants.find((x) => x.label === message.label);
      if (!v) variants.push((v = { label: message.label, run: emptyRun() }));
      // Batches of a variant are not drawn (its epochs are): keep the persisted state small.
      if (message.message.type !== 'batch') applyMessage(v.run, message.message, now);
      this.state.label = typeof message.primary === 'string' ? message.primary : this.state.label ?? 'residual';
    } else {
      applyMessage(this.state.run, message, now);
    }
    this.changed();
  }

  /** Draws synchronously; the report and tests use it, the live panel batches through scheduleRender. */
  renderNow(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    const variants = this.state.variants ?? [];
    const label = variants.length ? this.state.label ?? 'residual' : this.state.run.start?.model.name ?? 'this run';
    const theme = readTheme(this.root);
    this.header.update(this.state.run, { live: this.options.live, restored: this.options.restored ?? false, comparing: variants.length > 0 });
    this.comparison.update({ label, run: this.state.run }, variants, theme, !this.options.live && !this.options.restored);
    // An ablation compares its variants; earlier runs would only crowd the charts then.
    const overlays = variants.length ? variants : this.state.history;
    this.board.render({ label, run: this.state.run }, overlays, theme, this.state.logLoss, variants.length > 0);
  }

  scheduleRender(): void {
    if (!this.frame) this.frame = requestAnimationFrame(() => this.renderNow());
  }

  dispose(): void {
    for (const d of this.disposers) d();
    this.board.destroy();
  }

  private changed(): void {
    this.options.onStateChange?.(this.state);
    this.scheduleRender();
  }
}
