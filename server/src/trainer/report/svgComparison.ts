// The ablation comparison drawn with static SVG (no script, no network): used when the webview bundle is
// not built. Same table, reading and caption as the panel (contract/comparison.ts).
import { ablationReading, NO_BN_CAPTION, PAPER_CAPTION, variantRow } from '../../../../contract/comparison';
import { foldRun } from '../../../../contract/runState';
import type { TrainerMessage } from '../../../../contract/protocol';
import { escapeXml as esc, lineChart, type Series } from './svgChart';

const PALETTE = ['#1f6feb', '#cf222e', '#1a7f37', '#bc4c00'];

export function svgComparisonHtml(title: string, runs: { label: string; variant?: string; messages: TrainerMessage[] }[]): string {
  const folded = runs.map((r) => ({ label: r.label, run: foldRun(r.messages, false) }));
  const rows = folded.map((f, i) => ({ ...variantRow(f.label, f.run), ...(runs[i].variant ? { variant: runs[i].variant } : {}) }));
  const num = (v?: number) => (v === undefined ? '—' : v.toFixed(3));
  const pct = (v?: number) => (v === undefined ? '—' : `${(100 * v).toFixed(1)} %`);
  const table = '<table><tr><th>variant</th><th>params</th><th>epochs</th><th>train loss</th><th>train acc</th><th>val loss</th><th>val acc</th><th>mean response std</th><th>samples/s</th><th>status</th></tr>' +
    rows.map((r) => `<tr data-variant="${esc(r.variant)}"><td>${esc(r.label)}</td><td>${r.params?.toLocaleString('en-US') ?? '—'}</td><td>${r.epochs}</td><td>${num(r.loss)}</td>` +
      `<td>${pct(r.acc)}</td><td>${num(r.valLoss)}</td><td>${pct(r.valAcc)}</td><td>${num(r.meanStd)}</td><td>${r.samplesPerSec?.toFixed(1) ?? '—'}</td>` +
      `<td>${esc(r.error ? `failed: ${r.error}` : r.status)}</td></tr>`).join('') + '</table>';
  const color = (i: number) => PALETTE[i % PALETTE.length];
  const perEpoch = (pick: (e: (typeof folded)[number]['run']['epochs'][number]) => number | undefined, dashed = false, suffix = '') =>
    folded.map((f, i): Series => ({ name: `${f.label}${suffix}`, color: color(i), dashed, points: f.run.epochs.map((e) => [e.epoch, pick(e) ?? NaN]) }));
  const layers = (f: (typeof folded)[number]) => (f.run.std.at(-1)?.layers ?? []).filter((l) => !l.projection);
  const stdOrder = folded.map((f, i): Series => ({ name: f.label, color: color(i), points: layers(f).map((l, k) => [k + 1, l.std]) }));
  const stdSorted = folded.map((f, i): Series => ({ name: f.label, color: color(i), points: [...layers(f)].sort((a, b) => b.std - a.std).map((l, k) => [k + 1, l.std]) }));
  const noBn = rows.some((r) => r.variant === 'no-bn');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${esc(title)}</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;color:#222}svg{font-family:system-ui,sans-serif;margin:8px 0;max-width:100%;height:auto}
table{border-collapse:collapse}td,th{padding:2px 10px;border-bottom:1px solid #ddd;text-align:right}td:first-child,th:first-child{text-align:left}
.reading{font-weight:600}.caption{color:#555;max-width:72em}.grid{display:flex;flex-wrap:wrap;gap:8px}</style></head>
<body><h1>${esc(title)}</h1>
<section id="comparison">${table}
<p class="reading">${esc(ablationReading(folded[0], folded.slice(1)))}</p>
<p class="caption">${esc(PAPER_CAPTION + (noBn ? ` ${NO_BN_CAPTION}` : ''))}</p></section>
<div class="grid">${lineChart([...perEpoch((e) => e.loss), ...perEpoch((e) => e.valLoss, true, ' val')], { title: 'Loss per epoch (He et al. Fig. 1 style)', xLabel: 'epoch', yLabel: 'loss' })}
${lineChart([...perEpoch((e) => e.acc), ...perEpoch((e) => e.valAcc, true, ' val')], { title: 'Accuracy per epoch', xLabel: 'epoch', yLabel: 'accuracy' })}
${lineChart(stdOrder, { title: 'Response std by 3x3/dense layer (Fig. 7, top)', xLabel: 'layer', yLabel: 'std', fromZero: true })}
${lineChart(stdSorted, { title: 'Response std, sorted (Fig. 7, bottom)', xLabel: 'rank', yLabel: 'std', fromZero: true })}</div>
</body></html>
`;
}
