// From the user's settings and choices to the TrainConfig the trainer reads with --config.
import type { DatasetSpec, TrainConfig } from '../../../contract/protocol';

/** The `skipcheck.train.*` settings (see the contributes snippet in the training README section). */
export interface TrainSettings {
  epochs: number;
  batchSize: number;
  learningRate: number;
  optimizer: string;
  validationSplit: number;
  /** 0 = all samples. */
  maxSamples: number;
  probeSize: number;
  seed: number;
  nodePath: string;
}

export const defaultSettings: TrainSettings = {
  epochs: 10,
  batchSize: 64,
  learningRate: 0.001,
  optimizer: 'adam',
  validationSplit: 0.1,
  maxSamples: 0,
  probeSize: 64,
  seed: 42,
  nodePath: '',
};

const optimizers = ['adam', 'sgd', 'rmsprop'] as const;

export class SettingsError extends Error {}

export interface RunTarget {
  modelFile: string;
  entry: string;
  dataset: DatasetSpec;
  workspaceDir: string;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new SettingsError(`skipcheck.train.${name} must be a whole number of at least 1 (got ${value}).`);
  return value;
}

/** One line of what a run will do, shown while the data is picked: the settings are visible before the run. */
export function describeSettings(s: TrainSettings): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const samples = s.maxSamples > 0 ? `at most ${plural(s.maxSamples, 'sample')}` : 'all samples';
  return `${plural(s.epochs, 'epoch')}, batch ${s.batchSize}, ${s.optimizer} at ${s.learningRate}, ${samples} (skipcheck.train settings)`;
}

export function buildTrainConfig(s: TrainSettings, target: RunTarget): TrainConfig {
  if (!(s.learningRate > 0) || !Number.isFinite(s.learningRate)) {
    throw new SettingsError(`skipcheck.train.learningRate must be a positive number (got ${s.learningRate}).`);
  }
  if (!(s.validationSplit >= 0 && s.validationSplit < 1)) {
    throw new SettingsError(`skipcheck.train.validationSplit must be in [0, 1) (got ${s.validationSplit}).`);
  }
  const optimizer = optimizers.find((o) => o === s.optimizer);
  if (!optimizer) throw new SettingsError(`skipcheck.train.optimizer must be one of ${optimizers.join(', ')} (got "${s.optimizer}").`);
  if (!Number.isInteger(s.maxSamples) || s.maxSamples < 0) {
    throw new SettingsError(`skipcheck.train.maxSamples must be 0 (all) or a positive whole number (got ${s.maxSamples}).`);
  }
  if (!Number.isInteger(s.seed)) throw new SettingsError(`skipcheck.train.seed must be a whole number (got ${s.seed}).`);
  return {
    modelFile: target.modelFile,
    entry: target.entry,
    dataset: target.dataset,
    epochs: positiveInteger('epochs', s.epochs),
    batchSize: positiveInteger('batchSize', s.batchSize),
    optimizer,
    learningRate: s.learningRate,
    validationSplit: s.validationSplit,
    seed: s.seed,
    maxSamples: s.maxSamples > 0 ? s.maxSamples : undefined,
    probeSize: positiveInteger('probeSize', s.probeSize),
    workspaceDir: target.workspaceDir,
  };
}

/**
 * Inside VS Code `process.execPath` is the Electron binary, not Node: it needs ELECTRON_RUN_AS_NODE to act as
 * Node, and its native-module ABI differs from Node's, so @tensorflow/tfjs-node(-gpu) installed by the user's
 * npm (built for their Node) would fail to load in it. The GPU backend is the point of this command, so the
 * trainer runs on the user's own `node` unless a path is configured.
 */
export function resolveNodePath(configured: string): string {
  return configured.trim() || 'node';
}
