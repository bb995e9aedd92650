// The webview's pure parts: folding the message stream, progress and ETA, chart tables, the report page.
import assert from 'node:assert/strict';
import type { TrainerMessage } from '../../contract/protocol';
import { asPanelMessage } from '../../contract/panel';
import { buildReportHtml, embedJson } from '../../contract/reportHtml';
import { applyMessage, emptyRun, etaSeconds, foldRun, fractionDone, maxBatchPoints, runStatus } from '../../contract/runState';
import { align, lossTable, signalTable, stdTable } from '../../webview/src/series';
import { recordedRun } from './harness';

const run = recordedRun();
type Batch = Extract<TrainerMessage, { type: 'batch' }>;

describe('webview run state', () => {
  it('folds the recorded run', () => {
    const view = foldRun(run);
    assert.equal(view.start?.model.name, 'resnet20');
    assert.equal(view.epochs.length, 3);
    assert.equal(view.batches.length, 3 * 71);
    assert.equal(view.std.length, 3);
    assert.equal(view.warnings.length, 1);
    assert.equal(runStatus(view), 'completed');
    assert.equal(fractionDone(view), 1);
    assert.equal(etaSeconds(view), undefined);
    // Batch 71 of 71 in epoch 2 ends exactly at x = 2.
    assert.equal(view.batches[2 * 71 - 1].x, 2);
    assert.equal(view.batches[0].x, 1 / 71);
  });

  it('keeps how the steps run, and the panel accepts that message', () => {
    const execution: TrainerMessage = { type: 'execution', mode: 'graph', message: 'training steps run as one TensorFlow graph (790 nodes)' };
    const view = foldRun([...run.slice(0, 4), execution, ...run.slice(4)]);
    assert.deepEqual(view.execution, execution);
    assert.equal(foldRun(run).execution, undefined);
    assert.deepEqual(asPanelMessage(execution), execution);
  });

  it('reads epochs counted from 0 or 1 the same way', () => {
    const zeroBased = run.map<TrainerMessage>((m) => ('epoch' in m && typeof m.epoch === 'number' ? { ...m, epoch: m.epoch - 1 } : m));
    const a = foldRun(run);
    const b = foldRun(zeroBased);
    assert.deepEqual(b.batches.map((p) => p.x), a.batches.map((p) => p.x));
    assert.equal(fractionDone(b), 1);
  });

  it('estimates the time left from epoch timings, then from batch arrivals', () => {
    const firstEpochEnd = run.findIndex((m) => m.type === 'epoch');
    const view = emptyRun();
    // Half-way through epoch 1, batches arriving 100 ms apart.
    const batches = run.filter((m): m is Batch => m.type === 'batch' && m.epoch === 1);
    applyMessage(view, run[0]);
    batches.slice(0, 36).forEach((m, i) => applyMessage(view, m, i * 100));
    const f = 36 / 71 / 3;
    assert.ok(Math.abs(fractionDone(view)! - f) < 1e-12);
    // 35 intervals in 3.5 s: 0.1 s a batch, 3 * 71 - 36 batches to go.
    assert.ok(Math.abs(etaSeconds(view)! - 17.7) < 1e-9, String(etaSeconds(view)));

    const afterEpoch = foldRun(run.slice(0, firstEpochEnd + 1));
    const epoch = afterEpoch.epochs[0];
    assert.ok(Math.abs(etaSeconds(afterEpoch)! - 2 * epoch.seconds) < 1e-9);
  });

  it('averages neighbouring batches once a run gets long', () => {
    const view = emptyRun();
    for (let i = 1; i <= maxBatchPoints + 1; i++) applyMessage(view, { type: 'batch', epoch: 1, batch: i, batches: maxBatchPoints + 1, loss: i });
    assert.equal(view.batches.length, (maxBatchPoints + 2) / 2);
    assert.deepEqual(view.batches[0], { x: 2 / (maxBatchPoints + 1), loss: 1.5, acc: undefined });
    assert.equal(view.batches.at(-1)!.x, 1);
  });

  it('accepts only known message types from the window', () => {
    assert.equal(asPanelMessage({ type: 'history', runs: [] })?.type, 'history');
    assert.equal(asPanelMessage({ type: 'epoch', epoch: 1, epochs: 2, loss: 0.5, samplesPerSec: 10, seconds: 1 })?.type, 'epoch');
    // The same check as every other reader of the stream (contract/trainerChannel.ts): fields the panel reads must be there.
    assert.equal(asPanelMessage({ type: 'epoch' }), undefined);
    assert.equal(asPanelMessage({ type: 'history' }), undefined);
    assert.equal(asPanelMessage({ type: 'vscode-internal' }), undefined);
    assert.equal(asPanelMessage('start'), undefined);
    assert.equal(asPanelMessage(null), undefined);
  });
});

describe('webview chart tables', () => {
  const current = { label: 'now', run: foldRun(run) };

  it('aligns series sampled at different x', () => {
    assert.deepEqual(align([[[1, 5], [3, 7]], [[2, 1], [3, undefined]]]), { x: [1, 2, 3], values: [[5, null, 7], [null, 1, null]] });
  });

  it('sorts each run by magnitude independently for the sorted std chart', () => {
    const shallow = foldRun(run.map((m) => (m.type === 'std' ? { ...m, layers: m.layers.slice(0, 5).map((l, i) => ({ ...l, std: 1 + i })) } : m)));
    const t = stdTable(current, [{ label: 'shallow', run: shallow }], true);
    assert.equal(t.x.length, 21);
    assert.deepEqual(t.series[1].values.slice(0, 6), [5, 4, 3, 2, 1, null]);
    const mine = t.series[0].values as number[];
    assert.deepEqual(mine, [...mine].sort((a, b) => b - a));
    assert.equal(t.xNames![0], [...current.run.std[2].layers].sort((a, b) => b.std - a.std)[0].layer);
  });

  it('draws the three signal statistics per block and skips runs without blocks', () => {
    const plain = foldRun(run.map((m) => (m.type === 'std' ? { ...m, blocks: [] } : m)));
    const t = signalTable(current, [{ label: 'plain', run: plain }]);
    assert.deepEqual(t.series.map((s) => s.label), ['avg channel squared mean', 'avg channel variance', 'residual branch variance']);
    assert.deepEqual(t.x, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(t.xNames, current.run.std[2].blocks.map((b) => b.block));
  });

  it('puts history epoch losses on the same epoch axis as the live batches', () => {
    const t = lossTable(current, [{ label: 'old', run: foldRun(run, false) }]);
    assert.equal(t.x.length, 3 * 71);
    const oldTrain = t.series.find((s) => s.label === 'old train')!;
    assert.deepEqual(oldTrain.values.filter((v) => v !== null), current.run.epochs.map((e) => e.loss));
  });
});

describe('webview report page', () => {
  it('embeds data that cannot close its script element', () => {
    const json = embedJson({ message: '</script><script>alert(1)</script><!--' });
    assert.ok(!json.includes('<'));
    assert.deepEqual(JSON.parse(json), { message: '</script><script>alert(1)</script><!--' });
  });

  it('inlines script, style and data with a CSP that allows no network', () => {
    const html = buildReportHtml({ title: 'a & b', script: 'var s = "</script>";', css: 'body{}', messages: run.slice(0, 2) });
    assert.match(html, /<title>a &#38; b<\/title>/);
    assert.match(html, /content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"/);
    assert.equal(html.match(/<\/script>/g)!.length, 2, 'the bundle text closed its element early');
    const data = /<script type="application\/json" id="skipcheck-data">(.*)<\/script>/.exec(html)![1];
    assert.deepEqual(JSON.parse(data), { messages: run.slice(0, 2), history: [] });
  });
});
