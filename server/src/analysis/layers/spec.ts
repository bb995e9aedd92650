// The shape of a catalogue entry, and the checks tfjs's Layer.apply() performs around every layer.
import type { Shape } from '../types';
import { LayerError, type LayerConfig } from './config';
import { fmt, isInvalidDim } from './dims';

export type LayerKind =
  | 'input'
  | 'conv'
  | 'pool'
  | 'globalPool'
  | 'norm'
  | 'activation'
  | 'dense'
  | 'reshape'
  | 'merge'
  | 'regularization'
  | 'padding'
  | 'other';

/** `shape` undefined = unknown. An error may come with the (broken) shape tfjs itself would report. */
export type ShapeResult = { shape: Shape | undefined; error?: string };

export interface LayerSpec {
  className: string;
  /** Every tf.layers.<name> (or tf.<name>) that creates it, aliases included. */
  factories: string[];
  kind: LayerKind;
  computeOutputShape(cfg: LayerConfig, inputs: Shape[]): ShapeResult;
  /** The rank tfjs's InputSpec demands of the (single) input; apply() throws on any other. */
  rank?: RankSpec;
  /** tfjs countParams() after build; null when unknown or when tfjs could not build the layer. */
  countParams(cfg: LayerConfig, inputs: Shape[]): number | null;
}

/** tfjs InputSpec: checked by Layer.apply() before and after build. */
export interface RankSpec {
  ndim?: number;
  minNDim?: number;
}

/** How one single-input layer computes its shape and weights; may throw LayerError like tfjs would. */
export interface SingleInputDef {
  className: string;
  factories: string[];
  kind: LayerKind;
  rank?: RankSpec;
  /** Everything the constructor validates; runs before any shape is looked at. */
  validate?(cfg: LayerConfig): void;
  shape(cfg: LayerConfig, input: Shape): Shape | ShapeResult;
  params?(cfg: LayerConfig, input: Shape): number | null;
}

export function errorMessage(e: unknown): string {
  if (e instanceof LayerError) return e.message;
  throw e;
}

export function checkRank(className: string, rank: RankSpec | undefined, input: Shape): void {
  if (rank?.ndim !== undefined && input.length !== rank.ndim) {
    throw new LayerError(`Input 0 is incompatible with layer ${className}: expected ndim=${rank.ndim}, found ndim=${input.length} (shape ${fmt(input)})`);
  }
  if (rank?.minNDim !== undefined && input.length < rank.minNDim) {
    throw new LayerError(`Input 0 is incompatible with layer ${className}: expected min_ndim=${rank.minNDim}, found ndim=${input.length} (shape ${fmt(input)})`);
  }
}

/**
 * tfjs happily reports a 0, negative or infinite size when a window does not fit, and the tensor then breaks
 * at run time. We report those as errors, keeping tfjs's shape so hosts can still show it.
 */
export function flagInvalidDims(className: string, input: Shape, result: ShapeResult): ShapeResult {
  if (result.error || !result.shape || input.some(isInvalidDim)) return result;
  if (!result.shape.some(isInvalidDim)) return result;
  return { shape: result.shape, error: `${className} turns input ${fmt(input)} into ${fmt(result.shape)}: an output size is not a positive integer` };
}

function oneInput(className: string, inputs: Shape[]): Shape {
  if (inputs.length !== 1) throw new LayerError(`Layer ${className} expects 1 input, but it received ${inputs.length} input tensors.`);
  return inputs[0];
}

export function defineSingle(def: SingleInputDef): LayerSpec {
  return {
    className: def.className,
    factories: def.factories,
    kind: def.kind,
    rank: def.rank,
    computeOutputShape(cfg, inputs) {
      try {
        def.validate?.(cfg);
        const input = oneInput(def.className, inputs);
        checkRank(def.className, def.rank, input);
        const out = def.shape(cfg, input);
        const result: ShapeResult = Array.isArray(out) ? { shape: out } : out;
        return flagInvalidDims(def.className, input, result);
      } catch (e) {
        return { shape: undefined, error: errorMessage(e) };
      }
    },
    countParams(cfg, inputs) {
      if (!def.params) return 0;
      try {
        def.validate?.(cfg);
        const input = oneInput(def.className, inputs);
        checkRank(def.className, def.rank, input);
        return def.params(cfg, input);
      } catch (e) {
        errorMessage(e);
        return null;
      }
    },
  };
}

/** Layers whose output shape is their input shape (tfjs's default computeOutputShape). */
export function identity(className: string, factories: string[], kind: LayerKind, extra: Partial<SingleInputDef> = {}): LayerSpec {
  return defineSingle({ className, factories, kind, shape: (_cfg, input) => input.slice(), ...extra });
}

/**
 * The shape when one config value is unknown but has few possible values (dataFormat, a concat axis): a dim
 * is known when every alternative tfjs would accept agrees on it. undefined when none would be accepted.
 */
export function agreeing(alternatives: (() => Shape | undefined)[]): Shape | undefined {
  const shapes: Shape[] = [];
  for (const alt of alternatives) {
    try {
      const s = alt();
      if (s) shapes.push(s);
    } catch (e) {
      errorMessage(e);
    }
  }
  const rank = shapes[0]?.length;
  if (rank === undefined || shapes.some((s) => s.length !== rank)) return undefined;
  return shapes[0].map((d, i) => (shapes.every((s) => s[i] === d) ? d : undefined));
}
