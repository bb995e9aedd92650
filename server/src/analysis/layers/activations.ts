// Activation functions and the stand-alone activation layers. None changes the shape; only PReLU has weights.
import { isNone } from '../symbolic/dynamic';
import type { Shape } from '../types';
import { UNKNOWN, fail, isAbsent, readNumber, show, type LayerConfig } from './config';
import { fmt, weightSize } from './dims';
import { defineSingle, identity, type LayerSpec, type ShapeResult } from './spec';

/** The names tfjs 4.22 registers as activations (activations.ts className fields). */
export const ACTIVATIONS = [
  'elu', 'selu', 'relu', 'relu6', 'linear', 'sigmoid', 'hardSigmoid', 'softplus', 'softsign', 'tanh',
  'softmax', 'logSoftmax', 'gelu', 'gelu_new', 'mish', 'swish',
] as const;

/** The `activation` of a conv/dense/activation config; 'linear' when absent, as in tfjs. */
export function activationOf(cfg: LayerConfig): string | undefined | typeof UNKNOWN {
  const v = cfg.activation;
  if (isAbsent(v)) return 'linear';
  if (v === UNKNOWN) return UNKNOWN;
  return typeof v === 'string' ? v : undefined;
}

export function isNonlinear(activation: string): boolean {
  return activation !== 'linear';
}

/** tfjs getActivation() throws for names it has not registered. */
export function validateActivation(cfg: LayerConfig): void {
  const a = activationOf(cfg);
  if (typeof a === 'string' && !(ACTIVATIONS as readonly string[]).includes(a)) {
    fail(`Unknown activation: ${show(a)}`);
  }
}

/** PReLU learns one alpha per input element, shared along `sharedAxes`. */
function preluParams(cfg: LayerConfig, input: Shape): number | null {
  const shared = cfg.sharedAxes;
  if (shared === UNKNOWN) return null;
  const paramShape = input.slice(1);
  const axes = isAbsent(shared) ? [] : Array.isArray(shared) ? shared : [shared];
  for (const a of axes) {
    if (a === UNKNOWN) return null;
    if (typeof a !== 'number') fail(`Expected sharedAxes to be a number or an array of numbers, but got ${show(shared)}`);
    paramShape[a - 1] = 1;
  }
  if (paramShape.some(isNone)) {
    fail(`PReLU needs every non-batch input dim defined to size alpha, got input shape [null,${paramShape.map(String).join(',')}]`);
  }
  return weightSize(...paramShape);
}

/** The Softmax layer's axis defaults to 1, and tfjs's softmax kernel only handles the last axis. */
function softmaxShape(cfg: LayerConfig, input: Shape): ShapeResult {
  const axis = readNumber(cfg, 'axis', 1);
  const last = input.length - 1;
  if (axis === undefined || axis === -1 || axis === last) return { shape: input.slice() };
  return { shape: input.slice(), error: `Softmax: tfjs 4.22 only supports softmax along the last axis (${last}), got axis ${axis} for input ${fmt(input)} (it fails when the model runs)` };
}

export const activationLayers: LayerSpec[] = [
  identity('Activation', ['activation'], 'activation', { validate: validateActivation }),
  identity('ReLU', ['reLU'], 'activation'),
  identity('LeakyReLU', ['leakyReLU'], 'activation'),
  identity('ELU', ['elu'], 'activation'),
  defineSingle({ className: 'Softmax', factories: ['softmax'], kind: 'activation', shape: softmaxShape }),
  identity('ThresholdedReLU', ['thresholdedReLU'], 'activation'),
  defineSingle({
    className: 'PReLU',
    factories: ['prelu'],
    kind: 'activation',
    shape(cfg, input) {
      preluParams(cfg, input); // building the alpha weight is what fails for None dims
      return input.slice();
    },
    params: preluParams,
  }),
];
