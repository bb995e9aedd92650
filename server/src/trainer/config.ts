// Defaults and validation for TrainConfig, shared by the trainer program and the CLI so a partial
// config (hand-written JSON, CLI flags) means the same thing everywhere.
import { resolve } from 'node:path';
import type { DatasetSpec, TrainConfig, Variant } from '../../../contract/protocol';

export const CONFIG_DEFAULTS: Omit<TrainConfig, 'modelFile'> = {
  entry: '', dataset: { kind: 'synthetic' }, epochs: 5, batchSize: 32, optimizer: 'adam', learningRate: 1e-3,
  validationSplit: 0.1, seed: 42, probeSize: 64,
};

export class ConfigError extends Error {}

/** Fills defaults and rejects values training would trip over later with a less clear message. */
export function normalizeConfig(partial: Partial<TrainConfig>): TrainConfig {
  if (!partial.modelFile) throw new ConfigError('The config needs "modelFile" (the file exporting the model builder).');
  const c: TrainConfig = { ...CONFIG_DEFAULTS, ...partial, modelFile: resolve(partial.modelFile) };
  const positiveInt = (name: keyof TrainConfig, min: number) => {
    const v = c[name];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new ConfigError(`"${name}" must be an integer >= ${min}, not ${JSON.stringify(v)}.`);
  };
  positiveInt('epochs', 1);
  positiveInt('batchSize', 1);
  positiveInt('probeSize', 0);
  positiveInt('seed', 0);
  if (c.maxSamples !== undefined) positiveInt('maxSamples', 1);
  if (c.loadTimeoutSeconds !== undefined && !(c.loadTimeoutSeconds > 0)) throw new ConfigError(`"loadTimeoutSeconds" must be > 0, not ${c.loadTimeoutSeconds}.`);
  if (c.distributed !== undefined) {
    const w = c.distributed.workers;
    if (!Number.isInteger(w) || w < 1 || w > 64) throw new ConfigError(`"distributed.workers" must be an integer from 1 to 64, not ${JSON.stringify(w)}.`);
  }
  if (!(c.learningRate > 0)) throw new ConfigError(`"learningRate" must be > 0, not ${c.learningRate}.`);
  if (!(c.validationSplit >= 0 && c.validationSplit < 1)) throw new ConfigError(`"validationSplit" must be in [0, 1), not ${c.validationSplit}.`);
  if (!OPTIMIZERS.includes(c.optimizer)) throw new ConfigError(`"optimizer" must be ${OPTIMIZERS.join(', ')}, not ${c.optimizer}.`);
  if (c.weightDecay !== undefined && !(c.weightDecay >= 0 && Number.isFinite(c.weightDecay))) {
    throw new ConfigError(`"weightDecay" must be a number >= 0, not ${c.weightDecay}.`);
  }
  if (c.lrDropEpochs !== undefined) {
    if (!Array.isArray(c.lrDropEpochs) || !c.lrDropEpochs.every((e) => Number.isInteger(e) && e >= 2)) {
      throw new ConfigError(`"lrDropEpochs" must list whole epoch numbers >= 2, not ${JSON.stringify(c.lrDropEpochs)}.`);
    }
    if (c.lrDropEpochs.length && c.optimizer !== 'sgd' && c.optimizer !== 'momentum') {
      throw new ConfigError(`A learning-rate schedule ("lrDropEpochs") needs optimizer sgd or momentum, not ${c.optimizer}.`);
    }
  }
  if (c.timeBudgetSeconds !== undefined && !(c.timeBudgetSeconds > 0)) throw new ConfigError(`"timeBudgetSeconds" must be > 0, not ${c.timeBudgetSeconds}.`);
  if (c.variant !== undefined && !VARIANTS.includes(c.variant)) throw new ConfigError(`"variant" must be ${VARIANTS.join(', ')}, not ${c.variant}.`);
  return c;
}

export const OPTIMIZERS: TrainConfig['optimizer'][] = ['adam', 'sgd', 'rmsprop', 'momentum'];
export const VARIANTS: Variant[] = ['residual', 'plain', 'no-bn'];

/** The learning rate in force during `epoch` (1-based) under the config's step schedule. */
export function learningRateAt(config: TrainConfig, epoch: number): number {
  const drops = (config.lrDropEpochs ?? []).filter((e) => e <= epoch).length;
  return config.learningRate / 10 ** drops;
}

/** `mnist`, `synthetic`, `cifar10:<dir>`, `idx:<images>,<labels>` (the CLI's --dataset syntax). */
export function parseDatasetSpec(text: string): DatasetSpec {
  if (text === 'mnist') return { kind: 'mnist' };
  if (text === 'synthetic') return { kind: 'synthetic' };
  if (text.startsWith('cifar10:') && text.length > 8) return { kind: 'cifar10', dir: text.slice(8) };
  const idx = /^idx:([^,]+),(.+)$/.exec(text);
  if (idx) return { kind: 'idx', images: idx[1], labels: idx[2] };
  throw new ConfigError(`Unknown dataset "${text}": use mnist, synthetic, cifar10:<dir> or idx:<images>,<labels>.`);
}
