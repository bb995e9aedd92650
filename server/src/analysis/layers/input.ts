// Where shapes start: tf.input / tf.layers.input ({shape | batchShape}), tf.layers.inputLayer
// ({inputShape | batchInputShape, batchSize}) and the first layer of a Sequential model, which tfjs gives an
// implicit InputLayer from its inputShape / batchInputShape / batchSize (and Dense's inputDim).
import type { Dim, Shape } from '../types';
import { UNKNOWN, fail, isAbsent, show, type ConfigValue, type LayerConfig } from './config';
import { errorMessage, type LayerSpec, type ShapeResult } from './spec';

/** Which tfjs entry point the config was given to; they differ only in what they reject. */
export type InputVia = 'input' | 'inputLayer' | 'firstLayer';

function readShape(v: ConfigValue, key: string): Shape | undefined {
  if (v === UNKNOWN) return undefined;
  if (!Array.isArray(v)) fail(`${key} must be an array of dims, got ${show(v)}`);
  return v.map((d): Dim => {
    if (d === UNKNOWN) return undefined;
    if (d === null || typeof d === 'number') return d;
    fail(`${key} must contain numbers or null, got ${show(v)}`);
  });
}

function readBatchSize(cfg: LayerConfig): Dim {
  const b = cfg.batchSize;
  if (isAbsent(b)) return null;
  if (b === UNKNOWN) return undefined;
  if (typeof b !== 'number') fail(`batchSize must be a number, got ${show(b)}`);
  return b;
}

/** [batch, ...shape]; an unknown shape leaves even the rank unknown. */
function withBatch(batch: Dim, shape: Shape | undefined): Shape | undefined {
  return shape === undefined ? undefined : [batch, ...shape];
}

function fromInputCall(cfg: LayerConfig): Shape | undefined {
  const hasShape = !isAbsent(cfg.shape);
  const hasBatchShape = !isAbsent(cfg.batchShape);
  if (!hasShape && !hasBatchShape) {
    fail('Please provide to Input either a `shape` or a `batchShape` argument. Note that `shape` does not include the batch dimension.');
  }
  if (hasShape && hasBatchShape) fail('Please provide either a `shape` or `batchShape` argument to Input, but not both.');
  return hasBatchShape ? readShape(cfg.batchShape, 'batchShape') : withBatch(null, readShape(cfg.shape, 'shape'));
}

function fromInputLayer(cfg: LayerConfig): Shape | undefined {
  const hasShape = !isAbsent(cfg.inputShape);
  const hasBatchShape = !isAbsent(cfg.batchInputShape);
  if (hasShape && hasBatchShape) {
    fail('Only provide the inputShape OR batchInputShape argument to inputLayer, not both at the same time.');
  }
  if (!hasShape && !hasBatchShape) fail('An InputLayer should be passed either a `batchInputShape` or an `inputShape`.');
  if (hasBatchShape && !isAbsent(cfg.batchSize)) {
    fail('Cannot specify batchSize if batchInputShape is specified when creating an InputLayer.');
  }
  return hasBatchShape ? readShape(cfg.batchInputShape, 'batchInputShape') : withBatch(readBatchSize(cfg), readShape(cfg.inputShape, 'inputShape'));
}

/**
 * Layer constructor: batchInputShape wins over inputShape. Two constructors set an input shape of their own:
 * Dense from `inputDim`, and Embedding always (`[batchSize, ...inputLength]`, or `[batchSize, null]`) — its
 * `inputDim` is the vocabulary size, not an input shape.
 */
function fromFirstLayer(cfg: LayerConfig, className: string): Shape | undefined {
  if (!isAbsent(cfg.batchInputShape)) return readShape(cfg.batchInputShape, 'batchInputShape');
  if (!isAbsent(cfg.inputShape)) return withBatch(readBatchSize(cfg), readShape(cfg.inputShape, 'inputShape'));
  if (className === 'Embedding') {
    const len = cfg.inputLength;
    if (isAbsent(len)) return [readBatchSize(cfg), null];
    return withBatch(readBatchSize(cfg), readShape(Array.isArray(len) ? len : [len], 'inputLength'));
  }
  if (className === 'Dense' && !isAbsent(cfg.inputDim)) return withBatch(readBatchSize(cfg), readShape([cfg.inputDim], 'inputDim'));
  fail('The first layer in a Sequential model must get an `inputShape` or `batchInputShape` argument.');
}

/**
 * The batch shape an input config declares. Without `via`, a config with `shape`/`batchShape` is read as
 * tf.input's and any other as tf.layers.inputLayer's; pass 'firstLayer' and the layer's class for the first
 * layer of a Sequential.
 */
export function inputLayerShape(cfg: LayerConfig, via?: InputVia, className = ''): ShapeResult {
  const mode = via ?? (isAbsent(cfg.shape) && isAbsent(cfg.batchShape) ? 'inputLayer' : 'input');
  try {
    const shape = mode === 'input' ? fromInputCall(cfg) : mode === 'inputLayer' ? fromInputLayer(cfg) : fromFirstLayer(cfg, className);
    return { shape };
  } catch (e) {
    return { shape: undefined, error: errorMessage(e) };
  }
}

export const inputSpec: LayerSpec = {
  className: 'InputLayer',
  factories: ['input', 'inputLayer'],
  kind: 'input',
  computeOutputShape(cfg, inputs) {
    if (inputs.length > 0) return { shape: undefined, error: "Cannot pass any input to an InputLayer's apply() method." };
    return inputLayerShape(cfg);
  },
  countParams: () => 0,
};
