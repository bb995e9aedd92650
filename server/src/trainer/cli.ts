// `skipcheck train <file> [options]`: runs the trainer program as a child process (the same program the
// VS Code extension starts), prints progress, and writes report.html into the run folder.
import { resolve } from 'node:path';
import { runAblation } from './ablation/runAblation';
import { CONFIG_DEFAULTS, ConfigError, normalizeConfig, parseDatasetSpec, VARIANTS } from './config';
import { paperRecipe } from '../../../contract/recipe';
import type { TrainConfig, Variant } from '../../../contract/protocol';
import { writeReport } from './report/writeReport';
import { driveTrainer, type Progress } from './drive';
import { terminalSafe } from '../cli/terminal';

// Moved to drive.ts (the ablation runner needs them and cli.ts needs the ablation runner); kept importable here.
export { driveTrainer, formatMessage, trainerCommand, type DrivenRun, type Progress } from './drive';

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
  --depths <d,d>        depth sweep (He et al. Fig. 6): call the --entry builder with each depth (its depth
                        parameter, e.g. resnet(depth = 20) or resnet({ depth })), each with its plain twin
  --variant <v>         train one variant only: residual | plain | no-bn
  --max-samples <n>     cap on training samples --validation-split <x> (default 0.1)
  --seed <n>            (default 42)           --probe-size <n>   samples for the response std (64; 0 = off)
  --out <dir>           folder for runs: each run gets its own <timestamp> folder in it, holding complete.json once
                        it finished and saved its model (default .skipcheck/runs; with --ablate the ablation
                        folder itself, default .skipcheck/ablations/<timestamp>)
  --load-timeout <s>    longest time loading the model file and calling its entry may take (default 120)
  --node <path>         Node.js binary for the trainer (e.g. the one tfjs-node was built for)
  --distributed <n>     export to Keras and train with tf.distribute on n local workers (docs/scale-out.md)
  --python <exe>        with --distributed: Python with tensorflow, tf-keras and tensorflowjs`;

const NUMERIC: Record<string, keyof TrainConfig> = {
  '--epochs': 'epochs', '--batch-size': 'batchSize', '--lr': 'learningRate', '--max-samples': 'maxSamples',
  '--seed': 'seed', '--validation-split': 'validationSplit', '--probe-size': 'probeSize', '--time-budget': 'timeBudgetSeconds',
  '--load-timeout': 'loadTimeoutSeconds',
};

export interface TrainArgs {
  config: TrainConfig;
  node: string;
  /** Ablation variants to train next to the model as written (`--ablate plain,no-bn`). */
  ablate?: Variant[];
  /** Trainer processes at once for an ablation (default: one per variant when the CPU cores allow). */
  parallel?: number;
  /** Depth sweep: train the builder at each depth, with its twins (`--depths 20,56`). */
  depths?: number[];
}

export function parseTrainArgs(argv: string[], cwd = process.cwd()): TrainArgs {
  const partial: Partial<TrainConfig> & Record<string, unknown> = { workspaceDir: cwd };
  let node = process.execPath;
  let ablate: Variant[] | undefined;
  let recipe: 'paper' | 'as-set' | undefined;
  let parallel: number | undefined;
  let optimizerSet = false;
  let samples: number | undefined;
  let depths: number[] | undefined;
  let out: string | undefined;
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
    else if (flag === '--depths') {
      depths = value.split(',').map((d) => Number(d.trim()));
      if (!depths.length || !depths.every((d) => Number.isInteger(d) && d > 0)) throw new ConfigError(`--depths takes whole numbers, e.g. 20,56, not "${value}".`);
    }
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
    else if (flag === '--out') out = resolve(cwd, value);
    else if (flag === '--node') node = value;
    else if (flag === '--distributed') {
      if (!/^\d+$/.test(value)) throw new ConfigError(`--distributed needs a number of workers, not "${value}".`);
      partial.distributed = { ...partial.distributed, workers: Number(value) };
    }
    else if (flag === '--python') partial.distributed = { workers: partial.distributed?.workers ?? NaN, python: value };
    else throw new ConfigError(`Unknown option ${flag}.`);
  }
  // A depth sweep compares each depth with its plain twin unless other twins were asked for.
  if (depths && !ablate) ablate = ['plain'];
  // A single run gets a fresh folder inside --out each time (a reused --out never mixes runs); an
  // ablation lays out its own variant folders under it.
  if (out !== undefined) {
    if (ablate) partial.outDir = out;
    else partial.runsDir = out;
  }
  if (partial.distributed && Number.isNaN(partial.distributed.workers)) throw new ConfigError('--python is for Keras runs: add --distributed <n>.');
  if (partial.distributed && ablate) throw new ConfigError('--ablate trains tfjs twins; it does not combine with --distributed.');
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
  return { config: normalizeConfig(partial), node, ablate, parallel, depths };
}

function parseAblate(value: string): Variant[] {
  const list = value.split(',').map((v) => v.trim()).filter(Boolean);
  const bad = list.find((v) => v === 'residual' || !VARIANTS.includes(v as Variant));
  if (bad || list.length === 0) throw new ConfigError(`--ablate takes plain and/or no-bn (comma-separated), not "${value}".`);
  return [...new Set(list)] as Variant[];
}

const consoleProgress: Progress = {
  write: (l) => process.stdout.write(l), error: (l) => process.stderr.write(l), tty: !!process.stdout.isTTY,
};

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
  const distributed = args.config.distributed;
  if (distributed) {
    out.write(`Training across ${distributed.workers} local worker${distributed.workers > 1 ? 's' : ''} with tf.distribute (MultiWorkerMirroredStrategy): ` +
      'each worker is a Python process whose TF_CONFIG lists every worker (here 127.0.0.1:<port>) and its own index. ' +
      'On real machines, run the generated train_distributed.py on each host with its TF_CONFIG (docs/scale-out.md).\n');
  }
  const { code, runDir } = await driveTrainer(args.config, args.node, out);
  if (runDir) {
    try {
      out.write(`Report: ${writeReport(runDir)}\n`);
    } catch (err) {
      out.error(terminalSafe(`The report could not be written into ${runDir}: ${err instanceof Error ? err.message : String(err)}`) + '\n');
    }
  }
  return code;
}
