// `skipcheck export --to keras`: builds the model with the trainer's loader (this runs the user's code:
// trusted contexts only), saves it in tfjs Layers format, converts that to Keras HDF5 with the official
// converter in Python, and accepts the result only if Keras reloads it with the same parameter count and
// tfjs's output on a fixed probe batch. Next to it goes a training script for tf.distribute.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as tfType from '@tensorflow/tfjs';
import { execTool, tail } from '../native/exec';
import { loadBackend, type LoadedBackend } from '../trainer/backend';
import type { Tf } from '../trainer/datasets/batches';
import { loadModel } from '../trainer/modelLoader';
import type { TrainConfig } from '../../../contract/protocol';
import { seededRandom } from '../trainer/random';
import { saveModel, writeFileAtomic } from '../trainer/runDir';
import { concreteShape, modelSampleShape } from '../trainer/shapeCheck';
import { customLayers, builtinLayerClasses } from './customLayers';
import { ensureKerasPython, TFJS_CONVERTER_VERSION, type KerasPythonOptions } from './kerasPython';
import { pythonScript } from './pythonFiles';
import { writeTrainingScript } from './trainingScript';

export const KERAS_FILE = 'model.h5';
export const TFJS_DIR = 'tfjs';
export const SCRIPT_FILE = 'train_distributed.py';
const PROBE_BATCH = 4;

export class ExportError extends Error {
  constructor(readonly kind: 'custom-layer' | 'conversion-failed' | 'mismatch' | 'python', message: string, readonly detail?: string) {
    super(message);
  }
}

export interface ExportOptions {
  /** modelFile, entry, dataset and the optimizer/batch settings the training script starts from. */
  config: TrainConfig;
  outDir: string;
  python?: KerasPythonOptions;
  backend?: LoadedBackend;
  log?: (line: string) => void;
}

export interface ExportResult {
  entry: string;
  modelName: string;
  params: number;
  kerasParams: number;
  /** Largest |Keras - tfjs| over the probe batch's outputs, and the bound it had to meet. */
  maxAbsDiff: number;
  tolerance: number;
  tfVersion: string;
  kerasVersion: string;
  /** The Python that converted it (and can run the training script). */
  python: string;
  files: { keras: string; tfjs: string; script: string };
}

interface PythonVerdict { params: number; layers: number; maxAbsDiff: number; maxAbs: number; tfVersion: string; kerasVersion: string }

export async function exportToKeras(options: ExportOptions): Promise<ExportResult> {
  const log = options.log ?? (() => undefined);
  const { config, outDir } = options;
  if (config.variant && config.variant !== 'residual') {
    throw new ExportError('conversion-failed', `The ${config.variant} ablation twin is built by the tfjs trainer only; export the model as written.`);
  }
  const { tf } = options.backend ?? await loadBackend(config.workspaceDir);
  // Taken before the user's code can register classes of its own.
  const builtin = builtinLayerClasses(tf);
  const { model, entry } = await loadModel(config.modelFile, config.entry, tf);
  const scratch = mkdtempSync(join(tmpdir(), 'skipcheck-export-'));
  try {
    const custom = customLayers(tf, model, builtin);
    if (custom.length) {
      throw new ExportError('custom-layer',
        `${entry}() uses layers Keras cannot rebuild: ${custom.map((c) => `${c.layer} (${c.className})`).join(', ')}.`,
        'The converter maps tfjs\'s built-in layers to Keras\'s. A custom Layer subclass has no Keras counterpart: ' +
        'write it from built-in layers, or port it to Python and load the model there with custom_objects.');
    }
    const tfjsModelJson = await saveModel(tf, model, outDir, TFJS_DIR);
    log(`tfjs Layers model: ${tfjsModelJson}`);
    const probeFile = join(scratch, 'probe.json');
    writeFileSync(probeFile, JSON.stringify(probeBatch(tf, model, config.seed)));

    const python = await ensureKerasPython({ log, ...options.python });
    log(`Converting with tensorflowjs ${TFJS_CONVERTER_VERSION} (TensorFlow ${python.tfVersion}, tf-keras ${python.kerasVersion}) ...`);
    const keras = join(outDir, KERAS_FILE);
    const r = await execTool(python.python, [pythonScript('export_keras.py'), tfjsModelJson, keras, probeFile],
      { env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' }, timeoutMs: 600_000 });
    const last = r.stdout.trim().split('\n').pop() ?? '';
    if (r.code !== 0 || !last.startsWith('{')) {
      throw new ExportError('conversion-failed', 'The tfjs → Keras conversion failed.', tail(r.error ?? (r.stderr || r.stdout), 12));
    }
    const verdict = JSON.parse(last) as PythonVerdict | { error: string; kind: string };
    if ('error' in verdict) {
      throw new ExportError(verdict.kind === 'unknown-layer' ? 'custom-layer' : 'conversion-failed',
        `Keras could not rebuild the model: ${verdict.error}`);
    }
    const params = model.countParams();
    const tolerance = 1e-4 * Math.max(1, verdict.maxAbs);
    if (verdict.params !== params || !(verdict.maxAbsDiff <= tolerance)) {
      rmSync(keras, { force: true });
      throw new ExportError('mismatch',
        `The Keras model does not match the tfjs model (parameters ${verdict.params} vs ${params}, ` +
        `largest output difference ${verdict.maxAbsDiff.toExponential(2)} on the probe batch, allowed ${tolerance.toExponential(1)}); nothing was exported.`);
    }
    const script = writeTrainingScript(model, { ...config, entry }, outDir, KERAS_FILE, log);
    const result: ExportResult = {
      entry, modelName: model.name, params, kerasParams: verdict.params, maxAbsDiff: verdict.maxAbsDiff, tolerance,
      tfVersion: verdict.tfVersion, kerasVersion: verdict.kerasVersion, python: python.python, files: { keras, tfjs: tfjsModelJson, script },
    };
    writeFileAtomic(join(outDir, 'export.json'), JSON.stringify({ ...result, modelFile: config.modelFile }, null, 2) + '\n');
    return result;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    model.dispose();
  }
}

/** A fixed batch of inputs in [0, 1) and tfjs's predictions for it (inference mode). */
export function probeBatch(tf: Tf, model: tfType.LayersModel, seed: number): { shape: number[]; input: number[]; output: number[] } {
  const shape = [PROBE_BATCH, ...concreteShape(modelSampleShape(model))];
  const rand = seededRandom(seed);
  const input = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, rand);
  const output = tf.tidy(() => {
    const y = model.predict(tf.tensor(input, shape));
    return (Array.isArray(y) ? y[0] : y).dataSync();
  });
  return { shape, input: Array.from(input), output: Array.from(output) };
}
