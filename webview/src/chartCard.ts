// One titled chart: a uPlot canvas plus an optional table of the values (readable by screen readers and
// copyable). The uPlot instance is rebuilt only when the set of series, the scale or the theme changes;
// new data alone goes through setData.
import uPlot from 'uplot';
import type { ChartTable } from './series';
import { paletteColor, type Theme } from './theme';
import { el } from './dom';

export interface CardOptions {
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  /** Show the values as a table under the chart. */
  valuesTable?: boolean;
  /** Integer x (layer or block index) instead of a continuous axis. */
  integerX?: boolean;
  height?: number;
  /** The y axis starts at zero (magnitudes: std, samples/s), so ratios read true. */
  fromZero?: boolean;
}

export class ChartCard {
  readonly element: HTMLElement;
  readonly controls: HTMLElement;
  private readonly subtitle: HTMLElement;
  private readonly plotHost: HTMLElement;
  private readonly empty: HTMLElement;
  private readonly valuesHost?: HTMLElement;
  private plot?: uPlot;
  private plotKey = '';

  constructor(private readonly options: CardOptions) {
    this.element = el('section', 'sc-card');
    this.element.id = options.id;
    const head = el('header', 'sc-card-head');
    const title = el('h2', 'sc-card-title', options.title);
    this.subtitle = el('span', 'sc-card-subtitle');
    this.controls = el('span', 'sc-card-controls');
    head.append(title, this.subtitle, this.controls);
    this.plotHost = el('div', 'sc-plot');
    this.empty = el('p', 'sc-empty', 'No data yet.');
    this.element.append(head, this.plotHost, this.empty);
    if (options.valuesTable) {
      const details = el('details', 'sc-values');
      details.append(el('summary', '', 'Values'));
      this.valuesHost = el('div', 'sc-values-table');
      details.append(this.valuesHost);
      this.element.append(details);
    }
  }

  setSubtitle(text: string): void {
    this.subtitle.textContent = text;
  }

  setEmptyText(text: string): void {
    this.empty.textContent = text;
  }

  update(data: ChartTable, theme: Theme, log = false): void {
    const hasData = data.series.length > 0 && data.x.length > 0;
    this.element.classList.toggle('sc-card-empty', !hasData);
    if (!hasData) {
      this.destroy();
      if (this.valuesHost) this.valuesHost.replaceChildren();
      return;
    }
    const aligned: uPlot.AlignedData = [data.x, ...data.series.map((s) => (log ? s.values.map((v) => (v !== null && v > 0 ? v : null)) : s.values))];
    const key = JSON.stringify([data.series.map((s) => [s.label, s.color, s.dash, s.points]), log, theme.key]);
    if (this.plot && key === this.plotKey) {
      this.plot.setData(aligned);
    } else {
      this.destroy();
      this.plot = new uPlot(this.plotOptions(data, theme, log), aligned, this.plotHost);
      this.plotKey = key;
    }
    // Hover text depends on the data (layer names), so it is refreshed on every update.
    this.xNames = data.xNames;
    if (this.valuesHost) this.valuesHost.replaceChildren(valuesTable(data, this.options.xLabel));
  }

  /** Follows the width of the card (the panel can be resized at any time). */
  resize(): void {
    if (!this.plot) return;
    const width = this.plotWidth();
    if (width !== this.plot.width) this.plot.setSize({ width, height: this.options.height ?? 220 });
  }

  destroy(): void {
    this.plot?.destroy();
    this.plot = undefined;
    this.plotKey = '';
  }

  private xNames?: string[];

  /** Names in the values table become links ([data-layer]) the board turns into "reveal in source". */
  linkNames(): void {
    for (const cell of Array.from(this.valuesHost?.querySelectorAll<HTMLElement>('td.sc-name') ?? [])) {
      if (!cell.textContent) continue;
      cell.dataset.layer = cell.textContent;
      cell.classList.add('sc-layer-link');
      cell.title = `Show ${cell.textContent} in the source`;
    }
  }

  private plotWidth(): number {
    return Math.max(240, Math.floor(this.plotHost.clientWidth || this.element.clientWidth || 480));
  }

  private plotOptions(data: ChartTable, theme: Theme, log: boolean): uPlot.Options {
    const axis = (label: string): uPlot.Axis => ({
      label,
      stroke: theme.foreground,
      grid: { stroke: theme.grid, width: 1 },
      ticks: { stroke: theme.grid, width: 1 },
      font: '11px sans-serif',
      labelFont: '11px sans-serif',
    });
    const xAxis = axis(this.options.xLabel);
    if (this.options.integerX) {
      xAxis.incrs = [1, 2, 5, 10, 20, 50, 100, 200, 500];
      xAxis.values = (_u, splits) => splits.map((v) => (Number.isInteger(v) ? String(v) : ''));
    }
    return {
      width: this.plotWidth(),
      height: this.options.height ?? 220,
      scales: {
        x: { time: false, range: this.options.integerX ? (_u, min, max) => [min - 0.5, max + 0.5] : undefined },
        y: log ? { distr: 3, log: 10 } : { distr: 1, range: this.options.fromZero ? (_u, _min, max) => [0, max > 0 ? max * 1.08 : 1] : undefined },
      },
      axes: [xAxis, { ...axis(this.options.yLabel), size: 56 }],
      legend: { show: true, live: true },
      cursor: { drag: { x: true, y: false } },
      series: [
        {
          label: this.options.xLabel,
          value: (_u, v, _s, idx) => {
            if (v === null || v === undefined) return '—';
            const name = idx !== null ? this.xNames?.[idx] : undefined;
            const shown = Number.isInteger(v) ? String(v) : v.toFixed(2);
            return name ? `${shown} ${name}` : shown;
          },
        },
        ...data.series.map((s): uPlot.Series => {
          const color = paletteColor(theme, s.color);
          return {
            label: s.label,
            stroke: color,
            width: s.width ?? 1.5,
            dash: s.dash,
            spanGaps: true,
            value: (_u, v) => (v === null || v === undefined ? '—' : formatNumber(v)),
            points: { show: s.points ?? false, size: 5, width: 1, stroke: color, fill: color },
          };
        }),
      ],
    };
  }
}

export function formatNumber(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(2);
  return a >= 100 ? v.toFixed(0) : v.toPrecision(3);
}

function valuesTable(data: ChartTable, xLabel: string): HTMLTableElement {
  const t = document.createElement('table');
  const head = t.createTHead().insertRow();
  for (const label of [xLabel, ...(data.xNames ? ['name'] : []), ...data.series.map((s) => s.label)]) {
    head.append(el('th', '', label));
  }
  const body = t.createTBody();
  data.x.forEach((x, i) => {
    const row = body.insertRow();
    row.insertCell().textContent = String(x);
    if (data.xNames) {
      const name = row.insertCell();
      name.textContent = data.xNames[i];
      name.className = 'sc-name';
    }
    for (const s of data.series) {
      const v = s.values[i];
      const cell = row.insertCell();
      cell.textContent = v === null ? '' : formatNumber(v);
      if (v !== null) cell.dataset.value = String(v);
    }
  });
  return t;
}
