// Convolution layers: Conv1D, Conv2D, SeparableConv2D, DepthwiseConv2D, Conv2DTranspose (tfjs
// convolutional.ts and convolutional_depthwise.ts).
import type { Dim, Shape } from '../types';
import { fail, readBool, readPositiveInt, show, type LayerConfig } from './config';
import { fmt, mapDim, sum, weightSize } from './dims';
import { validateActivation } from './activations';
import { agreeing, defineSingle, type LayerSpec, type ShapeResult } from './spec';
import * as sym from '../symbolic/expr';
import { isNone } from '../symbolic/dynamic';
import { symField } from '../symbolic/config';
import { convOutputLength, deconvLength, readConvWindow, type Window } from './window';

type ConvClass = 'Conv1D' | 'Conv2D' | 'SeparableConv2D' | 'DepthwiseConv2D' | 'Conv2DTranspose';

function channelAxis(w: Window, input: Shape): number | undefined {
  if (w.channelsFirst === undefined) return undefined;
  return w.channelsFirst ? 1 : input.length - 1;
}

function checkConvRank(className: string, w: Window, input: Shape): void {
  if (input.length !== w.rank + 2) {
    fail(`Input 0 is incompatible with layer ${className}: expected ndim=${w.rank + 2}, found ndim=${input.length} (shape ${fmt(input)})`);
  }
}

/** Every conv build() needs rank + 2 dims and a defined channel dim to size its kernel. */
function inputChannels(className: string, w: Window, input: Shape): Dim {
  checkConvRank(className, w, input);
  const axis = channelAxis(w, input);
  if (axis === undefined) return undefined;
  const c = input[axis];
  if (isNone(c)) fail(`${className}: the channel dimension of the input should be defined. Found null in ${fmt(input)}`);
  return c;
}

/** Layer output = batch, the transformed spatial dims and the new channel count, in dataFormat order. */
function assemble(w: Window, input: Shape, space: (length: Dim, axis: number) => Dim, channels: Dim): Shape {
  const first = w.channelsFirst ? 2 : 1;
  const newSpace = input.slice(first, first + w.rank).map((d, i) => space(d, i));
  return w.channelsFirst ? [input[0], channels, ...newSpace] : [input[0], ...newSpace, channels];
}

function readFilters(cfg: LayerConfig, className: string): number | undefined {
  if (cfg.filters === undefined || cfg.filters === null) {
    fail(`${className}: Convolution layer expected config.filters to be a 'number' > 0 but got ${show(cfg.filters)}`);
  }
  return readPositiveInt(cfg, 'filters');
}

/** The filters as an output dim: a number, a symbolic parameter (`filters`, `2·width`) or unknown. */
function filtersDim(cfg: LayerConfig, className: string): Dim {
  return readFilters(cfg, className) ?? symField(cfg, 'filters');
}

function validateConv(className: ConvClass, cfg: LayerConfig): Window {
  const w = readConvWindow(className, cfg);
  validateActivation(cfg);
  if (className !== 'DepthwiseConv2D') readFilters(cfg, className);
  if ((className === 'SeparableConv2D' || className === 'Conv2DTranspose') && w.padding === 'causal') {
    fail(`${className} supports only padding modes 'same' and 'valid', but received 'causal'`);
  }
  if (className === 'SeparableConv2D' && (cfg.kernelInitializer != null || cfg.kernelRegularizer != null || cfg.kernelConstraint != null)) {
    fail('Fields kernelInitializer, kernelRegularizer and kernelConstraint are invalid for SeparableConv2D.');
  }
  return w;
}

/** Failures tfjs only hits when the layer first runs on a tensor; the symbolic shape is still what it reports. */
function runtimeProblem(className: ConvClass, w: Window): string | undefined {
  if (w.padding === 'causal' && (className === 'Conv1D' || className === 'Conv2D')) {
    return `${className}: tfjs 4.22 does not implement padding 'causal' for convolutions (it fails when the model runs)`;
  }
  const strided = w.strides.some((s) => s !== undefined && s > 1);
  const dilated = w.dilation.some((d) => d !== undefined && d > 1);
  if (strided && dilated) {
    return `${className}: tfjs cannot combine strides ${show(w.strides)} with dilationRate ${show(w.dilation)}; one of them must be 1`;
  }
  return undefined;
}

/**
 * Two tfjs 4.22 bugs with dataFormat 'channelsFirst': Conv1D never transposes its output back to NCW, and
 * SeparableConv2D adds its NCHW-shaped bias while the output is still NHWC. Either throws or yields a tensor
 * of another shape than announced, except when a spatial size happens to equal `filters`.
 */
function channelsFirstProblem(className: ConvClass, cfg: LayerConfig, w: Window, shape: Shape): string | undefined {
  if (w.channelsFirst !== true || (className !== 'Conv1D' && className !== 'SeparableConv2D')) return undefined;
  const filters = readFilters(cfg, className);
  const size = shape[2];
  if (filters === undefined || size === undefined || size === filters) return undefined;
  if (className === 'Conv1D') {
    return `Conv1D: tfjs 4.22 returns channels-last output for dataFormat 'channelsFirst', not the announced ${fmt(shape)}; use channelsLast`;
  }
  if (className === 'SeparableConv2D' && filters !== 1 && readBool(cfg, 'useBias', true) === true) {
    return `SeparableConv2D: tfjs 4.22 adds the bias in the wrong layout with dataFormat 'channelsFirst' (output ${fmt(shape)}); use useBias: false or channelsLast`;
  }
  return undefined;
}

function depthMultiplier(cfg: LayerConfig): number | undefined {
  return readPositiveInt(cfg, 'depthMultiplier', 1);
}

/** Each input channel gets `depthMultiplier` output channels. */
function depthwiseChannels(cfg: LayerConfig, channelsIn: Dim): Dim {
  const m = depthMultiplier(cfg);
  return m === undefined ? undefined : mapDim(channelsIn, (c) => c * m, (c) => sym.mul(c, m));
}

function convShape(className: ConvClass, cfg: LayerConfig, input: Shape): ShapeResult {
  const configured = validateConv(className, cfg);
  checkConvRank(className, configured, input);
  if (configured.channelsFirst === undefined) {
    const layout = (channelsFirst: boolean) => () => layoutShape(className, cfg, input, { ...configured, channelsFirst }).shape;
    return { shape: agreeing([layout(false), layout(true)]) };
  }
  return layoutShape(className, cfg, input, configured);
}

function layoutShape(className: ConvClass, cfg: LayerConfig, input: Shape, w: Window): ShapeResult {
  const channelsIn = inputChannels(className, w, input);
  let shape: Shape;
  if (className === 'Conv2DTranspose') {
    shape = assemble(w, input, (l, i) => deconvLength(l, w.strides[i], w.kernel[i], w.padding), filtersDim(cfg, className));
  } else {
    const channels = className === 'DepthwiseConv2D' ? depthwiseChannels(cfg, channelsIn) : filtersDim(cfg, className);
    shape = assemble(w, input, (l, i) => convOutputLength(l, w.kernel[i], w.padding, w.strides[i] ?? w.symStrides?.[i], w.dilation[i]), channels);
  }
  const problem = runtimeProblem(className, w) ?? channelsFirstProblem(className, cfg, w, shape);
  return problem ? { shape, error: problem } : { shape };
}

function convParams(className: ConvClass, cfg: LayerConfig, input: Shape): number | null {
  const w = validateConv(className, cfg);
  const channelsIn = inputChannels(className, w, input);
  const useBias = readBool(cfg, 'useBias', true);
  if (useBias === undefined) return null;
  const kernelArea = weightSize(...w.kernel);
  if (className === 'DepthwiseConv2D') {
    const depthwise = weightSize(kernelArea, channelsIn, depthMultiplier(cfg));
    return sum(depthwise, useBias ? weightSize(channelsIn, depthMultiplier(cfg)) : 0);
  }
  const filters = readFilters(cfg, className);
  const bias = useBias ? weightSize(filters) : 0;
  if (className === 'SeparableConv2D') {
    const m = depthMultiplier(cfg);
    return sum(weightSize(kernelArea, channelsIn, m), weightSize(channelsIn, m, filters), bias);
  }
  return sum(weightSize(kernelArea, channelsIn, filters), bias);
}

function convSpec(className: ConvClass, factory: string): LayerSpec {
  const spec = defineSingle({
    className,
    factories: [factory],
    kind: 'conv',
    shape: (cfg, input) => convShape(className, cfg, input),
    params: (cfg, input) => convParams(className, cfg, input),
  });
  // The InputSpec tfjs checks in apply() (the catalogue checks it in convShape, after the config).
  return { ...spec, rank: { ndim: className === 'Conv1D' ? 3 : 4 } };
}

export const convLayers: LayerSpec[] = [
  convSpec('Conv1D', 'conv1d'),
  convSpec('Conv2D', 'conv2d'),
  convSpec('SeparableConv2D', 'separableConv2d'),
  convSpec('DepthwiseConv2D', 'depthwiseConv2d'),
  convSpec('Conv2DTranspose', 'conv2dTranspose'),
];
