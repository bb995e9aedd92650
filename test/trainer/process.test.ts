// The trainer as the VS Code side and the CLI run it: a separate process speaking JSON lines.
import assert from 'node:assert/strict';
import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { formatMessage, runTrainCli, trainerCommand, parseTrainArgs } from '../../server/src/trainer/cli';
import { MESSAGE_FD, MESSAGE_FD_ENV, TRAINER_STDIO, type TrainerMessage } from '../../contract/protocol';
import type { Readable } from 'node:stream';
import { RESIDUAL_MODEL, config, tempDir, writeModel } from './fixtures';

function startTrainer(): { child: ChildProcessWithoutNullStreams; next: (pred: (m: TrainerMessage) => boolean) => Promise<TrainerMessage>; exited: Promise<number | null> } {
  const child = spawn(process.execPath, trainerCommand(), { stdio: [...TRAINER_STDIO], env: { ...process.env, [MESSAGE_FD_ENV]: String(MESSAGE_FD) } });
  const waiters: { pred: (m: TrainerMessage) => boolean; resolve: (m: TrainerMessage) => void }[] = [];
  createInterface({ input: child.stdio[MESSAGE_FD] as Readable }).on('line', (line) => {
    const m = JSON.parse(line) as TrainerMessage;
    for (const w of waiters.splice(0)) { if (w.pred(m)) w.resolve(m); else waiters.push(w); }
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, exited, next: (pred) => new Promise((resolve) => waiters.push({ pred, resolve })) };
}

describe('trainer: process protocol and CLI', function () {
  this.timeout(90_000);

  it('cancels within a second on {"type":"cancel"} and exits 130', async () => {
    const dir = tempDir();
    const t = startTrainer();
    t.child.stdin.write(JSON.stringify(config(writeModel(dir, RESIDUAL_MODEL([16, 16, 1], 4)), dir, { epochs: 100, dataset: { kind: 'synthetic', samples: 3000 } })) + '\n');
    await t.next((m) => m.type === 'batch' && m.batch === 2);
    const sent = Date.now();
    t.child.stdin.write('{"type":"cancel"}\n');
    const end = await t.next((m) => m.type === 'end' || m.type === 'error');
    const ms = Date.now() - sent;
    assert.deepEqual([end.type, end.type === 'end' && end.reason], ['end', 'cancelled']);
    assert.ok(ms < 1000, `cancel took ${ms} ms`);
    assert.equal(await t.exited, 130);
  });

  it('exits by itself when its parent goes away (stdin closes)', async () => {
    const dir = tempDir();
    const t = startTrainer();
    t.child.stdin.write(JSON.stringify(config(writeModel(dir, RESIDUAL_MODEL([16, 16, 1], 4)), dir, { epochs: 100, dataset: { kind: 'synthetic', samples: 3000 } })) + '\n');
    await t.next((m) => m.type === 'batch');
    const closed = Date.now();
    t.child.stdin.end();
    await t.exited;
    assert.ok(Date.now() - closed < 4000);
  });

  it('prints how the steps run on its own line, clearing a progress line on a terminal', () => {
    const m: TrainerMessage = { type: 'execution', mode: 'eager', message: 'training steps run op by op (why)' };
    assert.equal(formatMessage(m, false), '  steps: training steps run op by op (why)\n');
    assert.equal(formatMessage(m, true), '\r\x1b[K  steps: training steps run op by op (why)\n');
  });

  it('parses the CLI flags into a TrainConfig', () => {
    const { config: c, node } = parseTrainArgs(['m.ts', '--dataset', 'idx:a.idx,b.idx', '--epochs', '3', '--batch-size', '16', '--lr', '0.01',
      '--max-samples', '100', '--seed', '9', '--out', 'o', '--entry', 'net', '--node', '/opt/node'], '/w');
    assert.deepEqual({ ...c }, {
      ...c, modelFile: '/w/m.ts', dataset: { kind: 'idx', images: 'a.idx', labels: 'b.idx' }, epochs: 3, batchSize: 16,
      learningRate: 0.01, maxSamples: 100, seed: 9, runsDir: '/w/o', entry: 'net', workspaceDir: '/w',
    });
    assert.equal(node, '/opt/node');
    assert.deepEqual(parseTrainArgs(['m.ts', '--dataset', 'cifar10:/data/c'], '/w').config.dataset, { kind: 'cifar10', dir: '/data/c' });
    assert.throws(() => parseTrainArgs(['m.ts', '--dataset', 'imagenet'], '/w'), /Unknown dataset "imagenet"/);
    assert.throws(() => parseTrainArgs(['m.ts', '--epochs', 'many'], '/w'), /--epochs needs a number/);
    assert.throws(() => parseTrainArgs(['m.ts', '--epochs', '0'], '/w'), /"epochs" must be an integer >= 1/);
    assert.throws(() => parseTrainArgs(['--epochs', '2'], '/w'), /modelFile/);
  });

  it('`skipcheck train` runs the trainer, prints progress and writes report.html into the run folder', async () => {
    const dir = tempDir();
    const model = writeModel(dir, RESIDUAL_MODEL([8, 8, 1], 3));
    const out: string[] = [];
    const err: string[] = [];
    const code = await runTrainCli([model, '--epochs', '2', '--out', join(dir, 'run'), '--lr', '0.01'],
      { write: (l) => out.push(l), error: (l) => err.push(l), tty: false });
    const text = out.join('');
    assert.equal(code, 0, text + err.join(''));
    assert.match(text, /epoch 1\/2: loss \d/);
    assert.match(text, /epoch 2\/2: loss \d/);
    assert.match(text, /Training completed/);
    const runs = readdirSync(join(dir, 'run'));
    assert.equal(runs.length, 1, 'one folder per run under --out');
    const report = join(dir, 'run', runs[0], 'report.html');
    assert.ok(existsSync(join(dir, 'run', runs[0], 'complete.json')), 'marked complete');
    assert.ok(existsSync(report));
    const html = readFileSync(report, 'utf8');
    assert.doesNotMatch(html, /<script[^>]+src=|<link[^>]+href=|https?:\/\/(?!www\.w3\.org)/, 'the report loads nothing from outside');
    assert.match(html, /b1_add/, 'the run data is in the page');
  });

  it('`skipcheck train` returns 1 with the error code on bad input', async () => {
    const dir = tempDir();
    const out: string[] = [];
    const code = await runTrainCli([writeModel(dir, RESIDUAL_MODEL([8, 8, 1], 10)), '--dataset', `cifar10:${join(dir, 'none')}`],
      { write: (l) => out.push(l), error: (l) => out.push(l), tty: false });
    assert.equal(code, 1);
    assert.match(out.join(''), /error \[dataset-missing\]: CIFAR-10 folder not found/);
  });
});
