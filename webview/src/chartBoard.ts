// The grid of training charts: loss, accuracy, throughput, the per-layer response std twice (He et al. 2015,
// Fig. 7) and the signal-propagation plot (Brock et al. 2021). Knows nothing of VS Code.
import { ChartCard } from './chartCard';
import { el } from './dom';
import { displayEpoch } from '../../contract/runState';
import { accuracyTable, latestStd, lossTable, signalTable, stdTable, throughputTable, type LabelledRun } from './series';
import type { Theme } from './theme';

export class ChartBoard {
  readonly element = el('div', 'sc-board');
  private readonly loss = new ChartCard({ id: 'chart-loss', title: 'Loss', xLabel: 'epoch', yLabel: 'loss' });
  private readonly accuracy = new ChartCard({ id: 'chart-accuracy', title: 'Accuracy', xLabel: 'epoch', yLabel: 'accuracy' });
  private readonly throughput = new ChartCard({ id: 'chart-throughput', title: 'Samples/s', xLabel: 'epoch', yLabel: 'samples/s', integerX: true, fromZero: true });
  private readonly stdOrder = new ChartCard({
    id: 'chart-std-order', title: 'Response std by layer', xLabel: 'layer index', yLabel: 'std', valuesTable: true, integerX: true, fromZero: true,
  });
  private readonly stdSorted = new ChartCard({
    id: 'chart-std-sorted', title: 'Response std, sorted by magnitude', xLabel: 'rank', yLabel: 'std', valuesTable: true, integerX: true, fromZero: true,
  });
  private readonly signal = new ChartCard({
    id: 'chart-signal', title: 'Signal propagation per residual block', xLabel: 'block index', yLabel: 'value (log)', valuesTable: true, integerX: true,
  });
  private readonly logToggle = el('button', 'sc-toggle', 'Log scale');
  private logLoss = false;

  private readonly stdCaption = el('p', 'sc-card-caption');
  private readonly signalCaption = el('p', 'sc-card-caption');

  constructor(onLogToggle?: (log: boolean) => void, private readonly onRevealLayer?: (layer: string) => void) {
    this.logToggle.type = 'button';
    this.logToggle.setAttribute('aria-pressed', 'false');
    this.logToggle.title = 'Switch the loss axis between linear and logarithmic';
    this.logToggle.addEventListener('click', () => onLogToggle?.(!this.logLoss));
    this.loss.controls.append(this.logToggle);
    this.stdOrder.setEmptyText('Measured once per epoch on a fixed probe batch; waiting for the first epoch.');
    this.stdSorted.setEmptyText('Measured once per epoch on a fixed probe batch; waiting for the first epoch.');
    this.signal.setEmptyText('No residual blocks measured (a plain network has none), or waiting for the first epoch.');
    this.element.append(...this.cards().map((c) => c.element));
    this.stdOrder.element.append(this.stdCaption);
    this.signal.element.append(this.signalCaption);
    if (onRevealLayer) {
      this.element.addEventListener('click', (e) => {
        const target = (e.target as HTMLElement | null)?.closest<HTMLElement>('[data-layer]');
        if (target?.dataset.layer) onRevealLayer(target.dataset.layer);
      });
    }
  }

  render(current: LabelledRun, history: LabelledRun[], theme: Theme, logLoss: boolean, comparing = false): void {
    this.logLoss = logLoss;
    this.logToggle.setAttribute('aria-pressed', String(logLoss));
    this.logToggle.classList.toggle('sc-toggle-on', logLoss);
    this.loss.update(lossTable(current, history), theme, logLoss);
    this.accuracy.update(accuracyTable(current, history), theme);
    this.throughput.update(throughputTable(current, history), theme);
    this.stdOrder.update(stdTable(current, history, false, comparing ? current.label : undefined), theme);
    this.stdSorted.update(stdTable(current, history, true, comparing ? current.label : undefined), theme);
    if (this.onRevealLayer) for (const c of [this.stdOrder, this.stdSorted, this.signal]) c.linkNames();
    this.signal.update(signalTable(current, history), theme, true);

    const std = latestStd(current.run);
    const where = std ? stdPlacement(std.layers) : '';
    const epochNote = std ? `epoch ${displayEpoch(current.run, std.epoch)}, ${std.layers.length} layers${where}` : '';
    this.stdOrder.setSubtitle(epochNote);
    this.stdSorted.setSubtitle(epochNote ? `${epochNote}, descending` : '');
    this.signal.setSubtitle(std && std.blocks.length ? `epoch ${displayEpoch(current.run, std.epoch)}, ${std.blocks.length} blocks` : '');
    this.stdCaption.textContent = std ? stdCaption(current, history, comparing) : '';
    this.signalCaption.textContent = std && std.blocks.length ? SIGNAL_CAPTION : '';
  }

  resize(): void {
    for (const c of this.cards()) c.resize();
  }

  destroy(): void {
    for (const c of this.cards()) c.destroy();
  }

  private cards(): ChartCard[] {
    return [this.loss, this.accuracy, this.throughput, this.stdOrder, this.stdSorted, this.signal];
  }
}

/** He et al. measure after BN and before the nonlinearity; say when some responses could not be taken there. */
function stdPlacement(layers: { afterActivation: boolean; measuredAt: string; layer: string }[]): string {
  const afterAct = layers.filter((l) => l.afterActivation).length;
  const atConv = layers.filter((l) => l.measuredAt === l.layer).length;
  const notes: string[] = [];
  if (afterAct) notes.push(`${afterAct} after a fused activation`);
  if (atConv) notes.push(`${atConv} without a following BN`);
  return notes.length ? ` (${notes.join(', ')})` : ', after BN';
}

const SIGNAL_CAPTION = 'Brock et al. 2021: in a healthy residual network the squared channel mean stays small and the ' +
  'variance grows slowly and steadily from block to block; the residual branch variance stays well below the block output\'s. ' +
  'A squared mean that climbs or a variance that explodes signals bad initialisation or missing normalisation.';

/** What to look for in the response-std charts, and how this run reads. */
function stdCaption(current: LabelledRun, overlays: LabelledRun[], comparing: boolean): string {
  const std = latestStd(current.run);
  if (!std) return '';
  const values = std.layers.filter((l) => !l.projection).map((l) => l.std);
  const mean = values.reduce((s, v) => s + v, 0) / Math.max(1, values.length);
  const how = std.measurement === 'batch-statistics'
    ? 'Measured on a fixed probe batch, BN normalising with the batch\'s own statistics (moving averages untouched): a BN output has std close to its gamma.'
    : 'Measured in inference mode (moving averages), which lag the weights early in training.';
  const look = 'He et al. 2015, Fig. 7: ResNet responses are smaller than those of the plain twin, deeper ResNets smaller still; the first layer is naturally larger.';
  let compare = '';
  if (comparing && overlays.length) {
    const other = latestStd(overlays[0].run)?.layers.filter((l) => !l.projection).map((l) => l.std) ?? [];
    if (other.length) {
      const otherMean = other.reduce((s, v) => s + v, 0) / other.length;
      const smaller = values.filter((v, i) => other[i] !== undefined && v < other[i]).length;
      compare = ` Here: ${current.label} mean ${mean.toFixed(3)} vs ${overlays[0].label} ${otherMean.toFixed(3)}; ${smaller} of ${Math.min(values.length, other.length)} layers smaller.`;
    }
  } else {
    compare = ` Here: mean ${mean.toFixed(3)} over ${values.length} layers (range ${Math.min(...values).toFixed(3)}–${Math.max(...values).toFixed(3)}).`;
  }
  return `${how} ${look}${compare}`;
}
