// The report page drawn with static SVG: used when the webview bundle (dist/webview.js, the same charts
// as the live panel) is not available, e.g. when Skipcheck runs from source. Opens with no network.
import { finalFigures } from '../../../../contract/finalFigures';
import type { LayerStd } from '../../../../contract/protocol';
import type { RunRecord } from './runRecord';
import { escapeXml as esc, lineChart, Series } from './svgChart';

export function svgReportHtml(run: RunRecord, title: string): string {
  const sections = [summary(run), ...lossCharts(run), accuracyChart(run), speedChart(run), ...stdCharts(run), signalChart(run)];
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${esc(title)}</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;color:#222}svg{font-family:system-ui,sans-serif;margin:8px 0;max-width:100%;height:auto}
table{border-collapse:collapse}td{padding:2px 12px 2px 0;vertical-align:top}.err{color:#b00020}.warn{color:#8a6d00}
.grid{display:flex;flex-wrap:wrap;gap:8px}</style></head>
<body><h1>${esc(title)}</h1>
${sections.filter(Boolean).join('\n')}
</body></html>
`;
}

function summary(run: RunRecord): string {
  const s = run.start;
  const last = run.epochs[run.epochs.length - 1];
  const rows: [string, string][] = [];
  if (s) {
    rows.push(['Model', `${s.model.name}: ${s.model.layers.length} layers, ${s.model.params.toLocaleString('en')} parameters`],
      ['Backend', `${s.backend} on ${s.device}${s.tfVersion ? `, tfjs ${s.tfVersion}` : ''}${s.kernels ? `; ${s.kernels}` : ''}`],
      ...(run.execution ? [['Steps', run.execution.message] as [string, string]] : []),
      ['Dataset', `${s.dataset.name}: ${s.dataset.train} training, ${s.dataset.validation} validation samples, input [${s.dataset.inputShape.join(', ')}], ${s.dataset.classes} classes`],
      ['Training', `${s.config.epochs} epochs, batch ${s.config.batchSize}, ${s.config.optimizer} lr ${s.config.learningRate}, seed ${s.config.seed}`]);
  }
  if (last) {
    rows.push(['Last epoch', `loss ${last.loss.toFixed(4)}${last.acc !== undefined ? `, accuracy ${last.acc.toFixed(3)}` : ''}` +
      `${last.valLoss !== undefined ? `, val loss ${last.valLoss.toFixed(4)}, val accuracy ${last.valAcc?.toFixed(3)}` : ''}, ${last.samplesPerSec.toFixed(1)} samples/s`]);
  }
  const final = finalFigures(run);
  if (final) rows.push(['Final', final.replace(/^Final /, '')]);
  if (run.end) rows.push(['Outcome', `${run.end.reason} after ${run.end.seconds.toFixed(1)} s`]);
  // Written after the run: no end and no error means the trainer was killed before it could say so.
  else if (!run.error) rows.push(['Outcome', 'interrupted (the trainer stopped without finishing; no complete.json)']);
  const table = `<table>${rows.map(([k, v]) => `<tr><td><b>${esc(k)}</b></td><td>${esc(v)}</td></tr>`).join('')}</table>`;
  const notes = [
    ...run.warnings.map((w) => `<p class="warn">Warning: ${esc(w)}</p>`),
    run.error ? `<p class="err"><b>Error (${esc(run.error.code)}):</b> ${esc(run.error.message)}</p>${run.error.detail ? `<pre>${esc(run.error.detail)}</pre>` : ''}` : '',
  ];
  return table + notes.join('');
}

function lossCharts(run: RunRecord): string[] {
  if (!run.batches.length) return [];
  const batches = run.batches[0].batches;
  const step = (m: { epoch: number; batch: number }) => (m.epoch - 1) * batches + m.batch;
  const series: Series[] = [{ name: 'batch loss', points: run.batches.map((b) => [step(b), b.loss]) }];
  const val = run.epochs.filter((e) => e.valLoss !== undefined).map((e): [number, number] => [e.epoch * batches, e.valLoss!]);
  if (val.length) series.push({ name: 'validation loss (per epoch)', points: val, dashed: true });
  const opts = { title: 'Loss', xLabel: 'batch', yLabel: 'loss' };
  return [`<div class="grid">${lineChart(series, opts)}${lineChart(series, { ...opts, title: 'Loss (log scale)', logY: true })}</div>`];
}

function accuracyChart(run: RunRecord): string {
  if (!run.epochs.length) return '';
  const series: Series[] = [{ name: 'training', points: run.epochs.map((e) => [e.epoch, e.acc ?? NaN]) }];
  if (run.epochs.some((e) => e.valAcc !== undefined)) series.push({ name: 'validation', points: run.epochs.map((e) => [e.epoch, e.valAcc ?? NaN]), dashed: true });
  return lineChart(series, { title: 'Accuracy', xLabel: 'epoch', yLabel: 'accuracy' });
}

function speedChart(run: RunRecord): string {
  if (!run.epochs.length) return '';
  return lineChart([{ name: 'samples/s', points: run.epochs.map((e) => [e.epoch, e.samplesPerSec]) }],
    { title: 'Training speed', xLabel: 'epoch', yLabel: 'samples/s', fromZero: true });
}

/** He et al. 2015 Fig. 7: std per layer in network order, then sorted by magnitude; first and last epoch. */
function stdCharts(run: RunRecord): string[] {
  if (!run.std.length || !run.std[0].layers.length) return [];
  const picks = run.std.length > 1 ? [run.std[0], run.std[run.std.length - 1]] : [run.std[0]];
  const names = run.std[0].layers.map((l) => l.layer);
  const label = (e: number) => `epoch ${e}`;
  const ordered = picks.map((p, i): Series => ({ name: label(p.epoch), points: p.layers.map((l, k) => [k, l.std]), dashed: i === 0 && picks.length > 1 }));
  const sorted = picks.map((p, i): Series => ({
    name: label(p.epoch), dashed: i === 0 && picks.length > 1,
    points: [...p.layers].sort((a, b) => b.std - a.std).map((l, k) => [k + 1, l.std]),
  }));
  const fused = picks[picks.length - 1].layers.filter((l: LayerStd) => l.afterActivation).map((l) => l.layer);
  return [`<h2>Per-layer response std</h2><p>Output of the BatchNormalization following each conv/dense layer (else the layer's own output), on a fixed batch of held-out samples.${
    fused.length ? ` Measured after a fused activation: ${esc(fused.join(', '))}.` : ''}</p>
<div class="grid">${lineChart(ordered, { title: 'Response std, layer order', xLabel: 'layer', yLabel: 'std', xNames: names, fromZero: true })}${
    lineChart(sorted, { title: 'Response std, sorted', xLabel: 'rank', yLabel: 'std', fromZero: true })}</div>`];
}

/** Brock et al. 2021 signal propagation plot, last epoch. */
function signalChart(run: RunRecord): string {
  const last = run.std[run.std.length - 1];
  if (!last?.blocks.length) return '';
  const pts = (f: (b: (typeof last.blocks)[number]) => number) => last.blocks.map((b, i): [number, number] => [i, f(b)]);
  return `<h2>Signal propagation (epoch ${last.epoch})</h2>` + lineChart([
    { name: 'avg channel squared mean', points: pts((b) => b.avgChannelSquaredMean) },
    { name: 'avg channel variance', points: pts((b) => b.avgChannelVariance) },
    { name: 'residual branch variance', points: pts((b) => b.residualBranchVariance), dashed: true },
  ], { title: 'Per residual block', xLabel: 'block', yLabel: 'value', xNames: last.blocks.map((b) => b.block) });
}
