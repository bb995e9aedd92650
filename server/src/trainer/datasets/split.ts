// Seeded shuffle, train/validation split and the maxSamples cap, all as index lists into one Dataset
// so no sample data is copied.
import { seededPermutation } from '../random';
import { Dataset } from './dataset';

export interface Split { train: Uint32Array; validation: Uint32Array }

export function splitDataset(ds: Dataset, validationSplit: number, seed: number, maxSamples?: number): Split {
  if (!(validationSplit >= 0 && validationSplit < 1)) throw new Error(`validationSplit must be in [0, 1), not ${validationSplit}.`);
  const order = seededPermutation(ds.count, seed);
  let nVal = Math.round(ds.count * validationSplit);
  let nTrain = ds.count - nVal;
  if (maxSamples !== undefined && maxSamples < nTrain) {
    // Keep the validation share relative to the capped training set, or a 512-sample MNIST run would
    // spend most of its time evaluating 6000 validation images.
    nVal = Math.min(nVal, Math.max(validationSplit > 0 ? 1 : 0, Math.round(maxSamples * validationSplit / (1 - validationSplit))));
    nTrain = maxSamples;
  }
  return { validation: order.slice(0, nVal), train: order.slice(nVal, nVal + nTrain) };
}
