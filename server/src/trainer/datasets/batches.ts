// Turns index ranges into input/label tensors: values are scaled while gathered, one batch at a time.
import type * as tfType from '@tensorflow/tfjs';
import { Dataset, sampleSize } from './dataset';

export type Tf = typeof tfType;

export interface Batch { x: tfType.Tensor; y: tfType.Tensor }

/** `inputShape` is the model's sample shape (the dataset's, possibly with size-1 axes added or flattened). */
export function makeBatch(tf: Tf, ds: Dataset, indices: Uint32Array, inputShape: number[]): Batch {
  const size = sampleSize(ds.sampleShape);
  const values = new Float32Array(indices.length * size);
  const labels = new Int32Array(indices.length);
  for (let b = 0; b < indices.length; b++) {
    const src = indices[b] * size;
    const dst = b * size;
    for (let i = 0; i < size; i++) values[dst + i] = ds.pixels[src + i] * ds.scale;
    labels[b] = ds.labels[indices[b]];
  }
  return tf.tidy(() => ({
    x: tf.tensor(values, [indices.length, ...inputShape]),
    y: tf.oneHot(tf.tensor1d(labels, 'int32'), ds.classes).toFloat(),
  }));
}
