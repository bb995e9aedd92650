// The layer catalogue of the analysis core: for each tfjs-layers 4.22 layer, its output shape and its
// countParams(), computed from a plain config the way tfjs computes them, without tfjs.
import { activationLayers } from './activations';
import { convLayers } from './conv';
import { coreLayers } from './core';
import { embeddingSpec } from './embedding';
import { inputSpec } from './input';
import { mergeLayers } from './merge';
import { normalizationLayers } from './normalization';
import { poolingLayers } from './pooling';
import { spatialLayers } from './spatial';
import type { LayerSpec } from './spec';

export type { Dim, Shape } from '../types';
export { UNKNOWN, show, type ConfigValue, type LayerConfig } from './config';
export type { LayerKind, LayerSpec, ShapeResult } from './spec';
export { activationOf, isNonlinear, ACTIVATIONS } from './activations';
export { inputLayerShape, type InputVia } from './input';
export { mergeCheck, type MergeCheck } from './merge';
export { convOutputLength, windowInfo, type WindowInfo } from './window';
export { CONFIG_REQUIRED, TFJS_LAYER_FACTORIES, factoryInOtherCase } from './factories';

const ALL: LayerSpec[] = [
  inputSpec,
  ...convLayers,
  ...poolingLayers,
  ...normalizationLayers,
  ...activationLayers,
  ...coreLayers,
  ...spatialLayers,
  ...mergeLayers,
  embeddingSpec,
];

const byFactory = new Map<string, LayerSpec>();
const byClass = new Map<string, LayerSpec>();
for (const spec of ALL) {
  byClass.set(spec.className, spec);
  for (const f of spec.factories) byFactory.set(f, spec);
}

/** The spec for `tf.layers.<name>` (or `tf.input`); undefined for layers the catalogue does not know. */
export function specForFactory(name: string): LayerSpec | undefined {
  return byFactory.get(name);
}

export function specForClass(className: string): LayerSpec | undefined {
  return byClass.get(className);
}

/** Every catalogued layer, for hosts that list them (completion, docs). */
export function allSpecs(): readonly LayerSpec[] {
  return ALL;
}

