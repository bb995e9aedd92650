// A dataset for any input shape, so a model can be trained before real data is wired up. Each class is
// a smooth wave over the sample's coordinates with its own seeded frequencies and phase, plus noise:
// learnable by dense nets (different values per position) and by conv nets with global pooling
// (different local frequencies), yet not trivially separable from a single pixel.
import { seededRandom } from '../random';
import { Dataset, sampleSize } from './dataset';

export interface SyntheticOptions { shape: number[]; classes: number; samples: number; seed: number; noise?: number }

export function makeSynthetic({ shape, classes, samples, seed, noise = 0.35 }: SyntheticOptions): Dataset {
  if (classes < 2 || classes > 255) throw new Error(`Synthetic data needs 2..255 classes, not ${classes}.`);
  const rand = seededRandom(seed);
  const size = sampleSize(shape);
  const prototypes = Array.from({ length: classes }, () => {
    const freqs = shape.map(() => 0.3 + 1.7 * rand());
    const phase = 2 * Math.PI * rand();
    const proto = new Float32Array(size);
    const coord = new Array<number>(shape.length).fill(0);
    for (let i = 0; i < size; i++) {
      let arg = phase;
      for (let d = 0; d < shape.length; d++) arg += freqs[d] * coord[d];
      proto[i] = 0.5 + 0.5 * Math.sin(arg);
      for (let d = shape.length - 1; d >= 0 && ++coord[d] === shape[d]; d--) coord[d] = 0;
    }
    return proto;
  });
  const pixels = new Float32Array(samples * size);
  const labels = new Uint8Array(samples);
  for (let s = 0; s < samples; s++) {
    const label = Math.floor(rand() * classes);
    labels[s] = label;
    const proto = prototypes[label];
    for (let i = 0; i < size; i++) pixels[s * size + i] = (1 - noise) * proto[i] + noise * rand();
  }
  return { name: 'synthetic', sampleShape: [...shape], classes, count: samples, pixels, labels, scale: 1 };
}
