// Decides whether a dataset's samples can be fed to a model, before any time is spent training.
import type * as tfType from '@tensorflow/tfjs';
import { sampleSize } from './datasets/dataset';

export class ShapeMismatchError extends Error {
  constructor(readonly code: 'input-shape-mismatch', message: string, readonly detail?: string) { super(message); }
}

export type ModelShape = (number | null)[];

/** The model's single input shape without the batch axis. */
export function modelSampleShape(model: tfType.LayersModel): ModelShape {
  if (model.inputs.length !== 1) {
    throw new ShapeMismatchError('input-shape-mismatch', `The model has ${model.inputs.length} inputs; training supports models with one image/vector input.`);
  }
  return model.inputs[0].shape.slice(1);
}

/** Output units of the single output (the number of classes the model predicts). */
export function modelClasses(model: tfType.LayersModel): number {
  const shape = model.outputs[0].shape;
  const units = shape[shape.length - 1];
  if (model.outputs.length !== 1 || shape.length !== 2 || units === null) {
    throw new ShapeMismatchError('input-shape-mismatch',
      `The model output is ${fmt(shape)}${model.outputs.length > 1 ? ` (and ${model.outputs.length - 1} more outputs)` : ''}; classification training needs one [null, classes] output.`);
  }
  return units;
}

/**
 * The shape a batch of samples is reshaped to, or an error naming both shapes. Accepted: equal shapes
 * (null axes match anything), shapes that differ only by size-1 axes ([28,28] data into a [28,28,1]
 * model), and a flat vector input of the sample's total size ([784] for MNIST, the classic MLP).
 */
export function feedShape(model: ModelShape, sample: number[], datasetName: string): number[] {
  const sizeOk = (a: number | null, b: number) => a === null || a === b;
  if (model.length === sample.length && model.every((d, i) => sizeOk(d, sample[i]))) return [...sample];
  const squeeze = <T>(s: T[]) => s.filter((d) => d !== 1);
  const m = squeeze(model);
  const s = squeeze(sample);
  if (m.length === s.length && m.every((d, i) => sizeOk(d, s[i]))) {
    return model.map((d) => (d === 1 ? 1 : s.shift()!));
  }
  if (model.length === 1 && sizeOk(model[0], sampleSize(sample))) return [sampleSize(sample)];
  throw new ShapeMismatchError('input-shape-mismatch',
    `The model expects inputs of shape ${fmt(model)} but ${datasetName} samples are ${fmt(sample)}.`,
    model.length !== sample.length
      ? `Rank differs (${model.length} vs ${sample.length}). Change the model's input shape to ${fmt(sample)}${sample.length === 2 ? ` or [${sample.join(', ')}, 1]` : ''}.`
      : `Change the model's input shape to ${fmt(sample)}, or choose a dataset of that shape.`);
}

/** Synthetic data takes the model's own shape; free (null) axes get a small default. */
export function concreteShape(model: ModelShape): number[] {
  return model.map((d) => d ?? 32);
}

export function fmt(shape: readonly (number | null)[]): string {
  return `[${shape.map((d) => (d === null ? 'null' : d)).join(', ')}]`;
}
