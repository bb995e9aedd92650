// One training run from a TrainConfig to an 'end' or 'error' message. Independent of how it is driven:
// main.ts wires it to stdin/stdout, tests call it directly.
import { join } from 'node:path';
import type * as tfType from '@tensorflow/tfjs';
import type { LoadedBackend } from './backend';
import { tfVersion } from './backend';
import { Batch, Tf, makeBatch } from './datasets/batches';
import { Dataset, DatasetFormatError, DatasetMissingError, loadDataset, loadTestSet } from './datasets/index';
import { splitDataset } from './datasets/split';
import { ModelLoadError, loadModel } from './modelLoader';
import { fuseBatchNormalization } from './fusedBatchNorm';
import { installNativeKernels } from './nativeKernels';
import { nativeDropout, type NativeDropout } from './nativeDropout';
import { loadGraphAddon } from './graphStep/addon';
import { StepRunner } from './graphStep/stepRunner';
import { buildTwin, TwinError } from './ablation/twin';
import { learningRateAt } from './config';
import { activationName, createProbe } from './probe';
import { seedInitializers } from './seeding';
import { addWeightDecay } from './weightDecay';
import type { LayerSummary, TestFigures, TrainConfig, TrainerErrorCode, TrainerMessage } from '../../../contract/protocol';
import { seededPermutation } from './random';
import { METRICS_FILE, MetricsLog, createRunDir, markComplete, saveModel, writeFileAtomic } from './runDir';
import { ShapeMismatchError, concreteShape, feedShape, fmt, modelClasses, modelSampleShape } from './shapeCheck';

export type Emit = (message: TrainerMessage) => void;

/** Set by whoever drives the run; checked between batches. */
export class CancelToken {
  cancelled = false;
  cancel(): void { this.cancelled = true; }
}

export type RunOutcome = 'completed' | 'cancelled' | 'failed';

class TrainError extends Error {
  constructor(readonly code: TrainerErrorCode, message: string, readonly detail?: string) { super(message); }
}

const yieldToEvents = () => new Promise<void>((r) => setImmediate(r));

/** Something outside the event loop that enforces a deadline even while user code spins (watchdog.ts). */
export interface DeadlineGuard { deadline(ms: number, message: TrainerMessage, metricsFile?: string): void; clear(): void }

export const DEFAULT_LOAD_TIMEOUT_S = 120;
/** The watchdog fires this much after the in-process timer, which reports more gracefully when it can. */
const GUARD_MARGIN_MS = 1000;

export async function runTraining(config: TrainConfig, backend: LoadedBackend, sink: Emit, cancel = new CancelToken(), guard?: DeadlineGuard): Promise<RunOutcome> {
  const { tf } = backend;
  const t0 = Date.now();
  let runDir: string;
  try {
    runDir = createRunDir(config);
    writeFileAtomic(join(runDir, 'config.json'), JSON.stringify(config, null, 2) + '\n');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    sink({ type: 'error', code: 'output-not-writable', message: `The run folder could not be created or written: ${e.message}`,
      detail: `Choose a writable folder with --out (the folder given: ${config.outDir ?? config.runsDir ?? join(config.workspaceDir ?? process.cwd(), '.skipcheck', 'runs')}).` });
    return 'failed';
  }
  const metrics = new MetricsLog(runDir);
  const emit: Emit = (m) => { const problem = metrics.append(m); sink(m); if (problem) sink(problem); };
  let model: tfType.LayersModel | undefined;
  let runner: StepRunnerSlot | undefined;
  let dropout: NativeDropout | undefined;
  // Initializers, dropout masks and anything else drawing from Math.random follow the run's seed.
  const unseed = seedInitializers(config.seed);
  try {
    const loaded = await loadWithDeadline(config, tf, join(runDir, METRICS_FILE), guard);
    model = loaded.model;
    let ablation: Extract<TrainerMessage, { type: 'start' }>['ablation'];
    if (config.variant && config.variant !== 'residual') {
      const original = model;
      model = undefined;
      try {
        const twin = await buildTwin(tf, original, config.variant);
        model = twin.model;
        ablation = { variant: config.variant, originalName: original.name, originalParams: original.countParams(), removed: twin.removed, projections: twin.projections };
      } catch (err) {
        if (err instanceof TwinError) throw new TrainError('ablation-refused', err.message);
        throw err;
      } finally { original.dispose(); }
    }
    const native = installNativeKernels(tf);
    dropout = nativeDropout(tf, model);
    const kernels = [
      native.installed ? fusedKernelsNote(fuseBatchNormalization(tf, model)) : '',
      dropout.layers ? `Dropout masks from TensorFlow's StatelessRandomUniform (${dropout.layers} layer${dropout.layers > 1 ? 's' : ''})` : '',
    ].filter(Boolean).join('; ') || undefined;
    // Warnings found while preparing follow 'start', which consumers expect as the first message.
    const warnings: TrainerMessage[] = [];
    const prepared = prepare(tf, model, config, (w) => warnings.push(w));
    const { ds, inputShape } = prepared;
    emit({
      type: 'start', runDir, backend: backend.pkg, device: backend.device, tfVersion: tfVersion(tf), attempts: backend.attempts, ...(kernels ? { kernels } : {}),
      model: { name: model.name, layers: summarize(model), params: model.countParams() },
      config: { ...config, entry: loaded.entry }, ...(ablation ? { ablation } : {}),
      dataset: { name: ds.name, train: prepared.train.length, validation: prepared.validation.length, inputShape, classes: ds.classes },
    });
    if (native.problem) warnings.push({ type: 'warning', message: `TensorFlow's fused kernels are not used (${native.problem}): training runs tfjs's own, slower ops.` });
    warnings.forEach(emit);
    const trained = model;
    const addon = tf.getBackend() === 'tensorflow' ? loadGraphAddon(backend.packageDir) : undefined;
    const slot: StepRunnerSlot = runner = {
      current: undefined,
      // A learning-rate change is a new step: the graph recorded the old rate as a constant.
      renew: () => {
        slot.current?.sync();
        slot.current?.dispose();
        slot.current = new StepRunner(tf, trained, addon, (r) => emit({ type: 'execution', ...r }));
        return slot.current;
      },
    };
    slot.renew();
    const outcome = await fitLoop(tf, model, slot, config, prepared, emit, cancel);
    slot.current?.sync();
    const test = outcome === 'completed' ? await evaluateTestSet(tf, model, config, prepared, cancel, emit) : undefined;
    await writing(runDir, 'the trained model', () => saveModel(tf, trained, runDir));
    const seconds = (Date.now() - t0) / 1000;
    emit({ type: 'end', reason: outcome, runDir, seconds, ...(test ? { test } : {}) });
    await writing(runDir, 'the completion marker', () => markComplete(runDir, outcome, seconds));
    return outcome;
  } catch (err) {
    emit(toErrorMessage(err));
    return 'failed';
  } finally {
    runner?.current?.dispose();
    dropout?.dispose();
    // The optimizer's slots (Adam moments...) are not the model's weights: model.dispose() leaves them.
    model?.optimizer?.dispose();
    model?.dispose();
    unseed();
  }
}

/**
 * Loads the model within config.loadTimeoutSeconds. An entry awaiting forever is caught here; one that
 * spins (no JavaScript of ours runs any more) is caught by the guard, which reports and kills the process.
 */
async function loadWithDeadline(config: TrainConfig, tf: Tf, metricsFile: string, guard?: DeadlineGuard):
  Promise<{ model: tfType.LayersModel; entry: string }> {
  const seconds = config.loadTimeoutSeconds ?? DEFAULT_LOAD_TIMEOUT_S;
  const error = new TrainError('model-load-timeout',
    `Loading ${config.modelFile}${config.entry ? ` and calling ${config.entry}()` : ' and calling its exported functions'} did not finish within ${seconds} s.`,
    'The model file or its entry never returns (an endless loop, or a promise that never settles). The trainer was stopped.');
  guard?.deadline(seconds * 1000 + GUARD_MARGIN_MS, toErrorMessage(error), metricsFile);
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      loadModel(config.modelFile, config.entry, tf, config.entryArgs),
      new Promise<never>((_, reject) => { timer = setTimeout(() => reject(error), seconds * 1000); }),
    ]);
  } finally {
    clearTimeout(timer);
    guard?.clear();
  }
}

/** File-system failures writing the run's outputs are the user's to fix (a full disk, a read-only folder). */
async function writing<T>(runDir: string, what: string, f: () => T | Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (!e?.code) throw err;
    throw new TrainError('output-not-writable', `Could not write ${what} into ${runDir}: ${e.message}`, 'Free some disk space or choose a writable folder with --out.');
  }
}

interface StepRunnerSlot { current: StepRunner | undefined; renew(): StepRunner }

function fusedKernelsNote(batchNormLayers: number): string {
  return `TensorFlow's fused ReluGrad${batchNormLayers ? ` and FusedBatchNormV3 (${batchNormLayers} BatchNormalization layers)` : ''}`;
}

interface Prepared { ds: Dataset; inputShape: number[]; train: Uint32Array; validation: Uint32Array; probe: Uint32Array }

function prepare(tf: Tf, model: tfType.LayersModel, config: TrainConfig, emit: Emit): Prepared {
  const sampleShape = modelSampleShape(model);
  const units = modelClasses(model);
  if (units === 1) {
    const out = model.outputs[0].sourceLayer;
    throw new TrainError('classes-mismatch',
      `${model.name} ends in one output unit (${out.name}): a regression head. Skipcheck trains classifiers on labelled data (categorical cross-entropy over the dataset's classes) and has no regression targets.`,
      `To train it here, end the model in tf.layers.dense({units: <classes>, activation: 'softmax'}); the residual checks do not need training.`);
  }
  const ds = loadDataset(config.dataset, {
    workspaceDir: config.workspaceDir, modelSampleShape: concreteShape(sampleShape), modelClasses: units, seed: config.seed,
  });
  const inputShape = feedShape(sampleShape, ds.sampleShape, ds.name);
  if (inputShape.length !== ds.sampleShape.length) {
    emit({ type: 'warning', message: `${ds.name} samples ${fmt(ds.sampleShape)} are fed as ${fmt(inputShape)} to match the model input.` });
  }
  if (units !== ds.classes) {
    throw new TrainError('classes-mismatch', `The model outputs ${units} units but ${ds.name} has ${ds.classes} classes.`,
      `Make the last layer tf.layers.dense({units: ${ds.classes}, activation: 'softmax'}).`);
  }
  const { train, validation } = splitDataset(ds, config.validationSplit, config.seed, config.maxSamples);
  if (train.length === 0) throw new TrainError('dataset-missing', `${ds.name} has no training samples left after the split.`);
  let probeFrom = validation;
  if (validation.length === 0 && config.probeSize > 0) {
    emit({ type: 'warning', message: 'No validation samples (validationSplit 0): the response std is measured on training samples.' });
    probeFrom = train;
  }
  compile(tf, model, config, emit);
  return { ds, inputShape, train, validation, probe: probeFrom.slice(0, config.probeSize) };
}

function compile(tf: Tf, model: tfType.LayersModel, config: TrainConfig, emit: Emit): void {
  const optimizers: Record<string, (lr: number) => tfType.Optimizer> = {
    adam: (lr) => tf.train.adam(lr), sgd: (lr) => tf.train.sgd(lr), rmsprop: (lr) => tf.train.rmsprop(lr),
    momentum: (lr) => tf.train.momentum(lr, 0.9),
  };
  const make = optimizers[config.optimizer];
  if (!make) throw new TrainError('internal', `Unknown optimizer "${config.optimizer}" (adam, sgd, rmsprop or momentum).`);
  const outLayer = model.outputs[0].sourceLayer;
  const activation = activationName(outLayer);
  let loss: string | ((yTrue: tfType.Tensor, yPred: tfType.Tensor) => tfType.Tensor) = 'categoricalCrossentropy';
  if (activation === 'linear') {
    // A linear last layer produces logits; cross-entropy on them needs the softmax folded in.
    loss = (yTrue, yPred) => tf.losses.softmaxCrossEntropy(yTrue, yPred);
    emit({ type: 'warning', message: `The output layer ${outLayer.name} has no activation: its outputs are treated as logits (softmax cross-entropy).` });
  } else if (activation !== 'softmax') {
    emit({ type: 'warning', message: `The output layer ${outLayer.name} uses ${activation}; categorical cross-entropy expects softmax probabilities.` });
  }
  const optimizer = make(learningRateAt(config, 1));
  if (config.weightDecay) addWeightDecay(tf, model, optimizer, config.weightDecay);
  model.compile({ optimizer, loss, metrics: ['accuracy'] });
}

/** Training samples per epoch that fit the time budget, from the speed of the first batches. */
function budgetCap(config: TrainConfig, p: Prepared, seen: number, seconds: number, spent: number): number {
  const rate = seen / Math.max(seconds, 1e-3);
  // Validation and the probe cost about a quarter of training per sample seen.
  const left = Math.max(0, config.timeBudgetSeconds! - spent);
  const perEpoch = Math.floor((rate * left) / (config.epochs * (1 + 0.25 * config.validationSplit * 2)));
  return Math.max(config.batchSize * 3, Math.min(p.train.length, perEpoch));
}

async function fitLoop(tf: Tf, model: tfType.LayersModel, runner: StepRunnerSlot, config: TrainConfig, p: Prepared, emit: Emit, cancel: CancelToken):
  Promise<'completed' | 'cancelled'> {
  let steps = runner.current!;
  const probe = p.probe.length ? createProbe(tf, model) : undefined;
  const probeX = probe ? makeBatch(tf, p.ds, p.probe, p.inputShape) : undefined;
  probeX?.y.dispose();
  let batches = Math.ceil(p.train.length / config.batchSize);
  let perEpoch = p.train.length;
  const budgetStart = Date.now();
  try {
    for (let epoch = 1; epoch <= config.epochs; epoch++) {
      const lr = learningRateAt(config, epoch);
      if (lr !== learningRateAt(config, epoch - 1 || 1)) {
        steps = runner.renew();
        (model.optimizer as tfType.SGDOptimizer).setLearningRate(lr);
      }
      const order = seededPermutation(p.train.length, config.seed + epoch);
      const started = Date.now();
      let lossSum = 0;
      let accSum = 0;
      let seen = 0;
      for (let b = 0; b < batches; b++) {
        if (cancel.cancelled) return 'cancelled';
        const idx = order.slice(b * config.batchSize, (b + 1) * config.batchSize).map((i) => p.train[i]);
        const batch = makeBatch(tf, p.ds, idx, p.inputShape);
        let result: number | number[];
        try { result = await steps.train(batch); } finally { disposeBatch(batch); }
        const [loss, acc] = Array.isArray(result) ? result : [result, undefined];
        if (!Number.isFinite(loss)) throw nonFinite(loss, epoch, b + 1, config);
        lossSum += loss * idx.length;
        accSum += (acc ?? 0) * idx.length;
        seen += idx.length;
        emit({ type: 'batch', epoch, batch: b + 1, batches, loss, acc });
        await yieldToEvents();
        if (config.timeBudgetSeconds && epoch === 1 && b === 2 && perEpoch === p.train.length) {
          const cap = budgetCap(config, p, seen, (Date.now() - started) / 1000, (Date.now() - budgetStart) / 1000);
          const said = `Quick run: ${config.timeBudgetSeconds} s budget at ${(seen / Math.max(1e-3, (Date.now() - started) / 1000)).toFixed(1)} samples/s`;
          if (cap < p.train.length) {
            perEpoch = cap;
            batches = Math.max(b + 1, Math.ceil(cap / config.batchSize));
            p = { ...p, validation: p.validation.slice(0, Math.max(config.batchSize, Math.ceil(cap * config.validationSplit))) };
            emit({ type: 'warning', message: `${said}, ` +
              `so each epoch trains on ${batches * config.batchSize < p.train.length ? batches * config.batchSize : p.train.length} of ${p.train.length} samples and validates on ${p.validation.length}.` });
          } else {
            // Asked for a quick run: say that it needed no cap, rather than leave the user guessing.
            emit({ type: 'warning', message: `${said}: all ${p.train.length} samples of every epoch fit, nothing capped.` });
          }
        }
      }
      const seconds = (Date.now() - started) / 1000;
      steps.sync();
      const val = await evaluate(tf, model, p, config.batchSize, cancel);
      if (val === 'cancelled') return 'cancelled';
      emit({
        type: 'epoch', epoch, epochs: config.epochs, loss: lossSum / seen, acc: accSum / seen, ...val,
        samplesPerSec: seen / Math.max(seconds, 1e-6), seconds, learningRate: lr,
      });
      if (probe && probeX) emit({ type: 'std', epoch, ...probe.measure(probeX.x), measurement: 'batch-statistics' });
    }
    return 'completed';
  } finally {
    probeX?.x.dispose();
  }
}

async function evaluate(tf: Tf, model: tfType.LayersModel, p: Prepared, batchSize: number, cancel: CancelToken):
  Promise<{ valLoss?: number; valAcc?: number } | 'cancelled'> {
  if (p.validation.length === 0) return {};
  let loss = 0;
  let acc = 0;
  for (let start = 0; start < p.validation.length; start += batchSize) {
    if (cancel.cancelled) return 'cancelled';
    const idx = p.validation.slice(start, start + batchSize);
    const batch = makeBatch(tf, p.ds, idx, p.inputShape);
    const [l, a] = tf.tidy(() => {
      const out = model.evaluate(batch.x, batch.y, { batchSize: idx.length });
      return (Array.isArray(out) ? out : [out]).map((t) => t.dataSync()[0]);
    });
    disposeBatch(batch);
    loss += l * idx.length;
    acc += (a ?? 0) * idx.length;
    await yieldToEvents();
  }
  return { valLoss: loss / p.validation.length, valAcc: acc / p.validation.length };
}

/**
 * The trained model on the dataset's own test set (MNIST t10k), once. All of it on native TensorFlow; on pure
 * JS as many samples as one validation pass (1,000 at most in a quick run), drawn with the run's seed.
 */
async function evaluateTestSet(tf: Tf, model: tfType.LayersModel, config: TrainConfig, p: Prepared, cancel: CancelToken, emit: Emit):
  Promise<TestFigures | undefined> {
  let ds: Dataset | undefined;
  try {
    ds = loadTestSet(config.dataset, { workspaceDir: config.workspaceDir, modelSampleShape: p.inputShape, modelClasses: p.ds.classes, seed: config.seed });
  } catch (err) {
    emit({ type: 'warning', message: `The test set was not evaluated: ${err instanceof Error ? err.message : String(err)}` });
    return undefined;
  }
  if (!ds || ds.classes !== p.ds.classes) return undefined;
  const cap = tf.getBackend() === 'tensorflow' ? ds.count
    : Math.min(ds.count, Math.max(config.batchSize, config.timeBudgetSeconds ? Math.min(1000, p.validation.length) : p.validation.length));
  const indices = cap === ds.count ? Uint32Array.from({ length: ds.count }, (_, i) => i) : seededPermutation(ds.count, config.seed).slice(0, cap);
  const r = await evaluate(tf, model, { ...p, ds, validation: indices }, config.batchSize, cancel);
  if (r === 'cancelled' || r.valLoss === undefined) return undefined;
  return { name: ds.name, samples: indices.length, of: ds.count, loss: r.valLoss, acc: r.valAcc };
}

function disposeBatch(b: Batch): void {
  b.x.dispose();
  b.y.dispose();
}

function nonFinite(loss: number, epoch: number, batch: number, config: TrainConfig): TrainError {
  return new TrainError('non-finite-loss', `The loss became ${loss} at epoch ${epoch}, batch ${batch}: training stopped.`,
    `The weights diverged. Usual causes: a learning rate too high (now ${config.learningRate}; try ${config.learningRate / 10}), ` +
    'no BatchNormalization in a deep network, a residual branch whose output is not scaled down, or inputs that are not normalised.');
}

function summarize(model: tfType.LayersModel): LayerSummary[] {
  return model.layers.map((l) => ({ name: l.name, className: l.getClassName(), outputShape: l.outputShape, params: l.countParams() }));
}

export function toErrorMessage(err: unknown): Extract<TrainerMessage, { type: 'error' }> {
  if (err instanceof TrainError || err instanceof ModelLoadError || err instanceof ShapeMismatchError) {
    return { type: 'error', code: err.code, message: err.message, detail: err.detail };
  }
  if (err instanceof DatasetMissingError) return { type: 'error', code: 'dataset-missing', message: err.message, detail: err.advice };
  if (err instanceof DatasetFormatError) return { type: 'error', code: 'dataset-invalid', message: err.message, detail: 'The files exist but are not in the expected format.' };
  const e = err instanceof Error ? err : new Error(String(err));
  return { type: 'error', code: 'internal', message: e.message, detail: e.stack };
}
