// One training run: the trainer process, its panel, and what the status bar shows about it.
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TrainConfig, TrainerMessage } from '../../../contract/protocol';
import type { HistoryRun } from '../../../contract/panel';
import { messageForEditor } from './editorWording';
import { makeNonce } from './html';
import { TrainerProcess } from './trainerProcess';

/** Where a run's output goes; the panel and output channel in VS Code. */
export interface RunSinks {
  post(message: TrainerMessage | { type: 'history'; runs: HistoryRun[] }): void;
  log(line: string): void;
  /** Called on every progress change and once more when the run is over. */
  changed(run: TrainingRun): void;
}

export interface RunLaunch {
  config: TrainConfig;
  nodePath: string;
  trainerScript: string;
  cwd: string;
  history: HistoryRun[];
}

/** Lines of stderr kept to explain an exit without an error message. */
const stderrTail = 20;

export class TrainingRun {
  modelName: string;
  epoch = 0;
  epochs: number;
  private process?: TrainerProcess;
  private finished = false;
  private reported = false;
  private readonly configFile: string;
  private readonly recentLog: string[] = [];
  private cancelRequested = false;
  private runDir = '';
  private startedAt = 0;
  /** How the run ended, once it has: for the notification when its panel is hidden. */
  outcome?: 'completed' | 'cancelled' | 'failed';
  failure?: string;

  constructor(private readonly launch: RunLaunch, private readonly sinks: RunSinks) {
    this.modelName = launch.config.entry;
    this.epochs = launch.config.epochs;
    this.configFile = join(tmpdir(), `skipcheck-train-${makeNonce().replace(/[^A-Za-z0-9]/g, '')}.json`);
  }

  get active(): boolean {
    return !this.finished;
  }

  start(): void {
    if (this.launch.history.length) {
      this.sinks.post({ type: 'history', runs: this.launch.history.map((h) => ({ ...h, messages: h.messages.map(messageForEditor) })) });
    }
    this.startedAt = Date.now();
    writeFileSync(this.configFile, JSON.stringify(this.launch.config, null, 2));
    this.sinks.log(`$ ${this.launch.nodePath} ${this.launch.trainerScript} --config ${this.configFile}  (cwd ${this.launch.cwd})`);
    this.process = new TrainerProcess(
      { nodePath: this.launch.nodePath, trainerScript: this.launch.trainerScript, configFile: this.configFile, cwd: this.launch.cwd },
      {
        onMessage: (m) => this.onMessage(m),
        onLog: (text) => {
          this.recentLog.push(text);
          if (this.recentLog.length > stderrTail) this.recentLog.shift();
          this.sinks.log(text);
        },
        onExit: (r) => this.onExit(r),
      },
    );
  }

  cancel(): void {
    this.cancelRequested = true;
    this.process?.cancel();
  }

  /** Deactivation: no grace period, the extension host is going away. */
  kill(): void {
    this.process?.kill();
  }

  private onMessage(raw: TrainerMessage): void {
    const m = messageForEditor(raw);
    if (m.type === 'start') {
      this.modelName = m.model.name;
      this.runDir = m.runDir;
    }
    if (m.type === 'batch') this.epoch = m.epoch;
    if (m.type === 'epoch') this.epochs = m.epochs;
    if (m.type === 'end' || m.type === 'error') this.reported = true;
    if (m.type === 'end') this.outcome = m.reason;
    if (m.type === 'error') { this.outcome = 'failed'; this.failure = m.message; }
    this.sinks.post(m);
    this.sinks.changed(this);
  }

  private onExit(r: { code: number | null; signal: NodeJS.Signals | null; error?: string }): void {
    this.finished = true;
    rmSync(this.configFile, { force: true });
    this.sinks.log(r.error ?? `trainer exited (${r.signal ? `signal ${r.signal}` : `code ${r.code}`})`);
    // Every run must end visibly in the panel, also when the trainer crashed or never started.
    if (!this.reported && this.cancelRequested) {
      this.outcome = 'cancelled';
      this.sinks.post({ type: 'end', reason: 'cancelled', runDir: this.runDir, seconds: (Date.now() - this.startedAt) / 1000 });
    } else if (!this.reported) {
      const how = r.error ?? (r.signal ? `The trainer was stopped (${r.signal}).` : `The trainer exited with code ${r.code} without reporting why.`);
      this.outcome = 'failed';
      this.failure = how;
      this.sinks.post({ type: 'error', code: 'internal', message: how, detail: this.recentLog.join('\n') || undefined });
    }
    this.sinks.changed(this);
  }
}
