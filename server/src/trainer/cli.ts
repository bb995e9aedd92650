// `skipcheck train <file> [options]`: runs the trainer program as a child process (the same program the
// VS Code extension starts), prints progress, and writes report.html into the run folder.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { ConfigError, normalizeConfig, parseDatasetSpec } from './config';
import { MESSAGE_FD, MESSAGE_FD_ENV, TRAINER_STDIO, isTrainerMessage, type TrainConfig, type TrainerMessage } from './protocol';
import { writeReport } from './report/writeReport';
import { terminalSafe, terminalSafeLines } from '../cli/terminal';

export const TRAIN_USAGE = `Usage: skipcheck train <model file> [options]
  --entry <fn>          exported function returning the model (default: the only one)
  --dataset <spec>      mnist | synthetic | cifar10:<dir> | idx:<images>,<labels>  (default: synthetic)
  --epochs <n>          (default 5)            --batch-size <n>   (default 32)
  --lr <x>              learning rate (1e-3)   --optimizer <o>    adam | sgd | rmsprop
  --max-samples <n>     cap on training samples --validation-split <x> (default 0.1)
  --seed <n>            (default 42)           --probe-size <n>   samples for the response std (64; 0 = off)
  --out <dir>           folder for runs: each run gets its own <timestamp> folder in it (default .skipcheck/runs);
                        a run folder holds complete.json once the run finished and its model is saved
  --load-timeout <s>    longest time loading the model file and calling its entry may take (120)
  --node <path>         Node.js binary for the trainer (e.g. the one tfjs-node was built for)`;

const NUMERIC: Record<string, keyof TrainConfig> = {
  '--epochs': 'epochs', '--batch-size': 'batchSize', '--lr': 'learningRate', '--max-samples': 'maxSamples',
  '--seed': 'seed', '--validation-split': 'validationSplit', '--probe-size': 'probeSize', '--load-timeout': 'loadTimeoutSeconds',
};

export interface TrainArgs { config: TrainConfig; node: string }

export function parseTrainArgs(argv: string[], cwd = process.cwd()): TrainArgs {
  const partial: Partial<TrainConfig> & Record<string, unknown> = { workspaceDir: cwd };
  let node = process.execPath;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (!flag.startsWith('--')) {
      if (partial.modelFile) throw new ConfigError(`Unexpected argument "${flag}": one model file only.`);
      partial.modelFile = resolve(cwd, flag);
      continue;
    }
    const value = argv[++i];
    if (value === undefined) throw new ConfigError(`${flag} needs a value.`);
    if (flag in NUMERIC) {
      const n = Number(value);
      if (!Number.isFinite(n)) throw new ConfigError(`${flag} needs a number, not "${value}".`);
      (partial as Record<string, unknown>)[NUMERIC[flag]] = n;
    } else if (flag === '--entry') partial.entry = value;
    else if (flag === '--dataset') partial.dataset = parseDatasetSpec(value);
    else if (flag === '--optimizer') partial.optimizer = value as TrainConfig['optimizer'];
    else if (flag === '--out') partial.runsDir = resolve(cwd, value);
    else if (flag === '--node') node = value;
    else throw new ConfigError(`Unknown option ${flag}.`);
  }
  return { config: normalizeConfig(partial), node };
}

/** node arguments that start the trainer: the bundled dist/trainer.js, or main.ts through tsx from source. */
export function trainerCommand(): string[] {
  const bundled = join(__dirname, 'trainer.js');
  if (existsSync(bundled)) return [bundled];
  const source = join(__dirname, 'main.ts');
  const tsx = pathToFileURL(createRequire(__filename).resolve('tsx')).href;
  return ['--import', tsx, source];
}

export interface Progress { write(line: string): void; error(line: string): void; tty: boolean }

const consoleProgress: Progress = {
  write: (l) => process.stdout.write(l), error: (l) => process.stderr.write(l), tty: !!process.stdout.isTTY,
};

/** Human-readable lines for the message stream; batch lines only on a terminal, overwritten in place. */
export function formatMessage(m: TrainerMessage, tty: boolean): string | undefined {
  const pct = (x?: number) => (x === undefined ? '-' : `${(100 * x).toFixed(1)}%`);
  switch (m.type) {
    case 'start':
      return `Training ${terminalSafe(m.model.name)} (${m.model.params.toLocaleString('en')} params) on ${m.dataset.name} ` +
        `[${m.dataset.train} train / ${m.dataset.validation} val] with ${m.backend} (${m.device})\n` +
        (m.kernels ? `  kernels: ${m.kernels}\n` : '') +
        m.attempts.filter((a) => !a.ok).map((a) => `  ${a.pkg} not used: ${a.reason} -> ${a.advice}\n`).join('') + `Run folder: ${m.runDir}\n`;
    case 'batch':
      return tty ? `\r  epoch ${m.epoch} batch ${m.batch}/${m.batches} loss ${m.loss.toFixed(4)}` : undefined;
    case 'epoch':
      return `${tty ? '\r\x1b[K' : ''}epoch ${m.epoch}/${m.epochs}: loss ${m.loss.toFixed(4)} acc ${pct(m.acc)}` +
        (m.valLoss !== undefined ? `  val loss ${m.valLoss.toFixed(4)} val acc ${pct(m.valAcc)}` : '') +
        `  ${m.samplesPerSec.toFixed(1)} samples/s, ${m.seconds.toFixed(1)} s\n`;
    case 'std': {
      const stds = m.layers.map((l) => l.std);
      return stds.length ? `  response std over ${stds.length} layers: ${Math.min(...stds).toFixed(3)} .. ${Math.max(...stds).toFixed(3)}\n` : undefined;
    }
    case 'warning': return `warning: ${terminalSafe(m.message)}\n`;
    case 'execution': return `${tty ? '\r\x1b[K' : ''}  steps: ${m.message}\n`;
    case 'end': return `${tty ? '\r\x1b[K' : ''}Training ${m.reason} in ${m.seconds.toFixed(1)} s.\n`;
    case 'error': return `${tty ? '\r\x1b[K' : ''}error [${m.code}]: ${terminalSafe(m.message)}\n${m.detail ? terminalSafeLines(m.detail).replace(/^/gm, '  ') + '\n' : ''}`;
  }
}

export async function runTrainCli(argv: string[], out: Progress = consoleProgress): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h') || argv.length === 0) {
    out.write(TRAIN_USAGE + '\n');
    return argv.length === 0 ? 2 : 0;
  }
  let args: TrainArgs;
  try { args = parseTrainArgs(argv); } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    out.error(`skipcheck train: ${err.message}\n${TRAIN_USAGE}\n`);
    return 2;
  }
  // Messages come on their own pipe (fd 3); the model code's stdout is passed through as it is.
  const child = spawn(args.node, trainerCommand(), { stdio: [...TRAINER_STDIO], env: { ...process.env, [MESSAGE_FD_ENV]: String(MESSAGE_FD) } });
  const messages = child.stdio[MESSAGE_FD] as Readable;
  child.stdin.on('error', () => undefined);
  child.stdin.write(JSON.stringify(args.config) + '\n');
  // First Ctrl+C asks the trainer to stop after the current batch (the model is still saved); a second one kills it.
  let interrupts = 0;
  const onSigint = () => {
    if (interrupts++ === 0) { out.error('\nCancelling after the current batch (Ctrl+C again to kill)...\n'); child.stdin.write('{"type":"cancel"}\n'); }
    else child.kill('SIGKILL');
  };
  process.on('SIGINT', onSigint);
  let runDir: string | undefined;
  let stderr = '';
  let sawEnd = false;
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => out.write(chunk.toString()));
  messages.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      let value: unknown;
      try { value = JSON.parse(line); } catch { value = undefined; }
      if (!isTrainerMessage(value)) { out.error(terminalSafe(line) + '\n'); continue; }
      const m = value;
      if (m.type === 'start' || m.type === 'end') runDir = m.runDir;
      if (m.type === 'end' || m.type === 'error') sawEnd = true;
      const text = formatMessage(m, out.tty);
      if (text) (m.type === 'error' || m.type === 'warning' ? out.error : out.write)(text);
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
  const { code, signal } = await new Promise<{ code: number; signal: NodeJS.Signals | null }>((r) => child.on('close', (c, sig) =>
    r({ code: c ?? (sig ? 128 + (constants.signals[sig] ?? 0) : 1), signal: sig })));
  process.off('SIGINT', onSigint);
  if (!sawEnd) out.error(`The trainer ${signal ? `was stopped by ${signal}` : `exited (code ${code})`} without reporting why.\n${stderr.slice(-4000)}`);
  if (runDir) {
    try {
      out.write(`Report: ${writeReport(runDir)}\n`);
    } catch (err) {
      out.error(terminalSafe(`The report could not be written into ${runDir}: ${err instanceof Error ? err.message : String(err)}`) + '\n');
    }
  }
  return code;
}
