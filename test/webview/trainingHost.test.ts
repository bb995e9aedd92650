// Extension-side training pieces that need no VS Code: stdout line splitting, the panel HTML and its CSP,
// history loading from a runs folder, settings validation, and the trainer process lifecycle.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportedFunctionNames } from '../../client/src/training/exportedFunctions';
import { messageForEditor } from '../../client/src/training/editorWording';
import { loadHistory, readMetrics, runLabel } from '../../client/src/training/history';
import { buildPanelHtml, makeNonce, panelCsp } from '../../client/src/training/html';
import { LineSplitter, parseTrainerLine } from '../../client/src/training/lines';
import { statusText } from '../../client/src/training/statusText';
import { buildTrainConfig, defaultSettings, describeSettings, resolveNodePath, SettingsError } from '../../client/src/training/trainConfig';
import { TrainerProcess } from '../../client/src/training/trainerProcess';
import { TrainingRun } from '../../client/src/training/trainingRun';
import type { TrainConfig, TrainerMessage } from '../../contract/protocol';
import type { HistoryRun } from '../../contract/panel';
import { recordedRun } from './harness';

const fakeTrainer = join(__dirname, 'fixtures', 'fake-trainer.js');

describe('training host: stdout lines', () => {
  it('reassembles lines split across chunks, including a UTF-8 character', () => {
    const s = new LineSplitter();
    const bytes = Buffer.from('{"type":"warning","message":"σ too large"}\r\nsecond', 'utf8');
    const cut = bytes.indexOf(0xcf) + 1; // inside the two-byte σ
    assert.deepEqual(s.push(bytes.subarray(0, cut)), []);
    assert.deepEqual(s.push(bytes.subarray(cut)), ['{"type":"warning","message":"σ too large"}']);
    assert.deepEqual(s.push('\n\nthird'), ['second']);
    assert.deepEqual(s.flush(), ['third']);
    assert.deepEqual(s.flush(), []);
  });

  it('tells protocol messages from other output', () => {
    assert.deepEqual(parseTrainerLine('{"type":"warning","message":"m"}'), { message: { type: 'warning', message: 'm' } });
    assert.deepEqual(parseTrainerLine('Platform node has already been set.'), { text: 'Platform node has already been set.' });
    assert.deepEqual(parseTrainerLine('{"type":"progress"}'), { text: '{"type":"progress"}' });
    assert.deepEqual(parseTrainerLine('{"type":'), { text: '{"type":' });
  });
});

describe('training host: panel HTML', () => {
  const nonce = makeNonce();
  const html = buildPanelHtml({
    cspSource: 'https://file+.vscode-resource.vscode-cdn.net', nonce, title: 'Train <resnet>',
    scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js',
    styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.css',
  });

  it('uses a fresh nonce each time', () => {
    assert.notEqual(makeNonce(), makeNonce());
    assert.match(nonce, /^[A-Za-z0-9+/]{24}$/);
  });

  it('declares the strict CSP and nothing looser', () => {
    const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)![1].replace(/&#39;/g, "'");
    assert.equal(csp, panelCsp('https://file+.vscode-resource.vscode-cdn.net', nonce));
    const directives = Object.fromEntries(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    assert.deepEqual(directives, {
      'default-src': ["'none'"],
      'script-src': [`'nonce-${nonce}'`],
      'style-src': ['https://file+.vscode-resource.vscode-cdn.net', `'nonce-${nonce}'`],
      'img-src': ['https://file+.vscode-resource.vscode-cdn.net', 'data:'],
    });
  });

  it('loads only the bundle, with the nonce, and escapes the title', () => {
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    assert.deepEqual(scripts, [`<script nonce="${nonce}" src="https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js">`]);
    const urls = [...html.matchAll(/(?:src|href)="([^"]*)"/g)].map((m) => m[1]);
    assert.ok(urls.every((u) => u.startsWith('https://file+.vscode-resource.vscode-cdn.net/ext/dist/')), urls.join());
    assert.match(html, /<title>Train &#60;resnet&#62;<\/title>/);
    assert.match(html, /<body data-mode="live">/);
  });
});

describe('training host: history of earlier runs', () => {
  const ws = mkdtempSync(join(tmpdir(), 'skipcheck-history-'));
  const modelFile = join(ws, 'src', 'resnet.ts');
  const run = recordedRun();
  const plain = run.map((m): TrainerMessage => (m.type === 'std' ? { ...m, blocks: [] } : m));

  function writeRun(name: string, config: Partial<TrainConfig>, messages: TrainerMessage[], extra = '', age = 0): void {
    const dir = join(ws, '.skipcheck', 'runs', name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ modelFile, entry: 'resnet20', ...config }));
    writeFileSync(join(dir, 'metrics.jsonl'), messages.map((m) => JSON.stringify(m) + '\n').join('') + extra);
    const t = new Date(Date.UTC(2025, 10, 20, 10, 0) - age * 60_000);
    utimesSync(dir, t, t);
  }

  before(() => {
    writeRun('2025-11-20T09-00-00-000Z', { dataset: { kind: 'cifar10', dir: '/data/c' } }, plain, '', 60);
    // Another dataset: not comparable, left out when the query names one.
    writeRun('2025-11-20T09-10-00-000Z', { dataset: { kind: 'mnist' } }, run, '', 50);
    // Still being written: its partial last line is dropped.
    writeRun('2025-11-20T10-00-00-000Z', {}, run, '{"type":"batch","epo', 0);
    writeRun('2025-11-20T09-30-00-000Z', { entry: 'plain20' }, run, '', 30);
    writeRun('2025-11-20T09-40-00-000Z', { modelFile: join(ws, 'src', 'other.ts') }, run, '', 20);
    // Failed before the first epoch: nothing to compare.
    writeRun('2025-11-20T09-50-00-000Z', {}, run.slice(0, 5), '', 10);
    mkdirSync(join(ws, '.skipcheck', 'runs', 'not-a-run'));
  });

  it('returns the runs of the same file, entry and dataset, newest first, labelled by time, data, epochs and variant', () => {
    const history = loadHistory({ workspaceDir: ws, modelFile, entry: 'resnet20', dataset: { kind: 'cifar10', dir: '/data/c' } });
    assert.deepEqual(history.map((h) => h.label), ['11-20 09:00 · CIFAR-10 4500 samples · 3 epochs · plain']);
    assert.deepEqual(loadHistory({ workspaceDir: ws, modelFile, entry: 'resnet20', limit: 5 }).map((h) => h.label),
      ['11-20 10:00 · CIFAR-10 4500 samples · 3 epochs · residual, 9 blocks', '11-20 09:10 · CIFAR-10 4500 samples · 3 epochs · residual, 9 blocks', '11-20 09:00 · CIFAR-10 4500 samples · 3 epochs · plain']);
  });

  it('without a dataset in the query, every run of the file and entry is offered', () => {
    const history = loadHistory({ workspaceDir: ws, modelFile, entry: 'resnet20', limit: 3 });
    assert.equal(history[0].messages.length, run.length);
    assert.deepEqual(history[2].messages, plain);
  });

  it('honours the limit and the excluded live run', () => {
    const dir = join(ws, '.skipcheck', 'runs', '2025-11-20T10-00-00-000Z');
    assert.deepEqual(loadHistory({ workspaceDir: ws, modelFile, entry: 'resnet20', excludeRunDir: dir, limit: 5 }).map((h) => h.label.slice(0, 11)), ['11-20 09:10', '11-20 09:00']);
    assert.equal(loadHistory({ workspaceDir: ws, modelFile, entry: 'resnet20', limit: 1 }).length, 1);
  });

  it('is empty without a runs folder, and labels odd folder names as they are', () => {
    assert.deepEqual(loadHistory({ workspaceDir: join(ws, 'src'), modelFile, entry: 'resnet20' }), []);
    assert.equal(runLabel('baseline', []), 'baseline');
    assert.deepEqual(readMetrics(join(ws, 'missing.jsonl')), []);
  });
});

describe('training host: settings', () => {
  const target = { modelFile: '/w/m.ts', entry: 'resnet20', dataset: { kind: 'mnist' } as const, workspaceDir: '/w' };

  it('builds the trainer config from the settings', () => {
    assert.deepEqual(buildTrainConfig({ ...defaultSettings, epochs: 3, maxSamples: 500 }, target), {
      modelFile: '/w/m.ts', entry: 'resnet20', dataset: { kind: 'mnist' }, epochs: 3, batchSize: 64, optimizer: 'adam',
      learningRate: 0.001, validationSplit: 0.1, seed: 42, maxSamples: 500, probeSize: 64, workspaceDir: '/w',
    });
    assert.equal(buildTrainConfig(defaultSettings, target).maxSamples, undefined);
  });

  it('names the bad setting and its value', () => {
    const bad: [Partial<typeof defaultSettings>, RegExp][] = [
      [{ epochs: 0 }, /skipcheck\.train\.epochs must be a whole number of at least 1 \(got 0\)/],
      [{ batchSize: 2.5 }, /skipcheck\.train\.batchSize .*got 2\.5/],
      [{ learningRate: -1 }, /learningRate must be a positive number \(got -1\)/],
      [{ optimizer: 'adagrad' }, /optimizer must be one of adam, sgd, rmsprop \(got "adagrad"\)/],
      [{ validationSplit: 1 }, /validationSplit must be in \[0, 1\)/],
    ];
    for (const [patch, message] of bad) {
      assert.throws(() => buildTrainConfig({ ...defaultSettings, ...patch }, target), (e: unknown) => e instanceof SettingsError && message.test(e.message));
    }
  });

  it('says what a run will do while the data is picked', () => {
    assert.equal(describeSettings(defaultSettings), '10 epochs, batch 64, adam at 0.001, all samples (skipcheck.train settings)');
    assert.equal(describeSettings({ ...defaultSettings, epochs: 1, maxSamples: 1, optimizer: 'sgd', learningRate: 0.1 }),
      '1 epoch, batch 64, sgd at 0.1, at most 1 sample (skipcheck.train settings)');
  });

  it("runs the user's node unless a path is configured", () => {
    assert.equal(resolveNodePath(''), 'node');
    assert.equal(resolveNodePath('  /opt/node20/bin/node '), '/opt/node20/bin/node');
  });

  it('words the status bar item', () => {
    assert.equal(statusText({ modelName: 'resnet20', epoch: 3, epochs: 10 }, 0), '$(sync~spin) Training resnet20 epoch 3/10');
    assert.equal(statusText({ modelName: 'resnet20', epoch: 0, epochs: 10 }, 1), '$(sync~spin) Training resnet20 (starting) (+1)');
  });

  it('offers exported functions as entries when the analyzer has none', () => {
    const text = [
      'export function resnet20(): tf.LayersModel {', 'export async function loadIt() {', 'function hidden() {}',
      'export const plain20 = (): tf.LayersModel => build(false);', 'export const depth = 20;', 'export default function main() {',
      'export const wide = width => build(width);',
    ].join('\n');
    assert.deepEqual(exportedFunctionNames(text).sort(), ['loadIt', 'main', 'plain20', 'resnet20', 'wide']);
  });
});

describe('training host: trainer process', function () {
  this.timeout(20_000);
  const dir = mkdtempSync(join(tmpdir(), 'skipcheck-proc-'));

  function configFile(mode: string): string {
    const file = join(dir, `${mode}.json`);
    writeFileSync(file, JSON.stringify({ mode }));
    return file;
  }

  function spawnFake(mode: string, nodePath = process.execPath) {
    const messages: TrainerMessage[] = [];
    const logs: string[] = [];
    let proc!: TrainerProcess;
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: string }>((resolve) => {
      proc = new TrainerProcess({ nodePath, trainerScript: fakeTrainer, configFile: configFile(mode), cwd: dir }, {
        onMessage: (m) => messages.push(m), onLog: (t) => logs.push(t), onExit: resolve,
      });
    });
    const until = async (test: () => boolean) => {
      for (let i = 0; i < 200 && !test(); i++) await new Promise((r) => setTimeout(r, 20));
    };
    return { proc, messages, logs, exited, until };
  }

  it('routes messages and logs, and stops on cancel', async () => {
    const t = spawnFake('obedient');
    await t.until(() => t.messages.length >= 2);
    assert.deepEqual(t.messages.map((m) => m.type), ['start', 'batch']);
    t.proc.cancel();
    const exit = await t.exited;
    assert.equal(exit.code, 130);
    assert.deepEqual(t.messages.map((m) => m.type), ['start', 'batch', 'end']);
    assert.deepEqual(t.logs.sort(), ['loading model', 'tfjs: hello from a library', '{"type":"end","reason":"completed","runDir":"/x","seconds":1}'].sort());
    assert.equal(t.proc.running, false);
  });

  it('kills a trainer that ignores cancel after the grace period', async () => {
    const t = spawnFake('deaf');
    await t.until(() => t.messages.length >= 1);
    const started = Date.now();
    t.proc.cancel(300);
    const exit = await t.exited;
    assert.equal(exit.signal, 'SIGKILL');
    assert.ok(Date.now() - started >= 280, 'killed before the grace period');
  });

  it('explains a node that cannot be started', async () => {
    const t = spawnFake('obedient', join(dir, 'no-such-node'));
    const exit = await t.exited;
    assert.match(exit.error ?? '', /Could not start ".*no-such-node": not found\. Install Node\.js 20\+ or set skipcheck\.train\.nodePath\./);
  });

  function trainingRun(mode: string, history: HistoryRun[] = []) {
    const posted: unknown[] = [];
    let done!: () => void;
    const over = new Promise<void>((r) => { done = r; });
    const config = { ...buildTrainConfig(defaultSettings, { modelFile: '/w/m.ts', entry: 'e', dataset: { kind: 'synthetic' }, workspaceDir: dir }), mode };
    const run = new TrainingRun({ config, nodePath: process.execPath, trainerScript: fakeTrainer, cwd: dir, history }, {
      post: (m) => posted.push(m), log: () => undefined, changed: (r) => { if (!r.active) done(); },
    });
    return { run, posted, over };
  }

  it('turns a crash without an error message into a visible error with the stderr tail', async () => {
    const before = readdirSync(tmpdir()).filter((f) => f.startsWith('skipcheck-train-')).length;
    const t = trainingRun('crash', [{ label: 'old', messages: [] }]);
    t.run.start();
    await t.over;
    assert.deepEqual(t.posted[0], { type: 'history', runs: [{ label: 'old', messages: [] }] });
    assert.deepEqual(t.posted[1], {
      type: 'error', code: 'internal', message: 'The trainer exited with code 3 without reporting why.',
      detail: 'TypeError: model.fit is not a function\n    at train (model.ts:3:9)',
    });
    assert.equal(readdirSync(tmpdir()).filter((f) => f.startsWith('skipcheck-train-')).length, before, 'config file left behind');
  });

  it('reports a killed run as cancelled, with its run folder', async () => {
    const t = trainingRun('deaf');
    t.run.start();
    while (!t.posted.length) await new Promise((r) => setTimeout(r, 20));
    assert.equal(t.run.modelName, 'fake');
    t.run.cancel();
    await t.over;
    const end = t.posted.at(-1) as Extract<TrainerMessage, { type: 'end' }>;
    assert.equal(end.type, 'end');
    assert.equal(end.reason, 'cancelled');
    assert.equal(end.runDir, '/tmp/run');
  });

  it('follows the real dist/trainer.js, whose run then shows up as history', async function () {
    const trainer = join(__dirname, '../../dist/trainer.js');
    if (!existsSync(trainer)) this.skip();
    const ws = mkdtempSync(join(tmpdir(), 'skipcheck-ws-'));
    const modelFile = join(__dirname, 'fixtures', 'tiny-resnet.js');
    const config = buildTrainConfig({ ...defaultSettings, epochs: 2, batchSize: 32, probeSize: 16 }, {
      modelFile, entry: 'tiny', dataset: { kind: 'synthetic', samples: 128, classes: 2 }, workspaceDir: ws,
    });
    const posted: TrainerMessage[] = [];
    await new Promise<void>((resolve) => {
      new TrainingRun({ config, nodePath: process.execPath, trainerScript: trainer, cwd: ws, history: [] }, {
        post: (m) => posted.push(m as TrainerMessage), log: () => undefined, changed: (r) => { if (!r.active) resolve(); },
      }).start();
    });
    assert.equal(posted.at(-1)?.type, 'end', JSON.stringify(posted.at(-1)));
    const std = posted.filter((m) => m.type === 'std');
    assert.equal(std.length, 2);
    assert.equal(std[1].type === 'std' && std[1].blocks.length, 2);
    const history = loadHistory({ workspaceDir: ws, modelFile, entry: 'tiny' });
    assert.equal(history.length, 1);
    assert.match(history[0].label, / · residual, 2 blocks$/);
    // The panel gets the editor's wording of the advice (no CLI flags); the run folder keeps the trainer's own.
    assert.deepEqual(history[0].messages.map(messageForEditor), posted);
  });
});
