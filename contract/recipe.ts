// He et al.'s training recipe as config fields: used by `skipcheck train --recipe paper`/`--ablate` and by the
// extension host, which builds an ablation's configs itself and must not bundle the trainer for that.
import type { TrainConfig } from './protocol';

/**
 * He et al. 2015's CIFAR recipe (section 4.2) scaled to `epochs`: SGD with momentum 0.9, learning rate 0.1,
 * weight decay 1e-4, divided by 10 half-way and at three quarters. With Adam 1e-3 over a few epochs the
 * residual and plain response figures are hard to tell apart; with this recipe the paper's pattern shows.
 */
export function paperRecipe(epochs: number): Pick<TrainConfig, 'optimizer' | 'learningRate' | 'weightDecay' | 'lrDropEpochs'> {
  const drops = [0.5, 0.75].map((f) => Math.ceil(epochs * f) + 1).filter((e, i, all) => e <= epochs && all.indexOf(e) === i);
  return { optimizer: 'momentum', learningRate: 0.1, weightDecay: 1e-4, lrDropEpochs: drops };
}
