// The trainer program (dist/trainer.js). Started by the VS Code extension and the CLI as its own process
// so a native tfjs backend, a crash or a runaway model never takes the editor down with it.
//   node trainer.js --config run.json     or     echo '<TrainConfig JSON>' | node trainer.js
// Messages: one TrainerMessage JSON per line on fd 3 when the driver opened it (protocol.ts), else stdout.
// stdin: TrainerCommand JSON lines ({"type":"cancel"}). When stdin closes (the parent died) the run is
// cancelled and the process exits; a watchdog process kills it even if the model code blocks it.
// SIGINT (Ctrl+C in a terminal reaches the whole process group) stops after the current batch and saves.
//   node trainer.js --query '<json>'   answers a question of the extension host (contract/trainerQuery.ts).
import { fstatSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { BackendError, loadBackend } from './backend';
import { ConfigError, normalizeConfig } from './config';
import { openMessageChannel } from './messageChannel';
import { answerQuery } from './queries';
import { QUERY_FLAG } from '../../../contract/trainerQuery';
import type { TrainConfig, TrainerCommand } from '../../../contract/protocol';
import { CancelToken, RunOutcome, runTraining } from './train';
import { Watchdog } from './watchdog';

export const EXIT_CODES: Record<RunOutcome, number> = { completed: 0, failed: 1, cancelled: 130 };

const { fd: channelFd, stream: channel, send } = openMessageChannel();

function parentConnected(): boolean {
  try { const s = fstatSync(0); return s.isFIFO() || s.isSocket(); } catch { return false; }
}

async function main(argv: string[]): Promise<number> {
  // Nobody reads our output any more: stop rather than train into a broken pipe.
  channel.on('error', () => process.exit(1));
  process.stdout.on('error', () => undefined);
  const cancel = new CancelToken();
  let interrupts = 0;
  process.on('SIGINT', () => {
    if (interrupts++ === 0) { process.stderr.write('trainer: interrupted; stopping after the current batch and saving the model\n'); cancel.cancel(); }
    else process.exit(EXIT_CODES.cancelled);
  });
  const configArg = argv.indexOf('--config');
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let pendingConfig: ((line: string | undefined) => void) | undefined;
  const watchParent = configArg < 0 || parentConnected();
  lines.on('line', (line) => {
    if (pendingConfig) { const p = pendingConfig; pendingConfig = undefined; p(line); return; }
    try {
      if ((JSON.parse(line) as TrainerCommand).type === 'cancel') cancel.cancel();
    } catch { process.stderr.write(`trainer: ignoring unreadable command: ${line}\n`); }
  });
  let finished = false;
  lines.on('close', () => {
    pendingConfig?.(undefined);
    if (!watchParent || finished) return;
    cancel.cancel();
    // Cancellation is checked between batches; a single huge batch must not keep an orphan alive.
    setTimeout(() => process.exit(EXIT_CODES.cancelled), 3000).unref();
  });

  let config: TrainConfig;
  try {
    const text = configArg >= 0 ? readFileSync(argv[configArg + 1] ?? '', 'utf8')
      : await new Promise<string | undefined>((r) => { pendingConfig = r; });
    if (!text) throw new ConfigError('No TrainConfig: pass --config <file> or write one JSON line on stdin.');
    config = normalizeConfig(JSON.parse(text) as Partial<TrainConfig>);
  } catch (err) {
    send({ type: 'error', code: 'internal', message: `Invalid trainer config: ${err instanceof Error ? err.message : String(err)}` });
    return EXIT_CODES.failed;
  }
  const watchdog = Watchdog.start(process.ppid, channelFd);
  try {
    const backend = await loadBackend(config.workspaceDir);
    return EXIT_CODES[await runTraining(config, backend, send, cancel, watchdog)];
  } catch (err) {
    if (!(err instanceof BackendError)) throw err;
    send({ type: 'error', code: 'backend-failed', message: 'No TensorFlow.js backend could be loaded.', detail: err.message });
    return EXIT_CODES.failed;
  } finally {
    finished = true;
    lines.close();
    process.stdin.destroy();
  }
}

/** Exits once every message is out: timers or promises the model code left behind must not keep us alive. */
function exit(code: number): void {
  process.exitCode = code;
  channel.write('', () => process.exit(code));
}

const queryAt = process.argv.indexOf(QUERY_FLAG);
if (queryAt >= 0) {
  // A question from the extension host, not a run: one JSON answer on stdout.
  const answer = answerQuery(process.argv[queryAt + 1]);
  process.stdout.write(`${JSON.stringify(answer)}\n`, () => process.exit('error' in answer ? 1 : 0));
} else {
  main(process.argv.slice(2)).then(exit, (err) => {
    send({ type: 'error', code: 'internal', message: String(err instanceof Error ? err.message : err), detail: err instanceof Error ? err.stack : undefined });
    exit(EXIT_CODES.failed);
  });
}
