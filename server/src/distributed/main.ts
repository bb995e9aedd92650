// The distributed-training program (dist/distributed.js): same protocol as the trainer program
// (server/src/trainer/main.ts), so the CLI and the VS Code panel drive both alike.
//   node distributed.js --config run.json     or     echo '<TrainConfig JSON>' | node distributed.js
// Messages: TrainerMessage JSON lines (the chief worker's metrics) on the trainer's message channel
// (fd 3 from a driver, else stdout). stderr: progress for people.
// stdin: {"type":"cancel"} stops the workers; stdin closing (the parent died) does too.
import { fstatSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { ConfigError, normalizeConfig } from '../trainer/config';
import type { TrainConfig, TrainerCommand, TrainerMessage } from '../../../contract/protocol';
import { CancelToken } from '../trainer/train';
import { openMessageChannel } from '../trainer/messageChannel';
import { runDistributed } from './runDistributed';

const EXIT = { completed: 0, failed: 1, cancelled: 130 } as const;

function stdinIsPipe(): boolean {
  try { const s = fstatSync(0); return s.isFIFO() || s.isSocket(); } catch { return false; }
}

const channel = openMessageChannel();

function send(m: TrainerMessage): void {
  channel.send(m);
}

async function main(argv: string[]): Promise<number> {
  channel.stream.on('error', () => process.exit(1));
  const cancel = new CancelToken();
  const configArg = argv.indexOf('--config');
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let pendingConfig: ((line: string | undefined) => void) | undefined;
  let started = false;
  lines.on('line', (line) => {
    if (pendingConfig) { const p = pendingConfig; pendingConfig = undefined; p(line); return; }
    try { if ((JSON.parse(line) as TrainerCommand).type === 'cancel') cancel.cancel(); } catch { /* not a command */ }
  });
  // A parent holding our stdin (a pipe) that goes away means nobody follows the run any more.
  const watchParent = configArg < 0 || stdinIsPipe();
  lines.on('close', () => { pendingConfig?.(undefined); if (started && watchParent) cancel.cancel(); });
  let config: TrainConfig;
  try {
    const text = configArg >= 0 ? readFileSync(argv[configArg + 1] ?? '', 'utf8') : await new Promise<string | undefined>((r) => { pendingConfig = r; });
    if (!text) throw new ConfigError('No TrainConfig: pass --config <file> or write one JSON line on stdin.');
    config = normalizeConfig({ distributed: { workers: 2 }, ...(JSON.parse(text) as Partial<TrainConfig>) });
  } catch (err) {
    send({ type: 'error', code: 'internal', message: `Invalid config: ${err instanceof Error ? err.message : String(err)}` });
    return EXIT.failed;
  }
  started = true;
  try {
    return EXIT[await runDistributed(config, { send, log: (l) => process.stderr.write(l + '\n') }, cancel)];
  } finally {
    lines.close();
    process.stdin.destroy();
  }
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err) => {
  send({ type: 'error', code: 'internal', message: String(err instanceof Error ? err.message : err), detail: err instanceof Error ? err.stack : undefined });
  process.exitCode = 1;
});
