// Sliding windows (convolution kernels and pooling windows): reading their config like the tfjs constructors
// do, and the output-length arithmetic of tfjs conv_utils.
import type { Dim } from '../types';
import {
  LayerError, UNKNOWN, fail, isAbsent, isPositiveInt, readChannelsFirst, readEnum, readTuple, requirePositive, show,
  type ConfigValue, type LayerConfig,
} from './config';
import { mapDim } from './dims';
import * as sym from '../symbolic/expr';
import { symTuple } from '../symbolic/config';

export type Padding = 'same' | 'valid' | 'causal';
export const PADDINGS: readonly Padding[] = ['valid', 'same', 'causal'];

export interface Window {
  /** Number of spatial axes. */
  rank: number;
  kernel: (number | undefined)[];
  strides: (number | undefined)[];
  /** The dilation tfjs actually applies (DepthwiseConv2D and Conv2DTranspose ignore the configured one). */
  dilation: (number | undefined)[];
  padding: Padding | undefined;
  channelsFirst: boolean | undefined;
  /** Strides that are symbolic (a parameter `strides`), where `strides` has undefined. */
  symStrides?: (sym.SymDim | undefined)[];
}

/**
 * tfjs convOutputLength: 'causal' falls through to the 'valid' arithmetic. On symbolic lengths or strides
 * it is the same arithmetic as quotients: same ⌊(L+s-1)/s⌋ = ⌈L/s⌉, valid ⌈(L-dilated+1)/s⌉.
 */
export function convOutputLength(length: Dim, kernel: number | undefined, padding: Padding | undefined, stride: sym.SymDim | undefined, dilation: number | undefined): Dim {
  if (typeof stride === 'string') {
    if (length === null || length === undefined || padding === undefined) return length === null ? null : undefined;
    if (padding === 'same') return sym.divide(length, stride, 'ceil');
    if (kernel === undefined || dilation === undefined) return undefined;
    return sym.divide(sym.sub(length, kernel + (kernel - 1) * (dilation - 1) - 1), stride, 'ceil');
  }
  if (padding === 'same' && stride !== undefined) {
    return mapDim(length, (l) => Math.floor((l + stride - 1) / stride), (l) => sym.divide(l, stride, 'ceil'));
  }
  if (padding === undefined || kernel === undefined || stride === undefined || dilation === undefined) {
    return length === null ? null : undefined;
  }
  const dilated = kernel + (kernel - 1) * (dilation - 1);
  return mapDim(length, (l) => Math.floor((l - dilated + 1 + stride - 1) / stride), (l) => sym.divide(sym.sub(l, dilated - 1), stride, 'ceil'));
}

/** tfjs deconvLength (transposed convolution). */
export function deconvLength(length: Dim, stride: number | undefined, kernel: number | undefined, padding: Padding | undefined): Dim {
  if (length === null) return null;
  if (stride === undefined || padding === undefined) return undefined;
  if (padding === 'same') return mapDim(length, (l) => l * stride, (l) => sym.mul(l, stride));
  if (kernel === undefined) return undefined;
  return mapDim(length, (l) => l * stride + Math.max(kernel - stride, 0), (l) => {
    const m = sym.mul(l, stride);
    return m === undefined ? undefined : sym.add(m, Math.max(kernel - stride, 0));
  });
}

/** Number of spatial axes per window layer, and whether the configured dilation reaches the arithmetic. */
const CONV_RANK: Record<string, { rank: number; usesDilation: boolean }> = {
  Conv1D: { rank: 1, usesDilation: true },
  Conv2D: { rank: 2, usesDilation: true },
  SeparableConv2D: { rank: 2, usesDilation: true },
  DepthwiseConv2D: { rank: 2, usesDilation: false },
  Conv2DTranspose: { rank: 2, usesDilation: false },
};
const POOL_RANK: Record<string, number> = {
  MaxPooling1D: 1, AveragePooling1D: 1,
  MaxPooling2D: 2, AveragePooling2D: 2,
  MaxPooling3D: 3, AveragePooling3D: 3,
};

function readPadding(cfg: LayerConfig): Padding | undefined {
  return readEnum(cfg, 'padding', PADDINGS, 'valid');
}

/** BaseConv constructor: kernelSize required, strides and dilationRate default to 1, all normalised. */
export function readConvWindow(className: string, cfg: LayerConfig): Window {
  const { rank, usesDilation } = CONV_RANK[className];
  const k = cfg.kernelSize;
  if (isAbsent(k)) fail(`${className}: required key 'kernelSize' not in config`);
  if (Array.isArray(k) && (k.length < 1 || k.length > 3)) {
    fail(`${className} expects config.kernelSize to be number or number[] with length 1, 2, or 3, but received ${show(k)}.`);
  }
  const kernel = readTuple(k, rank, 'kernelSize');
  const strides = readTuple(isAbsent(cfg.strides) ? 1 : cfg.strides, rank, 'strides');
  const dilation = readTuple(isAbsent(cfg.dilationRate) ? 1 : cfg.dilationRate, rank, 'dilationRate');
  requirePositive(kernel, 'kernelSize');
  requirePositive(strides, 'strides');
  requirePositive(dilation, 'dilationRate');
  return {
    rank,
    kernel,
    strides,
    dilation: usesDilation ? dilation : new Array<number>(rank).fill(1),
    padding: readPadding(cfg),
    channelsFirst: readChannelsFirst(cfg),
    ...optional(symbolicStrides(cfg, strides)),
  };
}

const optional = (symStrides: (sym.SymDim | undefined)[] | undefined) => (symStrides ? { symStrides } : {});

/** Unknown strides that a symbolic config field provides. */
function symbolicStrides(cfg: LayerConfig, strides: (number | undefined)[]): (sym.SymDim | undefined)[] | undefined {
  if (!strides.some((s) => s === undefined)) return undefined;
  const t = symTuple(cfg, 'strides', strides.length);
  return t && strides.map((s, i) => s ?? t[i]);
}

/**
 * A 1D pool takes a number or a one-element array. 2D/3D take a number or an array; tfjs checks the length
 * of `strides` but not of `poolSize`, whose missing entries then poison the arithmetic: we carry them as NaN
 * so that the shapes they break come out broken, exactly where tfjs's do.
 */
function readPoolTuple(v: ConfigValue, rank: number, name: 'poolSize' | 'strides'): (number | undefined)[] {
  if (rank === 1 && Array.isArray(v) && v.length === 1 && (typeof v[0] === 'number' || v[0] === UNKNOWN)) {
    return readTuple(v, 1, name);
  }
  if (rank === 1 && typeof v !== 'number' && v !== UNKNOWN) {
    fail(`${name} for 1D convolutional layer must be a number or an Array of a single number, but received ${show(v)}`);
  }
  if (Array.isArray(v) && name === 'poolSize') {
    return Array.from({ length: rank }, (_, i) => (i < v.length ? readTuple([v[i]], 1, name)[0] : NaN));
  }
  if (Array.isArray(v) && v.length !== rank) {
    fail(`If the ${name} property of a ${rank}D pooling layer is an Array, it is expected to have a length of ${rank}, but received length ${v.length}.`);
  }
  return readTuple(v, rank, name);
}

/** Pooling constructors: poolSize defaults to 2 per axis, strides default to poolSize. */
export function readPoolWindow(className: string, cfg: LayerConfig): Window {
  const rank = POOL_RANK[className];
  const poolSize = readPoolTuple(isAbsent(cfg.poolSize) ? 2 : cfg.poolSize, rank, 'poolSize');
  const strides = isAbsent(cfg.strides) ? poolSize : readPoolTuple(cfg.strides, rank, 'strides');
  for (const [name, values] of [['poolSize', poolSize], ['strides', strides]] as const) {
    if (values.some((v) => v !== undefined && !Number.isNaN(v) && !isPositiveInt(v))) {
      fail(`Expected ${name} to be positive integers, but got ${show(values)}.`);
    }
  }
  return {
    rank,
    kernel: poolSize,
    strides,
    dilation: new Array<number>(rank).fill(1),
    padding: readPadding(cfg),
    // Pooling1D has no dataFormat: it is always channels-last.
    channelsFirst: rank === 1 ? false : readChannelsFirst(cfg),
    ...optional(isAbsent(cfg.strides) ? undefined : symbolicStrides(cfg, strides)),
  };
}

export function isConvClass(className: string): boolean {
  return className in CONV_RANK;
}

export function isPoolClass(className: string): boolean {
  return className in POOL_RANK;
}

export type WindowInfo = Omit<Window, 'rank'>;

/** The normalised window of a conv or pooling config, for rules; undefined for other layers or bad configs. */
export function windowInfo(className: string, cfg: LayerConfig): WindowInfo | undefined {
  try {
    const w = isConvClass(className) ? readConvWindow(className, cfg) : isPoolClass(className) ? readPoolWindow(className, cfg) : undefined;
    if (!w) return undefined;
    const { rank: _rank, ...info } = w;
    return info;
  } catch (e) {
    if (e instanceof LayerError) return undefined;
    throw e;
  }
}
