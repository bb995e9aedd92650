// `skipcheck export <model file> --to keras --out DIR`: the command line around exportToKeras. The
// training options (--dataset, --epochs, --batch-size, --lr, --optimizer, ...) are the ones of
// `skipcheck train`; they become the settings of the generated train_distributed.py.
import { resolve } from 'node:path';
import { ConfigError } from '../trainer/config';
import { parseTrainArgs } from '../trainer/cli';
import { ModelLoadError } from '../trainer/modelLoader';
import { ShapeMismatchError } from '../trainer/shapeCheck';
import { ExportError, exportToKeras, KERAS_FILE, SCRIPT_FILE, TFJS_DIR } from './exportModel';
import { PythonSetupError } from './kerasPython';

export const EXPORT_USAGE = `Usage: skipcheck export <model file> --to keras --out <dir> [options]
Builds the model (this runs your model file), saves it in tfjs Layers format (<dir>/${TFJS_DIR}), converts it to
Keras HDF5 (<dir>/${KERAS_FILE}) with the tensorflowjs converter, checks Keras gives tfjs's output on a probe
batch, and writes <dir>/${SCRIPT_FILE} for tf.distribute training (docs/scale-out.md).
  --entry <fn>          exported function returning the model (default: the only one)
  --python <exe>        Python with tensorflow, tf-keras and tensorflowjs (default: a venv in
                        ~/.cache/skipcheck-native, created from PyPI on first use)
Settings of the training script, as for skipcheck train:
  --dataset <spec>      mnist | synthetic | cifar10:<dir> | idx:<images>,<labels>  (default: synthetic)
  --samples <n>         size of the synthetic dataset (default 1024)
  --epochs <n>          (default 5)            --batch-size <n>   global batch (default 32)
  --lr <x>              (default 1e-3)         --optimizer <o>    adam | sgd | rmsprop | momentum
  --recipe paper        SGD momentum 0.9, lr 0.1, weight decay 1e-4, lr /10 at 50% and 75%
  --weight-decay <x>    --max-samples <n>      --validation-split <x>   --seed <n>   --probe-size <n>`;

export interface ExportArgs { argv: string[]; outDir: string; python?: string }

/** Takes out the export-only options; the rest is parsed as `skipcheck train` options. */
export function splitExportArgs(argv: string[], cwd = process.cwd()): ExportArgs {
  const rest: string[] = [];
  let to: string | undefined;
  let outDir: string | undefined;
  let python: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const take = () => {
      const v = argv[++i];
      if (v === undefined || v === '') throw new ConfigError(`${argv[i - 1]} needs a value.`);
      return v;
    };
    if (argv[i] === '--to') to = take();
    else if (argv[i] === '--out') outDir = resolve(cwd, take());
    else if (argv[i] === '--python') python = take();
    else rest.push(argv[i]);
  }
  if (to !== 'keras') throw new ConfigError(to === undefined ? '--to keras is required (the only target so far).' : `Unknown target "${to}": only --to keras is supported.`);
  if (!outDir) throw new ConfigError('--out <dir> is required.');
  return { argv: rest, outDir, python };
}

export async function runExportCli(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(EXPORT_USAGE + '\n');
    return argv.length === 0 ? 2 : 0;
  }
  let args: ExportArgs;
  let config;
  try {
    args = splitExportArgs(argv);
    config = parseTrainArgs(args.argv).config;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`skipcheck export: ${err.message}\nRun 'skipcheck export --help' for the options.\n`);
    return 2;
  }
  const log = (line: string) => process.stdout.write(`  ${line}\n`);
  try {
    const r = await exportToKeras({ config, outDir: args.outDir, python: { python: args.python }, log });
    process.stdout.write(
      `Exported ${r.entry}() (${r.params.toLocaleString('en')} parameters) to ${r.files.keras}\n` +
      `  verified: Keras ${r.kerasVersion} (TensorFlow ${r.tfVersion}) has ${r.kerasParams.toLocaleString('en')} parameters and ` +
      `matches tfjs on the probe batch within ${r.maxAbsDiff.toExponential(1)} (allowed ${r.tolerance.toExponential(1)})\n` +
      `  tfjs Layers model: ${r.files.tfjs}\n  training script:   ${r.files.script}  (docs/scale-out.md)\n`);
    return 0;
  } catch (err) {
    if (err instanceof ExportError || err instanceof ModelLoadError || err instanceof ShapeMismatchError || err instanceof PythonSetupError) {
      const detail = (err as { detail?: string }).detail;
      process.stderr.write(`skipcheck export: ${err.message}\n${detail ? detail.replace(/^/gm, '  ') + '\n' : ''}`);
      return 1;
    }
    throw err;
  }
}
