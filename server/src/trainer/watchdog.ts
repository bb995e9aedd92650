// A tiny second process that watches the trainer from outside. While the user's model code spins, no
// JavaScript of the trainer runs: neither a timer nor a "parent gone" check inside it would ever fire.
// The watchdog (1) kills the trainer when the trainer's parent (CLI, editor) is gone, and (2) enforces
// deadlines the trainer arms around model loading: it reports the timeout on the message channel and
// kills the trainer. It ignores SIGINT so Ctrl+C in a terminal stops the trainer gracefully, not its guard.
import { spawn, type ChildProcess } from 'node:child_process';
import type { TrainerMessage } from '../../../contract/protocol';

/** Plain JavaScript run with `node -e`: nothing to bundle or resolve. argv: trainer pid, parent pid. */
const PROGRAM = `
const fs = require('fs');
const [trainer, parent] = process.argv.slice(1).map(Number);
process.on('SIGINT', () => {});
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
const killTrainer = () => { try { process.kill(trainer, 'SIGKILL'); } catch {} process.exit(0); };
setInterval(() => { if (!alive(trainer)) process.exit(0); if (!alive(parent)) killTrainer(); }, 200);
let timer;
let pending = '';
process.stdin.setEncoding('utf8').on('data', (chunk) => {
  pending += chunk;
  for (let i; (i = pending.indexOf('\\n')) >= 0; pending = pending.slice(i + 1)) {
    let cmd;
    try { cmd = JSON.parse(pending.slice(0, i)); } catch { continue; }
    clearTimeout(timer);
    if (cmd.type === 'deadline') timer = setTimeout(() => {
      const line = JSON.stringify(cmd.message) + '\\n';
      try { fs.writeSync(3, line); } catch {}
      try { if (cmd.metricsFile) fs.appendFileSync(cmd.metricsFile, line); } catch {}
      killTrainer();
    }, cmd.ms);
  }
});
process.stdin.on('end', () => process.exit(0));
`;

export class Watchdog {
  private constructor(private readonly child: ChildProcess) {}

  /**
   * Watches this process on behalf of `parentPid`. `messageFd` is where a timeout is reported (the
   * trainer's message channel, shared with the watchdog as its fd 3).
   */
  static start(parentPid: number, messageFd: number): Watchdog | undefined {
    try {
      const child = spawn(process.execPath, ['-e', PROGRAM, String(process.pid), String(parentPid)], {
        stdio: ['pipe', 'ignore', 'inherit', messageFd], windowsHide: true,
      });
      child.on('error', () => undefined);
      child.stdin!.on('error', () => undefined);
      // The watchdog must not keep the trainer alive, nor the trainer wait for it.
      child.unref();
      (child.stdin as unknown as { unref?: () => void }).unref?.();
      return new Watchdog(child);
    } catch {
      return undefined;
    }
  }

  /** If `clear` is not called within `ms`, `message` is sent (and appended to `metricsFile`) and this process is killed. */
  deadline(ms: number, message: TrainerMessage, metricsFile?: string): void {
    this.send({ type: 'deadline', ms, message, metricsFile });
  }

  clear(): void {
    this.send({ type: 'clear' });
  }

  private send(cmd: object): void {
    if (this.child.stdin?.writable) this.child.stdin.write(JSON.stringify(cmd) + '\n');
  }
}
