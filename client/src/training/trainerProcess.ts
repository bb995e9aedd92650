// One trainer child process: JSON lines in (on their own pipe, fd 3: the model code's stdout is only log),
// a cancel command out, and a hard kill if it does not stop.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { MESSAGE_FD, MESSAGE_FD_ENV, TRAINER_STDIO } from '../../../contract/trainerChannel';
import type { TrainerCommand, TrainerMessage } from '../../../contract/protocol';
import { LineSplitter, parseTrainerLine } from './lines';

export interface TrainerSpawnOptions {
  nodePath: string;
  /** dist/trainer.js */
  trainerScript: string;
  configFile: string;
  cwd: string;
  env?: NodeJS.ProcessEnv;
}

export interface TrainerHandlers {
  onMessage(message: TrainerMessage): void;
  /** The trainer's stdout and stderr (the model code's prints), and channel lines that are not messages. */
  onLog(text: string): void;
  /** `error` is set when the process could not be started at all. */
  onExit(result: { code: number | null; signal: NodeJS.Signals | null; error?: string }): void;
}

/** How long a cancelled trainer gets to finish its current batch and write its files. */
export const cancelGraceMs = 2000;

export class TrainerProcess {
  private readonly child: ChildProcess;
  private exited = false;
  private killTimer?: ReturnType<typeof setTimeout>;

  constructor(readonly options: TrainerSpawnOptions, handlers: TrainerHandlers) {
    this.child = spawn(options.nodePath, [options.trainerScript, '--config', options.configFile], {
      cwd: options.cwd,
      env: { ...(options.env ?? process.env), [MESSAGE_FD_ENV]: String(MESSAGE_FD) },
      stdio: [...TRAINER_STDIO],
      windowsHide: true,
    });
    const channel = new LineSplitter();
    const stdout = new LineSplitter();
    const stderr = new LineSplitter();
    const route = (line: string) => {
      const parsed = parseTrainerLine(line);
      if ('message' in parsed) handlers.onMessage(parsed.message);
      else handlers.onLog(parsed.text);
    };
    (this.child.stdio[MESSAGE_FD] as Readable).on('data', (chunk: Buffer) => channel.push(chunk).forEach(route));
    this.child.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk).forEach((l) => handlers.onLog(l)));
    this.child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk).forEach((l) => handlers.onLog(l)));
    // A trainer that exits before reading its stdin makes our cancel write fail with EPIPE; that is fine.
    this.child.stdin!.on('error', () => undefined);
    let spawnError: string | undefined;
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (this.exited) return;
      this.exited = true;
      clearTimeout(this.killTimer);
      channel.flush().forEach(route);
      stdout.flush().forEach((l) => handlers.onLog(l));
      stderr.flush().forEach((l) => handlers.onLog(l));
      handlers.onExit({ code, signal, error: spawnError });
    };
    this.child.on('error', (e: NodeJS.ErrnoException) => {
      spawnError = e.code === 'ENOENT'
        ? `Could not start "${options.nodePath}": not found. Install Node.js 20+ or set skipcheck.train.nodePath.`
        : `Could not start "${options.nodePath}": ${e.message}`;
      // 'close' does not always follow a failed spawn.
      if (this.child.pid === undefined) finish(null, null);
    });
    this.child.on('close', finish);
  }

  get running(): boolean {
    return !this.exited;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Asks the trainer to stop; kills it if it is still alive after `graceMs`. */
  cancel(graceMs = cancelGraceMs): void {
    if (this.exited) return;
    this.send({ type: 'cancel' });
    this.killTimer ??= setTimeout(() => this.kill(), graceMs);
  }

  /** Immediate, for deactivation: the extension host may be gone before any timer fires. */
  kill(): void {
    if (this.exited) return;
    this.child.kill('SIGKILL');
  }

  private send(command: TrainerCommand): void {
    if (this.child.stdin?.writable) this.child.stdin.write(JSON.stringify(command) + '\n');
  }
}
