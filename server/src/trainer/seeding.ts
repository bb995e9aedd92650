// Makes a run repeatable from its seed. tfjs's initializers (and its JS dropout masks) draw their seeds
// from Math.random when the layer config gives none (tfjs-core rand_util.ts), so the trainer swaps in a
// seeded generator for the run: the same seed builds the same initial weights in every process, which the
// ablation relies on (the residual model and its plain twin start from the same weights even when they
// train in two processes).
import { seededRandom } from './random';

/** Installs the seeded Math.random; the returned function puts the original back. */
export function seedInitializers(seed: number): () => void {
  const original = Math.random;
  Math.random = seededRandom(seed ^ 0x5eed1);
  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    Math.random = original;
  };
}
