// Running one trainer child process: the command that starts it, its message stream turned into progress
// lines, Ctrl+C handling. Used by `skipcheck train` and by the ablation runner. Messages arrive on their own
// pipe (protocol.ts, MESSAGE_FD); whatever the model code prints on stdout is passed through as text.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { terminalSafe, terminalSafeLines } from '../cli/terminal';
import { testFigures } from '../../../contract/finalFigures';
import { parseMessageLine } from '../../../contract/metrics';
import { MESSAGE_FD, MESSAGE_FD_ENV, TRAINER_STDIO, type TrainConfig, type TrainerMessage } from '../../../contract/protocol';

/** node arguments that start the trainer: the bundled dist/trainer.js, or main.ts through tsx from source. */
export function trainerCommand(): string[] {
  const bundled = join(__dirname, 'trainer.js');
  if (existsSync(bundled)) return [bundled];
  return sourceCommand(join(__dirname, 'main.ts'));
}

/** The same for the distributed-training program (dist/distributed.js, server/src/distributed/main.ts). */
export function distributedCommand(): string[] {
  const bundled = join(__dirname, 'distributed.js');
  if (existsSync(bundled)) return [bundled];
  return sourceCommand(join(__dirname, '..', 'distributed', 'main.ts'));
}

function sourceCommand(source: string): string[] {
  const tsx = pathToFileURL(createRequire(__filename).resolve('tsx')).href;
  return ['--import', tsx, source];
}

export interface Progress { write(line: string): void; error(line: string): void; tty: boolean }

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
    case 'end': return `${tty ? '\r\x1b[K' : ''}Training ${m.reason} in ${m.seconds.toFixed(1)} s.\n${m.test ? `  ${testFigures(m.test)}\n` : ''}`;
    case 'error': return `${tty ? '\r\x1b[K' : ''}error [${m.code}]: ${terminalSafe(m.message)}\n${m.detail ? terminalSafeLines(m.detail).replace(/^/gm, '  ') + '\n' : ''}`;
  }
}

export interface DrivenRun { code: number; runDir?: string; messages: TrainerMessage[] }

/**
 * Runs one trainer child on `config` and prints its progress; `prefix` marks the lines of one run among
 * several running at once (an ablation). Ctrl+C asks it to stop after the current batch, twice kills it.
 * A config with `distributed` runs the Keras launcher (dist/distributed.js), which speaks the same protocol.
 */
export async function driveTrainer(config: TrainConfig, node: string, out: Progress, prefix = ''): Promise<DrivenRun> {
  const distributed = config.distributed;
  // Messages come on their own pipe (fd 3); the model code's stdout is passed through as it is.
  const child = spawn(node, distributed ? distributedCommand() : trainerCommand(),
    { stdio: [...TRAINER_STDIO], env: { ...process.env, [MESSAGE_FD_ENV]: String(MESSAGE_FD) } });
  const channel = child.stdio[MESSAGE_FD] as Readable;
  child.stdin.on('error', () => undefined);
  child.stdin.write(JSON.stringify(config) + '\n');
  // First Ctrl+C asks the trainer to stop after the current batch (the model is still saved); a second one kills it.
  let interrupts = 0;
  const onSigint = () => {
    if (interrupts++ === 0) { out.error(`\n${prefix}Cancelling after the current batch (Ctrl+C again to kill)...\n`); child.stdin.write('{"type":"cancel"}\n'); }
    else child.kill('SIGKILL');
  };
  process.on('SIGINT', onSigint);
  let runDir: string | undefined;
  let stderr = '';
  let sawEnd = false;
  let buffered = '';
  const messages: TrainerMessage[] = [];
  // Several runs share one terminal: no in-place batch lines then.
  const tty = out.tty && !prefix;
  let userLine = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    if (!prefix) { out.write(chunk); return; }
    userLine += chunk;
    const lines = userLine.split('\n');
    userLine = lines.pop()!;
    for (const line of lines) out.write(`${prefix}${line}\n`);
  });
  channel.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      const m = parseMessageLine(line);
      if (!m) { out.error(prefix + terminalSafe(line) + '\n'); continue; }
      messages.push(m);
      if (m.type === 'start' || m.type === 'end') runDir = m.runDir;
      if (m.type === 'end' || m.type === 'error') sawEnd = true;
      const text = formatMessage(m, tty);
      const shown = text && (prefix ? text.replace(/^(?=.)/gm, prefix) : text);
      if (shown) { if (m.type === 'error' || m.type === 'warning') out.error(shown); else out.write(shown); }
    }
  });
  // The distributed launcher's stderr is progress meant for people (export, pip, per-worker epochs).
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; if (distributed) out.write(chunk.replace(/^(?=.)/gm, '  ')); });
  const { code, signal } = await new Promise<{ code: number; signal: NodeJS.Signals | null }>((r) => child.on('close', (c, sig) =>
    r({ code: c ?? (sig ? 128 + (constants.signals[sig] ?? 0) : 1), signal: sig })));
  process.off('SIGINT', onSigint);
  if (userLine) out.write(`${prefix}${userLine}\n`);
  if (!sawEnd) out.error(`${prefix}The trainer ${signal ? `was stopped by ${signal}` : `exited (code ${code})`} without reporting why.\n${stderr.slice(-4000)}`);
  return { code: userFacingCode(code, signal, messages), runDir, messages };
}

/**
 * The exit status `skipcheck train` reports (README, "CLI"): 0 completed, 1 failed, 130 cancelled, 128+N
 * only for a signal nobody explained. The watchdog kills a trainer stuck in model code with SIGKILL after it
 * reported the load timeout: that run failed for a stated reason, like a timeout the trainer itself caught.
 */
export function userFacingCode(code: number, signal: NodeJS.Signals | null, messages: readonly TrainerMessage[]): number {
  if (signal && messages.some((m) => m.type === 'error')) return 1;
  return code;
}
