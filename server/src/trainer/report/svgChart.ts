// A small static SVG line-chart renderer, so report.html needs no script and no network.
export interface Series { name: string; points: [number, number][]; color?: string; dashed?: boolean }
export interface ChartOptions {
  title: string; xLabel: string; yLabel: string; logY?: boolean;
  /** Category names for integer x positions (e.g. layer names), shown as tick labels. */
  xNames?: string[];
  /** Start the y axis at zero (magnitudes such as std and samples/s). */
  fromZero?: boolean;
  width?: number; height?: number;
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#17becf', '#7f7f7f'];
const MARGIN = { left: 64, right: 16, top: 28, bottom: 48 };

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** About `count` round tick values covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(+v.toPrecision(12));
  return ticks;
}

function fmtTick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e4 || a < 1e-3 ? v.toExponential(0) : String(+v.toPrecision(4));
}

export function lineChart(series: Series[], o: ChartOptions): string {
  const width = o.width ?? 640;
  const height = o.height ?? 280;
  const usable = series.map((s) => ({ ...s, points: s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!o.logY || y > 0)) }));
  const all = usable.flatMap((s) => s.points);
  const head = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(o.title)}">` +
    `<text x="${width / 2}" y="16" text-anchor="middle" font-weight="bold">${escapeXml(o.title)}</text>`;
  if (all.length === 0) return `${head}<text x="${width / 2}" y="${height / 2}" text-anchor="middle" fill="#888">no data</text></svg>`;
  const ty = (y: number) => (o.logY ? Math.log10(y) : y);
  let [x0, x1] = [Math.min(...all.map((p) => p[0])), Math.max(...all.map((p) => p[0]))];
  let [y0, y1] = [Math.min(...all.map((p) => ty(p[1]))), Math.max(...all.map((p) => ty(p[1])))];
  if (x0 === x1) { x0 -= 1; x1 += 1; }
  if (y0 === y1) { y0 -= 0.5; y1 += 0.5; } else { const pad = (y1 - y0) * 0.05; y0 -= pad; y1 += pad; }
  if (!o.logY && (o.fromZero || y0 < 0) && all.every((p) => p[1] >= 0)) y0 = 0;
  const pw = width - MARGIN.left - MARGIN.right;
  const ph = height - MARGIN.top - MARGIN.bottom;
  const sx = (x: number) => MARGIN.left + ((x - x0) / (x1 - x0)) * pw;
  const sy = (y: number) => MARGIN.top + ph - ((ty(y) - y0) / (y1 - y0)) * ph;
  const parts = [head, `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${pw}" height="${ph}" fill="none" stroke="#ccc"/>`];
  const decades = o.logY ? niceTicks(Math.ceil(y0), Math.floor(y1), 5).filter(Number.isInteger).map((e) => 10 ** e) : [];
  // Within less than a decade there are no powers of ten to mark: label round values instead.
  const yTicks = !o.logY ? niceTicks(y0, y1) : decades.length >= 2 ? decades : niceTicks(10 ** y0, 10 ** y1).filter((v) => v > 0);
  for (const v of yTicks) {
    const y = sy(v);
    parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + pw}" y1="${y}" y2="${y}" stroke="#eee"/>`,
      `<text x="${MARGIN.left - 4}" y="${y + 4}" text-anchor="end" font-size="11">${fmtTick(v)}</text>`);
  }
  const integerX = all.every((p) => Number.isInteger(p[0]));
  const xTicks = o.xNames ? o.xNames.map((_, i) => i).filter((i) => i >= x0 && i <= x1)
    : niceTicks(x0, x1, 8).filter((v) => !integerX || Number.isInteger(v));
  const every = Math.max(1, Math.ceil(xTicks.length / 16));
  xTicks.forEach((v, i) => {
    if (i % every) return;
    const label = o.xNames ? o.xNames[v] ?? '' : fmtTick(v);
    parts.push(`<text x="${sx(v)}" y="${MARGIN.top + ph + 14}" text-anchor="middle" font-size="11">${escapeXml(label.length > 14 ? label.slice(0, 13) + '…' : label)}</text>`);
  });
  parts.push(`<text x="${MARGIN.left + pw / 2}" y="${height - 8}" text-anchor="middle" font-size="12">${escapeXml(o.xLabel)}</text>`,
    `<text transform="translate(14 ${MARGIN.top + ph / 2}) rotate(-90)" text-anchor="middle" font-size="12">${escapeXml(o.yLabel)}${o.logY ? ' (log)' : ''}</text>`);
  usable.forEach((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length];
    const pts = s.points.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ');
    parts.push(`<polyline fill="none" stroke="${color}" stroke-width="1.5"${s.dashed ? ' stroke-dasharray="5 3"' : ''} points="${pts}"/>`);
    if (s.points.length <= 60) for (const [x, y] of s.points) parts.push(`<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="2.5" fill="${color}"/>`);
    parts.push(`<text x="${MARGIN.left + 8}" y="${MARGIN.top + 14 + 14 * i}" font-size="11" fill="${color}">${escapeXml(s.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}
