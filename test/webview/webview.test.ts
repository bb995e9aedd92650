// The training webview in a real browser: charts drawn from a recorded trainer stream, Stop, errors,
// history overlay, persisted state, the stand-alone report, and a screenshot in light and dark themes.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { TrainerMessage } from '../../contract/protocol';
import { buildReportHtml } from '../../contract/reportHtml';
import { buildBundle, canvasStats, chromiumPath, distinctColours, hostErrors, launch, openPanel, post, probe, recordedRun, type PanelPageOptions } from './harness';

const resultsDir = join(__dirname, '../../test-results');
const chartIds = ['chart-loss', 'chart-accuracy', 'chart-throughput', 'chart-std-order', 'chart-std-sorted', 'chart-signal'];

type Std = Extract<TrainerMessage, { type: 'std' }>;

function lastStd(messages: TrainerMessage[]): Std {
  return messages.filter((m): m is Std => m.type === 'std').at(-1)!;
}

/**
 * The same network without shortcuts: no blocks, larger and more spread responses (He et al. Fig. 7), and
 * a slower fall of the loss.
 */
function plainVariant(messages: TrainerMessage[]): TrainerMessage[] {
  return messages.map((m) => {
    if (m.type === 'epoch') return { ...m, loss: m.loss * 1.12, valLoss: (m.valLoss ?? 0) * 1.15, acc: (m.acc ?? 0) * 0.85, valAcc: (m.valAcc ?? 0) * 0.8 };
    if (m.type !== 'std') return m;
    return { ...m, blocks: [], layers: m.layers.map((l, i) => ({ ...l, std: l.std * (1.6 + 0.05 * (i % 5)) })) };
  });
}

const darkTheme = {
  '--vscode-editor-foreground': '#cccccc',
  '--vscode-editor-background': '#1e1e1e',
  '--vscode-editorWidget-background': '#252526',
  '--vscode-panel-border': '#80808059',
  '--vscode-descriptionForeground': '#ccccccb3',
  '--vscode-charts-blue': '#3794ff',
  '--vscode-charts-red': '#f14c4c',
  '--vscode-charts-green': '#89d185',
  '--vscode-charts-orange': '#d18616',
  '--vscode-button-background': '#0e639c',
  '--vscode-button-foreground': '#ffffff',
  '--vscode-inputValidation-errorBackground': '#5a1d1d',
  '--vscode-inputValidation-errorBorder': '#be1100',
};

async function cssVar(page: Page, name: string): Promise<string> {
  return page.evaluate((n) => getComputedStyle(document.documentElement).getPropertyValue(n).trim(), name);
}

/** Values of one series column of a chart's values table, by its header label. */
async function tableColumn(page: Page, chartId: string, label: string): Promise<{ names: string[]; values: number[] }> {
  return page.evaluate(({ chartId, label }) => {
    const table = document.querySelector(`#${chartId} .sc-values table`)!;
    const heads = Array.from(table.querySelectorAll('th')).map((th) => th.textContent);
    const col = heads.indexOf(label);
    if (col < 0) throw new Error(`no column ${label} in ${heads.join(', ')}`);
    const rows = Array.from(table.querySelectorAll('tbody tr'));
    return {
      names: rows.map((r) => r.children[1].textContent ?? ''),
      values: rows.map((r) => Number((r.children[col] as HTMLElement).dataset.value)),
    };
  }, { chartId, label });
}

function luminance(rgb: string): number {
  const [r, g, b] = rgb.match(/[\d.]+/g)!.slice(0, 3).map(Number).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

describe('training webview in Chromium', function () {
  this.timeout(120_000);
  let browser: Browser | undefined;
  let bundle: { js: string; css: string };
  const run = recordedRun();
  const pages: Page[] = [];

  before(async function () {
    browser = await launch();
    if (!browser) {
      console.warn(`  skipped: no Chromium at ${chromiumPath} (install it with: apt-get install -y chromium)`);
      this.skip();
    }
    bundle = await buildBundle();
    mkdirSync(resultsDir, { recursive: true });
  });

  after(async () => {
    await browser?.close();
  });

  async function open(options: Partial<PanelPageOptions> = {}): Promise<Page> {
    const page = await openPanel(browser!, { bundle, ...options });
    pages.push(page);
    return page;
  }

  afterEach(async () => {
    for (const p of pages.splice(0)) {
      const csp = (await probe(p).catch(() => ({ csp: [] as string[] }))).csp;
      assert.deepEqual(csp, [], 'Content-Security-Policy violations');
      assert.deepEqual(hostErrors(p), [], 'errors in the page');
      await p.close();
    }
  });

  it('announces itself, then draws every chart from a recorded run with its data in colour', async () => {
    const page = await open();
    assert.deepEqual((await probe(page)).posted, [{ type: 'ready' }]);
    await post(page, run);
    const c1 = await cssVar(page, '--sc-c1');
    for (const id of chartIds) {
      const s = await canvasStats(page, `#${id}`, c1);
      assert.ok(s.width > 200 && s.height > 100, `${id} canvas is ${s.width}x${s.height}`);
      assert.ok(s.painted > 2000, `${id}: only ${s.painted} painted pixels`);
      assert.ok(s.matching > 40, `${id}: only ${s.matching} pixels in the series colour ${c1}`);
    }
    // The three signal statistics each get their own colour.
    for (const v of ['--sc-c2', '--sc-c3']) {
      assert.ok((await canvasStats(page, '#chart-signal', await cssVar(page, v))).matching > 40, `signal chart lacks ${v}`);
    }
  });

  it('shows the response std in layer order and sorted descending (He et al. Fig. 7)', async () => {
    const page = await open();
    await post(page, run);
    const std = lastStd(run).layers;
    const order = await tableColumn(page, 'chart-std-order', 'this run');
    assert.deepEqual(order.values, std.map((l) => l.std));
    assert.deepEqual(order.names, std.map((l) => l.layer));
    const sorted = await tableColumn(page, 'chart-std-sorted', 'this run');
    assert.equal(sorted.values.length, std.length);
    for (let i = 1; i < sorted.values.length; i++) assert.ok(sorted.values[i - 1] >= sorted.values[i], `rank ${i} > rank ${i + 1}`);
    assert.deepEqual([...sorted.values].sort((a, b) => a - b), std.map((l) => l.std).sort((a, b) => a - b));
    const largest = std.reduce((a, b) => (b.std > a.std ? b : a));
    assert.equal(sorted.names[0], largest.layer);
    assert.match(await page.textContent('#chart-std-sorted .sc-card-subtitle') ?? '', /epoch 3, 21 layers, after BN, descending/);
  });

  it('fills the header: model, backend, progress, warnings, unused backends', async () => {
    const page = await open();
    await post(page, run);
    const header = (await page.textContent('.sc-header')) ?? '';
    assert.match(header, /resnet20/);
    assert.match(header, /resnet20\(\) in resnet\.ts · cpu on CPU \(pure JavaScript\)/);
    assert.match(header, /Epoch 3\/3, batch 71\/71/);
    assert.match(header, /Completed/);
    assert.match(header, /took 5 min 42 s/);
    assert.match(header, /2 backends not used/);
    assert.equal(await page.locator('.sc-warnings li').count(), 1);
    assert.ok(await page.locator('.sc-warnings li').isVisible());
    assert.equal(await page.locator('.sc-stop').isVisible(), false, 'a finished run cannot be stopped');
  });

  it('tells a GPU package that ran on the CPU from backends that were not used', async () => {
    const page = await open();
    // As the trainer reports tfjs-node-gpu loaded without a GPU (server/src/trainer/backend.ts).
    const onCpu = run.map((m) => (m.type === 'start' ? {
      ...m, backend: '@tensorflow/tfjs-node-gpu', attempts: [{ pkg: '@tensorflow/tfjs-node-gpu', ok: true },
        { pkg: '@tensorflow/tfjs-node-gpu (GPU device)', ok: false, reason: 'TensorFlow found no GPU', advice: 'Install CUDA 12.5 and cuDNN 9.3' }],
    } : m));
    await post(page, onCpu);
    const summary = (await page.textContent('.sc-header summary')) ?? '';
    assert.equal(summary, 'GPU not used');
  });

  it('says in the header how the steps run: one TensorFlow graph, or op by op and why', async () => {
    const page = await open();
    await post(page, run.slice(0, 5));
    assert.equal(await page.locator('.sc-execution').isVisible(), false, 'nothing to say before the trainer has settled it');
    await post(page, [{ type: 'execution', mode: 'eager', message: 'training steps run op by op (a tensor ... Dropout ...)' }]);
    assert.match((await page.textContent('.sc-execution')) ?? '', /^Steps: training steps run op by op \(a tensor ... Dropout/);
    assert.equal(await page.getAttribute('.sc-execution', 'data-mode'), 'eager');
    await post(page, [{ type: 'execution', mode: 'graph', message: 'training steps run as one TensorFlow graph (2108 nodes)' }]);
    assert.match((await page.textContent('.sc-execution')) ?? '', /one TensorFlow graph \(2108 nodes\)/);
    assert.ok(await page.locator('.sc-execution').isVisible());
  });

  it('Stop posts cancel to the extension while the run is live', async () => {
    const page = await open();
    await post(page, run.slice(0, 12));
    const stop = page.locator('.sc-stop');
    assert.ok(await stop.isVisible());
    assert.ok(await stop.isEnabled());
    assert.match((await page.textContent('.sc-progress-label')) ?? '', /Epoch 1\/3, batch 10\/71/);
    await stop.click();
    assert.deepEqual((await probe(page)).posted, [{ type: 'ready' }, { type: 'cancel' }]);
    assert.equal(await stop.textContent(), 'Stopping…');
    assert.ok(await stop.isDisabled());
  });

  it('offers "Compare with plain network" after a residual tfjs run, not after a Keras (distributed) one', async () => {
    const page = await open();
    await post(page, run);
    assert.ok(await page.locator('.sc-compare').isVisible(), 'a finished residual run can be compared');
    const keras = await open();
    await post(keras, run.map((m) => m.type !== 'start' ? m : {
      ...m, backend: 'Keras 3.8.0 (MultiWorkerMirroredStrategy, worker 0)', device: 'CPU', config: { ...m.config, distributed: { workers: 2 } },
    }));
    assert.equal(await keras.textContent('.sc-status'), 'Completed');
    assert.equal(await keras.locator('.sc-compare').isVisible(), false, 'the plain twin is built from the tfjs model; a Keras run has none');
  });

  it('ends with the final figures in the header: training, validation and the test set', async () => {
    const page = await open();
    await post(page, run.slice(0, 100));
    assert.equal(await page.locator('.sc-final').isVisible(), false, 'nothing final while it runs');
    const test = { name: 'mnist t10k', samples: 10000, of: 10000, loss: 0.0812, acc: 0.9741 };
    await post(page, run.slice(100).map((m) => (m.type === 'end' ? { ...m, test } : m)));
    const last = run.filter((m): m is Extract<TrainerMessage, { type: 'epoch' }> => m.type === 'epoch').at(-1)!;
    assert.equal(await page.textContent('.sc-final'),
      `Final (epoch ${last.epoch}): training loss ${last.loss.toFixed(4)}, accuracy ${(100 * last.acc!).toFixed(1)} % · ` +
      `validation loss ${last.valLoss!.toFixed(4)}, accuracy ${(100 * last.valAcc!).toFixed(1)} % · test (mnist t10k, all 10,000 samples): loss 0.0812, accuracy 97.4 %`);
  });

  it('shows a trainer error in the panel itself', async () => {
    const page = await open();
    await post(page, [
      ...run.slice(0, 5),
      { type: 'error', code: 'non-finite-loss', message: 'The loss became NaN at epoch 1, batch 3.', detail: 'learning rate 10 is too high' },
    ]);
    const banner = page.locator('.sc-error');
    assert.ok(await banner.isVisible());
    assert.equal(await banner.getAttribute('role'), 'alert');
    assert.match((await banner.textContent()) ?? '', /Training failed: The loss became NaN at epoch 1, batch 3\.non-finite-loss/);
    assert.equal(await page.textContent('.sc-status'), 'Failed');
    assert.equal(await page.locator('.sc-stop').isVisible(), false);
  });

  it('overlays previous runs of the same model (plain vs residual)', async () => {
    const page = await open();
    await post(page, [{ type: 'history', runs: [{ label: 'plain', messages: plainVariant(run) }] }, ...run]);
    const plain = await tableColumn(page, 'chart-std-order', 'plain');
    assert.deepEqual(plain.values, lastStd(plainVariant(run)).layers.map((l) => l.std));
    // An overlaid run has its own colour (slot 3), distinct from this run's train (c1) and validation (c2).
    const c3 = await cssVar(page, '--sc-c3');
    assert.ok((await canvasStats(page, '#chart-std-order', c3)).matching > 40, 'history series not drawn');
    assert.ok((await canvasStats(page, '#chart-loss', c3)).matching > 20, 'history loss not drawn');
    const legend = (await page.textContent('#chart-loss .u-legend')) ?? '';
    assert.match(legend, /plain train/);
    assert.match(legend, /plain val/);
  });

  it('toggles the loss axis between linear and log', async () => {
    const page = await open();
    await post(page, run);
    const toggle = page.locator('#chart-loss .sc-toggle');
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
    const pixels = () => page.evaluate(() => document.querySelector<HTMLCanvasElement>('#chart-loss canvas')!.toDataURL());
    const linear = await pixels();
    await toggle.click();
    await post(page, []);
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
    await page.waitForTimeout(400);
    assert.equal(((await probe(page)).state as { logLoss: boolean }).logLoss, true);
    assert.notEqual(await pixels(), linear, 'the chart did not change');
    assert.ok((await canvasStats(page, '#chart-loss', await cssVar(page, '--sc-c1'))).matching > 40);
  });

  it('persists its state and restores it after a reload, marked as not live', async () => {
    const page = await open();
    await post(page, run.slice(0, 100));
    await page.waitForTimeout(400); // setState is throttled
    const saved = (await probe(page)).state as { version: number; run: { epochs: unknown[]; batches: unknown[] } };
    assert.equal(saved.version, 1);
    assert.equal(saved.run.epochs.length, 1);
    assert.equal(saved.run.batches.length, 71 + 25);

    const restored = await open({ restored: true, savedState: saved });
    assert.equal(await restored.textContent('.sc-title'), 'resnet20');
    assert.equal(await restored.textContent('.sc-status'), 'Restored — no longer live');
    assert.equal(await restored.locator('.sc-stop').isVisible(), false);
    const s = await canvasStats(restored, '#chart-std-order', await cssVar(restored, '--sc-c1'));
    assert.ok(s.matching > 40, 'restored std chart is empty');
  });

  it('renders the stand-alone report from inlined bundle, CSS and messages', async () => {
    const html = buildReportHtml({
      title: 'resnet20 </title><script>alert(1)</script>', script: bundle.js, css: bundle.css, messages: run,
      history: [{ label: 'plain', messages: plainVariant(run) }],
    });
    writeFileSync(join(resultsDir, 'report.html'), html);
    const page = await open({ reportHtml: html });
    assert.equal(await page.title(), 'resnet20 </title><script>alert(1)</script>');
    assert.equal(await page.locator('.sc-stop').isVisible(), false);
    const c1 = await cssVar(page, '--sc-c1');
    for (const id of chartIds) assert.ok((await canvasStats(page, `#${id}`, c1)).matching > 40, `${id} empty in the report`);
    assert.deepEqual((await tableColumn(page, 'chart-std-order', 'plain')).values, lastStd(plainVariant(run)).layers.map((l) => l.std));
  });

  it('marks a report of a killed run (no end message) "Interrupted", in the header and the comparison table', async () => {
    const killed = run.filter((m) => m.type !== 'end');
    assert.ok(killed.length < run.length, 'the recorded run has an end message to drop');
    const page = await open({ reportHtml: buildReportHtml({ title: 'killed', script: bundle.js, css: bundle.css, messages: killed,
      variants: [{ label: 'plain', messages: plainVariant(run).filter((m) => m.type !== 'end') }] }) });
    assert.equal(await page.textContent('.sc-status'), 'Interrupted');
    const status = await page.$$eval('#comparison tbody tr', (trs) => trs.map((tr) => tr.lastElementChild?.textContent));
    assert.deepEqual(status, ['interrupted', 'interrupted']);
    const done = await open({ reportHtml: buildReportHtml({ title: 'done', script: bundle.js, css: bundle.css, messages: run }) });
    assert.equal(await done.textContent('.sc-status'), 'Completed');
  });

  it('tells batch, train and validation apart: grey batches, blue train, red dashed validation, named in the legend', async () => {
    const page = await open();
    await post(page, run);
    for (const [slot, what] of [['--sc-c7', 'batch loss'], ['--sc-c1', 'train loss'], ['--sc-c2', 'val loss']]) {
      assert.ok((await canvasStats(page, '#chart-loss', await cssVar(page, slot))).matching > 20, `${what} not drawn in ${slot}`);
    }
    const colours = await page.evaluate(() => ['--sc-c7', '--sc-c1', '--sc-c2'].map((v) => getComputedStyle(document.body).getPropertyValue(v).trim()));
    assert.equal(new Set(colours).size, 3, `three distinct colours: ${colours}`);
    const legend = (await page.textContent('#chart-loss .u-legend')) ?? '';
    for (const label of ['batch loss', 'train loss', 'val loss']) assert.ok(legend.includes(label), `legend lacks ${label}`);
  });

  /** The recorded run as the residual model of an ablation: its two 1x1 projections flagged as such. */
  function residualVariant(): TrainerMessage[] {
    return run.map((m) => m.type !== 'std' ? m : { ...m, layers: m.layers.map((l) => (/^conv2d_(9|16)$/.test(l.layer) ? { ...l, projection: true } : l)) });
  }
  /** Its plain twin: no projections, larger responses, higher loss. */
  function plainTwin(): TrainerMessage[] {
    return plainVariant(residualVariant()).map((m) => m.type !== 'std' ? m : { ...m, layers: m.layers.filter((l) => !l.projection) });
  }

  for (const theme of ['light', 'dark'] as const) {
    it(`compares an ablation: table, reading, paper caption, aligned Fig. 7 overlay (${theme} screenshot)`, async () => {
      const page = await open(theme === 'dark'
        ? { colorScheme: 'dark', vscodeVars: darkTheme, bodyClass: 'vscode-dark' }
        : { colorScheme: 'light', bodyClass: 'vscode-light' });
      const plain = plainTwin();
      // Live: the residual run's own messages, the plain twin's wrapped as a variant.
      await post(page, [...residualVariant(), ...plain.map((message) => ({ type: 'variant', label: 'plain', message }) as unknown as TrainerMessage)]);
      const card = page.locator('#comparison');
      assert.ok(await card.isVisible());
      const rows = await page.$$eval('#comparison tbody tr', (trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent)));
      assert.equal(rows.length, 2);
      assert.deepEqual(rows.map((r) => r[0]), ['residual', 'plain']);
      assert.deepEqual(rows.map((r) => r[2]), ['3', '3']);
      const reading = (await page.textContent('#comparison .sc-reading')) ?? '';
      assert.match(reading, /^plain: training loss [\d.]+ vs [\d.]+ after 3 epochs; validation accuracy [\d.]+ % vs [\d.]+ %; responses 1\.\d× larger$/);
      assert.match((await page.textContent('#comparison .sc-caption')) ?? '', /He et al\. 2015/);
      // Fig. 7 overlay: projections left out, so layer k of both runs is the k-th 3x3 layer.
      const res = await tableColumn(page, 'chart-std-order', 'residual');
      const pl = await tableColumn(page, 'chart-std-order', 'plain');
      assert.equal(res.values.length, 19);
      assert.equal(pl.values.length, 19);
      assert.ok(!res.names.some((n) => /^conv2d_(9|16)$/.test(n)), 'projection layers are not in the overlay');
      assert.ok(pl.values.every((v, i) => v > res.values[i]), 'plain responses larger at every aligned layer');
      assert.match((await page.textContent('#chart-std-order .sc-card-caption')) ?? '', /19 of 19 layers smaller/);
      assert.ok((await canvasStats(page, '#chart-loss', await cssVar(page, '--sc-c3'))).matching > 20, 'plain loss not drawn');
      const png = await page.screenshot({ fullPage: true });
      writeFileSync(join(resultsDir, `ablation-${theme}.png`), png);
    });
  }

  it('labels a depth sweep by depth: the panel\'s own run as "resnet-20", each other run under its label', async () => {
    const page = await open({ colorScheme: 'light', bodyClass: 'vscode-light' });
    const as = (label: string, messages: TrainerMessage[]) =>
      messages.map((message) => ({ type: 'variant', label, message, primary: 'resnet-20' }) as unknown as TrainerMessage);
    await post(page, [...residualVariant(), ...as('plain-20', plainTwin()), ...as('resnet-56', residualVariant()), ...as('plain-56', plainTwin())]);
    const rows = await page.$$eval('#comparison tbody tr', (trs) => trs.map((tr) => tr.querySelector('td')?.textContent));
    assert.deepEqual(rows, ['resnet-20', 'plain-20', 'resnet-56', 'plain-56']);
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`is readable in a ${theme} theme (screenshot in test-results/)`, async () => {
      const page = await open(theme === 'dark'
        ? { colorScheme: 'dark', vscodeVars: darkTheme, bodyClass: 'vscode-dark' }
        : { colorScheme: 'light', bodyClass: 'vscode-light' });
      await post(page, [{ type: 'history', runs: [{ label: 'plain', messages: plainVariant(run) }] }, ...run]);
      const colours = await page.evaluate(() => {
        const body = getComputedStyle(document.body);
        const card = getComputedStyle(document.querySelector('.sc-card')!);
        return { fg: body.color, bg: body.backgroundColor, cardBg: card.backgroundColor };
      });
      if (theme === 'dark') assert.equal(colours.bg, 'rgb(30, 30, 30)', 'VS Code background not used');
      assert.ok(contrast(colours.fg, colours.bg) >= 4.5, `text contrast ${contrast(colours.fg, colours.bg).toFixed(2)}`);
      assert.ok(contrast(colours.fg, colours.cardBg) >= 4.5, `card text contrast ${contrast(colours.fg, colours.cardBg).toFixed(2)}`);
      // Axis labels are drawn on the canvas in the theme foreground.
      assert.ok((await canvasStats(page, '#chart-loss', colours.fg)).matching > 30, 'axis text not in the foreground colour');
      const png = await page.screenshot({ fullPage: true });
      writeFileSync(join(resultsDir, theme === 'light' ? 'webview.png' : 'webview-dark.png'), png);
      const distinct = await distinctColours(page, png);
      assert.ok(distinct > 200, `screenshot has only ${distinct} colours`);
    });
  }
});
