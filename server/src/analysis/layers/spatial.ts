// Layers that add or remove rows and columns: ZeroPadding2D, Cropping2D (tfjs padding.ts, convolutional.ts)
// and UpSampling2D.
import type { Dim, Shape } from '../types';
import { UNKNOWN, fail, isAbsent, readChannelsFirst, readEnum, show, type ConfigValue } from './config';
import { mapDim } from './dims';
import * as sym from '../symbolic/expr';
import { agreeing, defineSingle, type LayerSpec, type ShapeResult } from './spec';

type Pair = [number | undefined, number | undefined];

function entry(v: ConfigValue, name: string): number | undefined {
  if (v === UNKNOWN) return undefined;
  if (typeof v !== 'number') fail(`${name} entries must be numbers, got ${show(v)}`);
  return v;
}

function pair(v: ConfigValue, name: string, which: string): Pair {
  if (v === UNKNOWN) return [undefined, undefined];
  if (!Array.isArray(v) || v.length !== 2) fail(`${name} expects ${which} to be a length-2 array, but received ${show(v)}.`);
  return [entry(v[0], name), entry(v[1], name)];
}

/** int -> all four sides; [h, w] -> symmetric per axis; [[top, bottom], [left, right]] as given. */
function readAmounts(v: ConfigValue, def: number | undefined, name: string): [Pair, Pair] {
  if (isAbsent(v) && def === undefined) fail(`${name} requires a config value, got ${show(v)}`);
  if (isAbsent(v)) return [[def, def], [def, def]];
  if (v === UNKNOWN) return [[undefined, undefined], [undefined, undefined]];
  if (typeof v === 'number') return [[v, v], [v, v]];
  if (!Array.isArray(v) || v.length !== 2) fail(`${name} expects a number or a length-2 array, but received ${show(v)}.`);
  if (typeof v[0] === 'number') {
    const h = entry(v[0], name);
    const w = entry(v[1], name);
    return [[h, h], [w, w]];
  }
  return [pair(v[0], name, 'height amounts'), pair(v[1], name, 'width amounts')];
}

/** Applies `f(dim, axisIndex)` to the two spatial axes of an NHWC or NCHW shape. */
function mapSpatial(input: Shape, channelsFirst: boolean | undefined, f: (d: Dim, axis: 0 | 1) => Dim): Shape | ShapeResult {
  const layout = (cf: boolean) => (): Shape => {
    const first = cf ? 2 : 1;
    const out = input.slice();
    out[first] = f(input[first], 0);
    out[first + 1] = f(input[first + 1], 1);
    return out;
  };
  if (channelsFirst === undefined) return { shape: agreeing([layout(false), layout(true)]) };
  return layout(channelsFirst)();
}

function addAll(d: Dim, amounts: Pair, sign: 1 | -1): Dim {
  const [a, b] = amounts;
  if (d === null) return null;
  if (a === undefined || b === undefined) return undefined;
  return mapDim(d, (n) => n + sign * (a + b), (n) => sym.add(n, sign * (a + b)));
}

const INTERPOLATIONS = ['nearest', 'bilinear'] as const;

export const spatialLayers: LayerSpec[] = [
  defineSingle({
    className: 'ZeroPadding2D',
    factories: ['zeroPadding2d'],
    kind: 'padding',
    rank: { ndim: 4 },
    validate: (cfg) => void readAmounts(cfg.padding, 1, 'ZeroPadding2D'),
    shape(cfg, input) {
      const pads = readAmounts(cfg.padding, 1, 'ZeroPadding2D');
      // tfjs treats a negative (already broken) size like None here.
      return mapSpatial(input, readChannelsFirst(cfg, false), (d, axis) => (typeof d === 'number' && d < 0 ? null : addAll(d, pads[axis], 1)));
    },
  }),
  defineSingle({
    className: 'Cropping2D',
    factories: ['cropping2D'],
    kind: 'padding',
    rank: { ndim: 4 },
    validate: (cfg) => void readAmounts(cfg.cropping, undefined, 'Cropping2D'),
    shape(cfg, input) {
      const crops = readAmounts(cfg.cropping, undefined, 'Cropping2D');
      // tfjs computes null - n = -n for a None dim; None is what it means, so None is what we report.
      return mapSpatial(input, readChannelsFirst(cfg, false), (d, axis) => addAll(d, crops[axis], -1));
    },
  }),
  defineSingle({
    className: 'UpSampling2D',
    factories: ['upSampling2d'],
    kind: 'padding',
    rank: { ndim: 4 },
    validate(cfg) {
      readChannelsFirst(cfg);
      readEnum(cfg, 'interpolation', INTERPOLATIONS, 'nearest');
    },
    shape(cfg, input) {
      const size = isAbsent(cfg.size) ? [2, 2] : pair(cfg.size, 'UpSampling2D', 'size');
      return mapSpatial(input, readChannelsFirst(cfg), (d, axis) => {
        const s = size[axis];
        if (s === undefined) return d === null ? null : undefined;
        return mapDim(d, (n) => n * s, (n) => sym.mul(n, s));
      });
    },
  }),
];
