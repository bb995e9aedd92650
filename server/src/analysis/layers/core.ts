// Basic layers (tfjs core.ts, noise.ts, preprocessing): dense, the reshaping family, and the layers that only
// act on values (dropout, noise, rescaling, masking).
import type { Dim, Shape } from '../types';
import { UNKNOWN, fail, readBool, readPositiveInt, show, type ConfigValue, type LayerConfig } from './config';
import { fmt, product, sum, unknownShape, weightSize } from './dims';
import { validateActivation } from './activations';
import { symField } from '../symbolic/config';
import { isNone } from '../symbolic/dynamic';
import { defineSingle, errorMessage, identity, type LayerSpec, type ShapeResult } from './spec';

function validateDense(cfg: LayerConfig): void {
  readPositiveInt(cfg, 'units');
  validateActivation(cfg);
}

/** Dense's kernel is [lastDim, units]: a None last dim makes building it throw. */
function denseInputDim(input: Shape): Dim {
  const last = input[input.length - 1];
  if (isNone(last)) fail(`Dense needs a defined last dimension to build its kernel, got input shape ${fmt(input)}`);
  return last;
}

/** Reshape's targetShape as tfjs stores it: negative or missing entries become null ("infer"). */
function readTarget(v: ConfigValue): Dim[] | undefined {
  if (v === UNKNOWN) return undefined;
  if (!Array.isArray(v)) fail(`Reshape expects targetShape to be an array, got ${show(v)}`);
  return v.map((d) => (d === UNKNOWN ? undefined : typeof d !== 'number' || d < 0 ? null : d));
}

/** tfjs Reshape.fixUnknownDimension, on fully known sizes. */
function fixUnknownDimension(input: number[], target: (number | null)[], targetText: string): number[] {
  const size = input.reduce((a, b) => a * b, 1);
  const problem = `Reshape cannot turn input ${fmt(input)} (${size} elements) into targetShape ${targetText}`;
  let knownSize = 1;
  let inferAt = -1;
  target.forEach((d, i) => {
    if (d !== null) knownSize *= d;
    else if (inferAt >= 0) fail(`${problem}: can only specify one unknown dimension.`);
    else inferAt = i;
  });
  const out = target.slice() as number[];
  if (inferAt >= 0) {
    if (knownSize === 0 || size % knownSize !== 0) fail(`${problem}: total size of new array must be unchanged.`);
    out[inferAt] = size / knownSize;
  } else if (size !== knownSize) {
    fail(`${problem}: total size of new array must be unchanged.`);
  }
  return out;
}

const isKnownSize = (d: Dim): d is number => typeof d === 'number' && d >= 0;

/**
 * While any input dim is None (normally the batch), tfjs reports targetShape as given, -1 as null, and
 * only checks the sizes when the layer runs. We report that run-time failure now.
 */
function reshapeShape(cfg: LayerConfig, input: Shape): ShapeResult {
  const target = readTarget(cfg.targetShape);
  if (target === undefined) return { shape: undefined };
  const targetText = show(cfg.targetShape);
  const rest = input.slice(1);
  const checkable = rest.every(isKnownSize) && target.every((d) => d !== undefined);
  const symbolic = input.some((d) => isNone(d) || (typeof d === 'number' && d < 0));
  if (symbolic) {
    try {
      if (checkable) fixUnknownDimension(rest, target as (number | null)[], targetText);
    } catch (e) {
      return { shape: [input[0], ...target], error: errorMessage(e) };
    }
    return { shape: [input[0], ...target] };
  }
  if (!checkable) return { shape: [input[0], ...target.map((d) => (d === null ? undefined : d))] };
  return { shape: [input[0], ...fixUnknownDimension(rest, target as (number | null)[], targetText)] };
}

/** Permute dims must be a permutation of 1..n; undefined when unknown. */
function readPermutation(cfg: LayerConfig): (number | undefined)[] | undefined {
  const dims = cfg.dims;
  if (dims === UNKNOWN) return undefined;
  if (!Array.isArray(dims)) fail(`Permute requires dims to be an Array, but received ${show(dims)} instead.`);
  if (dims.some((d) => d === UNKNOWN)) return dims.map((d) => (typeof d === 'number' ? d : undefined));
  const sorted = dims.slice().sort((a, b) => (a as number) - (b as number));
  if (!sorted.every((d, i) => d === i + 1)) {
    fail(`Invalid permutation dims: ${show(dims)}. dims must contain consecutive integers starting from 1.`);
  }
  return dims as number[];
}

function permuteShape(cfg: LayerConfig, input: Shape): Shape {
  const dims = readPermutation(cfg);
  if (dims === undefined) return unknownShape(input[0], input.length);
  if (input.length !== dims.length + 1) {
    fail(`Input 0 is incompatible with layer Permute: expected ndim=${dims.length + 1}, found ndim=${input.length} (shape ${fmt(input)})`);
  }
  return [input[0], ...dims.map((d) => (d === undefined ? undefined : input[d]))];
}

export const coreLayers: LayerSpec[] = [
  defineSingle({
    className: 'Dense',
    factories: ['dense'],
    kind: 'dense',
    rank: { minNDim: 2 },
    validate: validateDense,
    shape(cfg, input) {
      denseInputDim(input);
      return [...input.slice(0, -1), readPositiveInt(cfg, 'units') ?? symField(cfg, 'units')];
    },
    params(cfg, input) {
      const inputDim = denseInputDim(input);
      const units = readPositiveInt(cfg, 'units');
      const useBias = readBool(cfg, 'useBias', true);
      if (useBias === undefined) return null;
      return sum(weightSize(inputDim, units), useBias ? weightSize(units) : 0);
    },
  }),
  defineSingle({
    className: 'Flatten',
    factories: ['flatten'],
    kind: 'reshape',
    rank: { minNDim: 3 },
    shape(_cfg, input) {
      if (input.slice(1).some(isNone)) {
        fail(`The shape of the input to "Flatten" is not fully defined (got ${fmt(input)}).`);
      }
      return [input[0], product(input.slice(1))];
    },
  }),
  defineSingle({ className: 'Reshape', factories: ['reshape'], kind: 'reshape', shape: reshapeShape }),
  defineSingle({
    className: 'Permute',
    factories: ['permute'],
    kind: 'reshape',
    validate: (cfg) => void readPermutation(cfg),
    shape: (cfg, input) => ({ shape: permuteShape(cfg, input) }),
  }),
  defineSingle({
    className: 'RepeatVector',
    factories: ['repeatVector'],
    kind: 'reshape',
    rank: { ndim: 2 },
    shape: (cfg, input) => [input[0], typeof cfg.n === 'number' ? cfg.n : undefined, input[1]],
  }),
  identity('Dropout', ['dropout'], 'regularization'),
  identity('SpatialDropout1D', ['spatialDropout1d'], 'regularization', { rank: { ndim: 3 } }),
  identity('GaussianNoise', ['gaussianNoise'], 'regularization'),
  identity('GaussianDropout', ['gaussianDropout'], 'regularization'),
  identity('AlphaDropout', ['alphaDropout'], 'regularization'),
  identity('Rescaling', ['rescaling'], 'other'),
  identity('Masking', ['masking'], 'other'),
];
