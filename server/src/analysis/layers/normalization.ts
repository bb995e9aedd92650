// BatchNormalization and LayerNormalization (tfjs normalization.ts). Neither changes the shape; their
// weights are sized by the normalised axes, which therefore must be defined.
import { isNone } from '../symbolic/dynamic';
import type { Shape } from '../types';
import { UNKNOWN, fail, isAbsent, readBool, show, type LayerConfig } from './config';
import { fmt, resolveAxis, weightSize } from './dims';
import { defineSingle, type LayerSpec, type ShapeResult } from './spec';

/** How many of gamma (scale) and beta (center) exist; undefined when a flag is unknown. */
function affineWeights(cfg: LayerConfig): number | undefined {
  const scale = readBool(cfg, 'scale', true);
  const center = readBool(cfg, 'center', true);
  if (scale === undefined || center === undefined) return undefined;
  return (scale ? 1 : 0) + (center ? 1 : 0);
}

/** The size of BatchNormalization's axis; a None axis makes tfjs's build throw. */
function batchNormDim(cfg: LayerConfig, input: Shape): number | undefined {
  const a = cfg.axis;
  if (a === UNKNOWN || (!isAbsent(a) && typeof a !== 'number')) return undefined;
  const axis = resolveAxis(isAbsent(a) ? -1 : a, input.length);
  const dim = input[axis];
  if (isNone(dim) || (dim === undefined && (axis < 0 || axis >= input.length))) {
    fail(`Axis ${axis} of input tensor should have a defined dimension but the layer received an input with shape ${fmt(input)}.`);
  }
  return typeof dim === 'number' ? dim : undefined;
}

/** LayerNormalization axes, resolved and checked as its build() does. */
function layerNormAxes(cfg: LayerConfig, input: Shape): number[] | undefined {
  const a = cfg.axis;
  if (a === UNKNOWN) return undefined;
  const list = isAbsent(a) ? [-1] : Array.isArray(a) ? a : [a];
  if (list.some((x) => x === UNKNOWN)) return undefined;
  if (!list.every((x) => typeof x === 'number' && Number.isInteger(x))) {
    fail(`Expected axis to be an integer or an array of integers, but received ${show(a)}`);
  }
  const axes = (list as number[]).map((x) => resolveAxis(x, input.length));
  for (const x of axes) if (x < 0 || x >= input.length) fail(`Invalid axis: ${x} for input shape ${fmt(input)}`);
  if (new Set(axes).size !== axes.length) fail(`Found duplicate axes in: ${axes.join(',')}`);
  return axes;
}

function validateLayerNormAxis(cfg: LayerConfig): void {
  const a = cfg.axis;
  const list = Array.isArray(a) ? a : [a];
  if (!isAbsent(a) && list.some((x) => x !== UNKNOWN && !(typeof x === 'number' && Number.isInteger(x)))) {
    fail(`Expected axis to be an integer or an array of integers, but received ${show(a)}`);
  }
}

function layerNormParams(cfg: LayerConfig, input: Shape): number | null {
  const axes = layerNormAxes(cfg, input);
  const dims = axes?.map((x) => input[x]);
  const count = affineWeights(cfg);
  // Without gamma and beta there is no weight to size, so None axes are fine.
  if (dims?.some(isNone) && count !== 0) {
    fail(`LayerNormalization needs defined dims on its axes, got input shape ${fmt(input)}`);
  }
  const perWeight = dims === undefined ? null : weightSize(...dims);
  if (count === 0) return 0;
  return perWeight === null || count === undefined ? null : count * perWeight;
}

/** Both layers run through tfjs's batchNormalization kernel, which exists for ranks 2 to 4 only. */
function rankProblem(className: string, input: Shape): ShapeResult {
  if (input.length >= 2 && input.length <= 4) return { shape: input.slice() };
  return { shape: input.slice(), error: `${className}: tfjs 4.22 implements normalization only for inputs of rank 2 to 4, got ${fmt(input)} (it fails when the model runs)` };
}

export const normalizationLayers: LayerSpec[] = [
  defineSingle({
    className: 'BatchNormalization',
    factories: ['batchNormalization'],
    kind: 'norm',
    shape(cfg, input) {
      batchNormDim(cfg, input);
      return rankProblem('BatchNormalization', input);
    },
    params(cfg, input) {
      const dim = batchNormDim(cfg, input);
      const affine = affineWeights(cfg);
      // moving mean and moving variance are weights too, and countParams() counts them.
      return dim === undefined || affine === undefined ? null : (affine + 2) * dim;
    },
  }),
  defineSingle({
    className: 'LayerNormalization',
    factories: ['layerNormalization'],
    kind: 'norm',
    validate: validateLayerNormAxis,
    shape(cfg, input) {
      layerNormParams(cfg, input);
      return rankProblem('LayerNormalization', input);
    },
    params: layerNormParams,
  }),
];
