// The ablation summary above the charts: a table with one row per variant (params, final training and
// validation loss and accuracy, mean response std, samples/s), the one-line reading and what He et al.
// report. Hidden when the view shows a single run.
import { ablationReading, NO_BN_CAPTION, PAPER_CAPTION, variantRow, type VariantRow } from '../../contract/comparison';
import { el } from './dom';
import type { LabelledRun } from './series';
import { overlaySlot, TRAIN_SLOT } from './series';
import { paletteColor, type Theme } from './theme';

const num = (v: number | undefined, digits = 3) => (v === undefined ? '—' : v.toFixed(digits));
const pct = (v: number | undefined) => (v === undefined ? '—' : `${(100 * v).toFixed(1)} %`);

export class ComparisonCard {
  readonly element = el('section', 'sc-comparison');
  private readonly table = document.createElement('table');
  private readonly reading = el('p', 'sc-reading');
  private readonly caption = el('p', 'sc-caption');

  constructor() {
    this.element.id = 'comparison';
    this.element.hidden = true;
    this.element.append(el('h2', '', 'Ablation: the model against its twins'), this.table, this.reading, this.caption);
  }

  /** `finished`: a report, drawn after its runs — one still "running" there was interrupted. */
  update(current: LabelledRun, variants: LabelledRun[], theme: Theme, finished = false): void {
    this.element.hidden = variants.length === 0;
    if (!variants.length) return;
    const rows: [VariantRow, string][] = [
      [variantRow(current.label, current.run), paletteColor(theme, TRAIN_SLOT)],
      ...variants.map((v, i): [VariantRow, string] => [variantRow(v.label, v.run), paletteColor(theme, overlaySlot(i))]),
    ];
    const head = ['variant', 'params', 'epochs', 'train loss', 'train acc', 'val loss', 'val acc', 'mean response std', 'samples/s', 'status'];
    this.table.replaceChildren();
    const hr = this.table.createTHead().insertRow();
    for (const h of head) hr.append(el('th', '', h));
    const body = this.table.createTBody();
    for (const [r, color] of rows) {
      const tr = body.insertRow();
      tr.dataset.variant = r.variant;
      const name = tr.insertCell();
      const swatch = el('span', 'sc-swatch');
      swatch.style.background = color;
      name.append(swatch, document.createTextNode(r.label));
      const cells = [r.params?.toLocaleString('en-US') ?? '—', String(r.epochs), num(r.loss), pct(r.acc), num(r.valLoss), pct(r.valAcc),
        num(r.meanStd), r.samplesPerSec === undefined ? '—' : r.samplesPerSec.toFixed(1), r.error ? `failed: ${r.error}` : finished && r.status === 'running' ? 'interrupted' : r.status];
      for (const c of cells) tr.insertCell().textContent = c;
    }
    this.reading.textContent = ablationReading(current, variants);
    const noBn = variants.some((v) => variantRow(v.label, v.run).variant === 'no-bn');
    this.caption.textContent = PAPER_CAPTION + (noBn ? ` ${NO_BN_CAPTION}` : '');
  }
}
