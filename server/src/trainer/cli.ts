// `skipcheck train <file> [options]`: runs the trainer program as a child process (the same program the
// VS Code extension starts), prints progress, and writes report.html into the run folder.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runAblation } from './ablation/runAblation';
import { CONFIG_DEFAULTS, ConfigError, normalizeConfig, paperRecipe, parseDatasetSpec, VARIANTS } from './config';
import type { TrainConfig, TrainerMessage, Variant } from './protocol';
import { writeReport } from './report/writeReport';

export const TRAIN_USAGE = `Usage: skipcheck train <model file> [options]
  --entry <fn>          exported function returning the model (default: the only one)
  --dataset <spec>      mnist | synthetic | cifar10:<dir> | idx:<images>,<labels>  (default: synthetic)
  --samples <n>         size of the synthetic dataset (default 1024)
  --time-budget <s>     quick run: cap the samples per epoch so the run takes about <s> seconds (says what it capped)
  --epochs <n>          (default 5)            --batch-size <n>   (default 32)
  --lr <x>              learning rate (1e-3)   --optimizer <o>    adam | sgd | rmsprop | momentum
  --recipe paper        He et al.'s recipe: SGD momentum 0.9, lr 0.1, weight decay 1e-4, lr /10 at 50% and 75%
  --weight-decay <x>    L2 decay on conv/dense kernels (default 0)
  --ablate <variants>   also train ablation twins, in parallel when cores allow: plain (no shortcuts, no
                        projections) and/or no-bn (no BatchNormalization); same initial weights, seed, data
                        order and optimizer (the paper recipe unless --optimizer/--lr/--recipe is given);
                        writes one run folder per variant and comparison.html
  --parallel <n>        trainer processes at once for --ablate (default: as many as CPU cores, up to all)
  --variant <v>         train one variant only: residual | plain | no-bn
  --max-samples <n>     cap on training samples --validation-split <x> (default 0.1)
  --seed <n>            (default 42)           --probe-size <n>   samples for the response std (64; 0 = off)
  --out <dir>           run folder (default .skipcheck/runs/<timestamp>; with --ablate .skipcheck/ablations/<timestamp>)
  --node <path>         Node.js binary for the trainer (e.g. the one tfjs-node was built for)`;

const NUMERIC: Record<string, keyof TrainConfig> = {
  '--epochs': 'epochs', '--batch-size': 'batchSize', '--lr': 'learningRate', '--max-samples': 'maxSamples',
  '--seed': 'seed', '--validation-split': 'validationSplit', '--probe-size': 'probeSize', '--time-budget': 'timeBudgetSeconds',
};

export interface TrainArgs {
  config: TrainConfig;
  node: string;
  /** Ablation variants to train next to the model as written (`--ablate plain,no-bn`). */
  ablate?: Variant[];
  /** Trainer processes at once for an ablation (default: one per variant when the CPU cores allow). */
  parallel?: number;
}

export function parseTrainArgs(argv: string[], cwd = process.cwd()): TrainArgs {
  const partial: Partial<TrainConfig> & Record<string, unknown> = { workspaceDir: cwd };
  let node = process.execPath;
  let ablate: Variant[] | undefined;
  let recipe: 'paper' | 'as-set' | undefined;
  let parallel: number | undefined;
  let optimizerSet = false;
  let samples: number | undefined;
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
    else if (flag === '--optimizer') { partial.optimizer = value as TrainConfig['optimizer']; optimizerSet = true; }
    else if (flag === '--ablate') ablate = parseAblate(value);
    else if (flag === '--samples') {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 2) throw new ConfigError(`--samples needs a whole number >= 2, not "${value}".`);
      samples = n;
    }
    else if (flag === '--recipe') {
      if (value !== 'paper' && value !== 'as-set') throw new ConfigError(`--recipe is paper or as-set, not "${value}".`);
      recipe = value;
    } else if (flag === '--parallel') {
      parallel = Number(value);
      if (!Number.isInteger(parallel) || parallel < 1) throw new ConfigError(`--parallel needs a whole number >= 1, not "${value}".`);
    } else if (flag === '--variant') {
      if (!VARIANTS.includes(value as Variant)) throw new ConfigError(`--variant is ${VARIANTS.join(', ')}, not "${value}".`);
      partial.variant = value as Variant;
    } else if (flag === '--weight-decay') {
      partial.weightDecay = Number(value);
      if (!(partial.weightDecay >= 0)) throw new ConfigError(`--weight-decay needs a number >= 0, not "${value}".`);
    }
    else if (flag === '--out') partial.outDir = resolve(cwd, value);
    else if (flag === '--node') node = value;
    else throw new ConfigError(`Unknown option ${flag}.`);
  }
  if (samples !== undefined) {
    partial.dataset ??= { kind: 'synthetic' };
    if (partial.dataset.kind !== 'synthetic') throw new ConfigError('--samples sets the size of the synthetic dataset; use --max-samples to cap another one.');
    partial.dataset = { ...partial.dataset, samples };
  }
  // An ablation shows the paper's effect with the paper's optimizer; a flag the user set wins.
  if (recipe === 'paper' || (ablate && !recipe && !optimizerSet && partial.learningRate === undefined)) {
    Object.assign(partial, paperRecipe(partial.epochs ?? CONFIG_DEFAULTS.epochs), optimizerSet ? { optimizer: partial.optimizer } : {},
      partial.learningRate !== undefined ? { learningRate: partial.learningRate } : {});
  }
  return { config: normalizeConfig(partial), node, ablate, parallel };
}

function parseAblate(value: string): Variant[] {
  const list = value.split(',').map((v) => v.trim()).filter(Boolean);
  const bad = list.find((v) => v === 'residual' || !VARIANTS.includes(v as Variant));
  if (bad || list.length === 0) throw new ConfigError(`--ablate takes plain and/or no-bn (comma-separated), not "${value}".`);
  return [...new Set(list)] as Variant[];
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
      return `Training ${m.model.name} (${m.model.params.toLocaleString('en')} params) on ${m.dataset.name} ` +
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
    case 'warning': return `warning: ${m.message}\n`;
    case 'execution': return `${tty ? '\r\x1b[K' : ''}  steps: ${m.message}\n`;
    case 'end': return `${tty ? '\r\x1b[K' : ''}Training ${m.reason} in ${m.seconds.toFixed(1)} s.\n`;
    case 'error': return `${tty ? '\r\x1b[K' : ''}error [${m.code}]: ${m.message}\n${m.detail ? m.detail.replace(/^/gm, '  ') + '\n' : ''}`;
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
  if (args.ablate) return runAblation(args, out);
  const { code, runDir } = await driveTrainer(args.config, args.node, out);
  if (runDir) out.write(`Report: ${writeReport(runDir)}\n`);
  return code;
}

export interface DrivenRun { code: number; runDir?: string; messages: TrainerMessage[] }

/**
 * Runs one trainer child on `config` and prints its progress; `prefix` marks the lines of one run among
 * several running at once (an ablation). Ctrl+C asks it to stop after the current batch, twice kills it.
 */
export async function driveTrainer(config: TrainConfig, node: string, out: Progress, prefix = ''): Promise<DrivenRun> {
  const child = spawn(node, trainerCommand(), { stdio: ['pipe', 'pipe', 'pipe'] });
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
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      let m: TrainerMessage;
      try { m = JSON.parse(line) as TrainerMessage; } catch { out.error(prefix + line + '\n'); continue; }
      messages.push(m);
      if (m.type === 'start' || m.type === 'end') runDir = m.runDir;
      if (m.type === 'end' || m.type === 'error') sawEnd = true;
      const text = formatMessage(m, tty);
      if (text) (m.type === 'error' || m.type === 'warning' ? out.error : out.write)(prefix ? text.replace(/^(?=.)/gm, prefix) : text);
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
  const code = await new Promise<number>((r) => child.on('close', (c, signal) => r(c ?? (signal ? 128 + 9 : 1))));
  process.off('SIGINT', onSigint);
  if (!sawEnd) out.error(`${prefix}The trainer exited (code ${code}) without reporting why.\n${stderr.slice(-4000)}`);
  return { code, runDir, messages };
}
