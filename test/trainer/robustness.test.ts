// The trainer under faults: model code that prints protocol-looking JSON, never returns or spins; a CLI
// killed or interrupted with Ctrl+C; reused and unwritable output folders; hostile dataset files; damaged
// metrics files. Tiny dense models on synthetic data keep it cheap on pure-JS tfjs.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadHistory } from '../../client/src/training/history';
import { formatMessage, runTrainCli } from '../../server/src/trainer/cli';
import { loadIdxPair, parseIdx } from '../../server/src/trainer/datasets/idx';
import { DatasetFormatError } from '../../server/src/trainer/datasets/dataset';
import { isTrainerMessage, type TrainerMessage } from '../../contract/protocol';
import { readRunMessages } from '../../server/src/trainer/report/runRecord';
import { writeReport } from '../../server/src/trainer/report/writeReport';
import { MetricsLog } from '../../server/src/trainer/runDir';
import { toErrorMessage } from '../../server/src/trainer/train';
import { tempDir, writeModel } from './fixtures';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'skipcheck.js');

/** A 4 -> 2 softmax model; `before`/`inEntry` are statements run at module load / inside the entry. */
const tiny = (before = '', inEntry = '') => `
import * as tf from '@tensorflow/tfjs';
import * as fs from 'node:fs';
${before}
export function buildModel() {
  ${inEntry}
  const m = tf.sequential();
  m.add(tf.layers.dense({ inputShape: [4], units: 2, activation: 'softmax' }));
  return m;
}
`;

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const started = Date.now();
  const code = await runTrainCli([...args, '--dataset', 'synthetic', '--lr', '0.01'], { write: (l) => out.push(l), error: (l) => err.push(l), tty: false });
  return { code, out: out.join(''), err: err.join(''), ms: Date.now() - started };
}

const runsIn = (dir: string) => readdirSync(dir).sort().map((n) => join(dir, n));

/** Pids whose parent is `ppid` (Linux /proc). */
function childrenOf(ppid: number): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === ppid) pids.push(Number(name));
    } catch { /* gone */ }
  }
  return pids;
}

const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };
const until = async (test: () => boolean, ms: number) => {
  for (const end = Date.now() + ms; !test() && Date.now() < end;) await new Promise((r) => setTimeout(r, 50));
  return test();
};

describe('trainer robustness', function () {
  this.timeout(120_000);

  it('model code printing protocol-looking JSON on stdout is passed through, not taken as a message', async () => {
    const dir = tempDir();
    const model = writeModel(dir, tiny(
      `console.log(JSON.stringify({ type: 'error', code: 'internal', message: 'printed by the model' }));`,
      `console.log('{"type":"end","reason":"completed"}'); console.log('{"type":"std","epoch":1}');`));
    const r = await cli([model, '--epochs', '1', '--out', join(dir, 'runs')]);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /^\{"type":"error","code":"internal","message":"printed by the model"\}$/m);
    assert.match(r.out, /^\{"type":"end","reason":"completed"\}$/m);
    assert.match(r.out, /Training completed/);
    assert.doesNotMatch(r.err, /error \[/);
  });

  it('an entry that never settles times out with a message (--load-timeout)', async () => {
    const dir = tempDir();
    const model = writeModel(dir, tiny('', 'await new Promise(() => undefined);').replace('export function', 'export async function'));
    const r = await cli([model, '--load-timeout', '1', '--out', join(dir, 'runs')]);
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(r.err, /error \[model-load-timeout\]: Loading .*model\.ts and calling its exported functions did not finish within 1 s/);
  });

  it('an entry that spins is stopped by the watchdog, which reports the timeout', async () => {
    const dir = tempDir();
    const model = writeModel(dir, tiny('', 'for (;;) { /* spins */ }'));
    const r = await cli([model, '--load-timeout', '1', '--entry', 'buildModel', '--out', join(dir, 'runs')]);
    assert.match(r.err, /error \[model-load-timeout\]: Loading .*model\.ts and calling buildModel\(\) did not finish within 1 s/);
    assert.equal(r.code, 1, 'a failure with a reported reason: the status of a timeout the trainer caught itself, not 137');
    assert.ok(r.ms < 30_000, `took ${r.ms} ms`);
    const [run] = runsIn(join(dir, 'runs'));
    assert.ok(readRunMessages(run).some((m) => m.type === 'error' && m.code === 'model-load-timeout'), 'the run folder records why');
    assert.ok(!existsSync(join(run, 'complete.json')));
  });

  it('the real signal is reported when the trainer is killed', async () => {
    const dir = tempDir();
    const pidFile = join(dir, 'pid');
    const model = writeModel(dir, tiny('', `fs.writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); for (;;) { /* spins */ }`));
    const running = cli([model, '--entry', 'buildModel', '--out', join(dir, 'runs')]);
    assert.ok(await until(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').length > 0, 60_000));
    process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGTERM');
    const r = await running;
    assert.equal(r.code, 128 + 15);
    assert.match(r.err, /The trainer was stopped by SIGTERM without reporting why/);
  });

  describe('with the bundled CLI', function () {
    before(function () {
      if (!existsSync(join(ROOT, 'dist', 'cli.js')) || !existsSync(join(ROOT, 'dist', 'trainer.js')) || process.platform !== 'linux') this.skip();
    });

    it('a CLI killed while the model code spins does not leave the trainer running', async () => {
      const dir = tempDir();
      const mark = join(dir, 'spinning');
      const model = writeModel(dir, tiny('', `fs.writeFileSync(${JSON.stringify(mark)}, ''); for (;;) { /* spins */ }`));
      const proc = spawn(process.execPath, [BIN, 'train', model, '--entry', 'buildModel', '--out', join(dir, 'runs')], { stdio: 'ignore' });
      assert.ok(await until(() => existsSync(mark), 60_000), 'the model code started');
      const [trainer] = childrenOf(proc.pid!);
      assert.ok(trainer && alive(trainer));
      proc.kill('SIGKILL');
      assert.ok(await until(() => !alive(trainer) || readFileSync(`/proc/${trainer}/stat`, 'utf8').includes(') Z '), 5000), 'the trainer died with its parent');
    });

    it('Ctrl+C (SIGINT to the process group) stops after the batch, saves the model and marks the run complete', async () => {
      const dir = tempDir();
      const model = writeModel(dir, tiny());
      const proc = spawn(process.execPath, [BIN, 'train', model, '--epochs', '500', '--dataset', 'synthetic', '--out', join(dir, 'runs')], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
      proc.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const exited = new Promise<number | null>((r) => proc.on('close', (code) => r(code)));
      assert.ok(await until(() => /epoch 1\/500/.test(out), 60_000), out);
      process.kill(-proc.pid!, 'SIGINT');
      assert.equal(await exited, 130, out);
      assert.match(out, /Training cancelled/);
      const [run] = runsIn(join(dir, 'runs'));
      assert.ok(existsSync(join(run, 'model', 'model.json')), 'the model was saved');
      assert.equal(JSON.parse(readFileSync(join(run, 'complete.json'), 'utf8')).outcome, 'cancelled');
      assert.ok(existsSync(join(run, 'report.html')));
    });
  });

  it('a reused --out gets one folder per run; only finished runs are marked complete', async () => {
    const dir = tempDir();
    const runs = join(dir, 'runs');
    const good = writeModel(dir, tiny(), 'good.ts');
    const bad = writeModel(dir, tiny('', `throw new Error('boom in the builder');`), 'bad.ts');
    assert.equal((await cli([good, '--epochs', '1', '--out', runs])).code, 0);
    const failed = await cli([bad, '--epochs', '1', '--out', runs]);
    assert.equal(failed.code, 1);
    // The only candidate entry threw: its own error, with the stack at the user's line (6 in bad.ts).
    assert.match(failed.err, /error \[model-load-failed\]: buildModel\(\) threw: boom in the builder/);
    assert.match(failed.err, /bad\.ts:6:\d+/);
    const [first, second] = runsIn(runs);
    assert.ok(existsSync(join(first, 'complete.json')) && existsSync(join(first, 'model', 'model.json')));
    assert.ok(!existsSync(join(second, 'complete.json')) && !existsSync(join(second, 'model')));
    assert.deepEqual(readdirSync(first).filter((f) => f.endsWith('.tmp')), []);
    // The same run killed before its end: its report (the static one here) says so instead of "training".
    const killed = join(dir, 'killed');
    mkdirSync(killed);
    const lines = readFileSync(join(first, 'metrics.jsonl'), 'utf8').split('\n').filter((l) => l && !l.startsWith('{"type":"end"'));
    writeFileSync(join(killed, 'metrics.jsonl'), lines.join('\n') + '\n');
    assert.match(readFileSync(writeReport(killed, 'svg'), 'utf8'), /Outcome<\/b><\/td><td>interrupted/);
    assert.match(readFileSync(writeReport(first, 'svg'), 'utf8'), /Outcome<\/b><\/td><td>completed after/);
  });

  it('an output folder that cannot be created is a user error, not internal', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), 'a file where the runs folder should go');
    const r = await cli([writeModel(dir, tiny()), '--out', join(dir, 'file', 'runs')]);
    assert.equal(r.code, 1);
    assert.match(r.err, /error \[output-not-writable\]: The run folder could not be created/);
  });

  it('a failed report write leaves no temp file; a failed metrics append warns once and never throws', () => {
    const dir = tempDir();
    const run = join(dir, 'run');
    mkdirSync(join(run, 'report.html'), { recursive: true }); // a folder where the report goes
    writeFileSync(join(run, 'metrics.jsonl'), '{"type":"warning","message":"w"}\n{"type":"batch","epo');
    assert.throws(() => writeReport(run, 'svg'));
    assert.deepEqual(readdirSync(run).filter((f) => f.includes('.tmp')), []);
    assert.deepEqual(readRunMessages(run), [{ type: 'warning', message: 'w' }], 'the partial last line is dropped');

    const full = join(dir, 'full');
    mkdirSync(full);
    symlinkSync('/dev/full', join(full, 'metrics.jsonl'));
    const log = new MetricsLog(full);
    const warning = log.append({ type: 'warning', message: 'x' });
    assert.match(warning?.type === 'warning' ? warning.message : '', /could not be written \(ENOSPC\).*training goes on/);
    assert.equal(log.append({ type: 'warning', message: 'y' }), undefined);
  });

  it('gzip bombs, truncated gz files and folders given as files are dataset-invalid errors', () => {
    const header = (dims: number[]) => Buffer.from([0, 0, 8, dims.length, ...dims.flatMap((d) => [d >>> 24, (d >>> 16) & 255, (d >>> 8) & 255, d & 255])]);
    // Declares 10 bytes, inflates to 64 MB.
    const bomb = gzipSync(Buffer.concat([header([10]), Buffer.alloc(64 * 2 ** 20)]));
    assert.ok(bomb.length < 100_000);
    const rss = process.memoryUsage().rss;
    assert.throws(() => parseIdx(bomb, 'bomb.gz'), (e: Error) => e instanceof DatasetFormatError && /inflates to more than the 18 bytes its IDX header declares/.test(e.message));
    assert.ok(process.memoryUsage().rss - rss < 48 * 2 ** 20, 'not inflated in full');

    const good = gzipSync(Buffer.concat([header([3, 2, 2]), Buffer.alloc(12, 7)]));
    assert.deepEqual(parseIdx(good, 'good.gz').dims, [3, 2, 2]);
    const big = gzipSync(Buffer.concat([header([2000, 28, 28]), Buffer.from(Array.from({ length: 2000 * 784 }, (_, i) => (i * 7919) % 251))]));
    assert.throws(() => parseIdx(big.subarray(0, big.length >> 1), 'cut.gz'), (e: Error) => e instanceof DatasetFormatError && /truncated or corrupt gzip/.test(e.message));

    const dir = tempDir();
    mkdirSync(join(dir, 'images'));
    writeFileSync(join(dir, 'labels'), Buffer.concat([header([3]), Buffer.from([0, 1, 0])]));
    let thrown: unknown;
    try { loadIdxPair(join(dir, 'images'), join(dir, 'labels')); } catch (e) { thrown = e; }
    assert.deepEqual([toErrorMessage(thrown).code, toErrorMessage(thrown).message], ['dataset-invalid', `${join(dir, 'images')} is a folder, not an IDX file.`]);
  });

  it('user text in progress lines (errors from model code, model names) cannot send terminal escapes', () => {
    const text = formatMessage({ type: 'error', code: 'model-load-failed', message: 'buildModel() threw: \u001b]0;pwned\u0007', detail: 'Error: x\n    at f (\u001b[2Jmodel.ts:3:9)' }, true)!;
    assert.equal(text, '\r\u001b[Kerror [model-load-failed]: buildModel() threw: \\u{1b}]0;pwned\\u{7}\n  Error: x\n      at f (\\u{1b}[2Jmodel.ts:3:9)\n');
  });

  it('history skips damaged metrics lines instead of failing', () => {
    const ws = tempDir();
    const modelFile = join(ws, 'model.ts');
    const run = join(ws, '.skipcheck', 'runs', '2025-11-20T09-00-00-000Z');
    mkdirSync(run, { recursive: true });
    writeFileSync(join(run, 'config.json'), JSON.stringify({ modelFile, entry: 'net' }));
    const epoch: TrainerMessage = { type: 'epoch', epoch: 1, epochs: 1, loss: 0.5, samplesPerSec: 10, seconds: 1 };
    const std: TrainerMessage = { type: 'std', epoch: 1, layers: [], blocks: [] };
    writeFileSync(join(run, 'metrics.jsonl'), ['{"type":"std","epoch":1}', JSON.stringify(epoch), '{"type":"epoch"}', 'null', '[]', JSON.stringify(std), ''].join('\n'));
    const history = loadHistory({ workspaceDir: ws, modelFile, entry: 'net' });
    assert.deepEqual(history.map((h) => h.messages), [[epoch, std]]);
    assert.equal(history[0].label, '11-20 09:00 · 1 epoch · plain');
    assert.deepEqual(readRunMessages(run), [epoch, std]);
    assert.equal(isTrainerMessage({ type: 'constructor', message: 'x' }), false);
  });
});
