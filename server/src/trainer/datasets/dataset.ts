// The in-memory form every dataset reader produces. Pixels stay in their stored type (uint8 for image files)
// and are scaled per batch, so full MNIST costs 47 MB instead of a 188 MB float copy.

export interface Dataset {
  name: string;
  /** Shape of one sample, without the batch dimension (e.g. [28, 28] for MNIST, [32, 32, 3] for CIFAR-10). */
  sampleShape: number[];
  classes: number;
  count: number;
  /** count * product(sampleShape) values, one sample after the other. */
  pixels: Uint8Array | Float32Array;
  /** One class index per sample. */
  labels: Uint8Array;
  /** Factor turning stored values into model inputs (1/255 for bytes). */
  scale: number;
}

/** Thrown by readers when the files are not there; the trainer turns it into a `dataset-missing` error. */
export class DatasetMissingError extends Error {
  constructor(message: string, readonly advice: string) { super(message); }
}

/** Thrown when files exist but do not hold what the format promises. */
export class DatasetFormatError extends Error {}

export function sampleSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function countClasses(labels: Uint8Array): number {
  let max = 0;
  for (const l of labels) if (l > max) max = l;
  return max + 1;
}
