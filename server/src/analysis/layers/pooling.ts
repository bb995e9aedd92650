// Pooling layers (tfjs pooling.ts): windowed 1D/2D/3D max/average pooling and global pooling.
import { readChannelsFirst } from './config';
import type { Shape } from '../types';
import { agreeing, defineSingle, type LayerSpec } from './spec';
import { convOutputLength, readPoolWindow } from './window';

function poolSpec(className: string, rank: number, factories: string[]): LayerSpec {
  return defineSingle({
    className,
    factories,
    kind: 'pool',
    rank: { ndim: rank + 2 },
    validate: (cfg) => void readPoolWindow(className, cfg),
    shape(cfg, input) {
      const w = readPoolWindow(className, cfg);
      const pooled = (channelsFirst: boolean) => (): Shape => {
        const first = channelsFirst ? 2 : 1;
        const out = input.slice();
        for (let i = 0; i < rank; i++) {
          out[first + i] = convOutputLength(input[first + i], w.kernel[i], w.padding, w.strides[i] ?? w.symStrides?.[i], 1);
        }
        return out;
      };
      if (w.channelsFirst === undefined) return { shape: agreeing([pooled(false), pooled(true)]) };
      return pooled(w.channelsFirst)();
    },
  });
}

/** Global pooling keeps batch and channels. GlobalPooling1D has no dataFormat. */
function globalPoolSpec(className: string, rank: number, factories: string[]): LayerSpec {
  return defineSingle({
    className,
    factories,
    kind: 'globalPool',
    rank: { ndim: rank + 2 },
    validate: (cfg) => void (rank > 1 && readChannelsFirst(cfg)),
    shape(cfg, input) {
      const pooled = (channelsFirst: boolean) => (): Shape => [input[0], channelsFirst ? input[1] : input[input.length - 1]];
      const channelsFirst = rank === 1 ? false : readChannelsFirst(cfg);
      if (channelsFirst === undefined) return { shape: agreeing([pooled(false), pooled(true)]) };
      return pooled(channelsFirst)();
    },
  });
}

export const poolingLayers: LayerSpec[] = [
  poolSpec('MaxPooling1D', 1, ['maxPooling1d', 'maxPool1d']),
  poolSpec('MaxPooling2D', 2, ['maxPooling2d', 'maxPool2d']),
  poolSpec('MaxPooling3D', 3, ['maxPooling3d']),
  poolSpec('AveragePooling1D', 1, ['averagePooling1d', 'avgPool1d', 'avgPooling1d']),
  poolSpec('AveragePooling2D', 2, ['averagePooling2d', 'avgPool2d', 'avgPooling2d']),
  poolSpec('AveragePooling3D', 3, ['averagePooling3d', 'avgPool3d', 'avgPooling3d']),
  globalPoolSpec('GlobalAveragePooling1D', 1, ['globalAveragePooling1d']),
  globalPoolSpec('GlobalMaxPooling1D', 1, ['globalMaxPooling1d', 'globalMaxPool1d']),
  globalPoolSpec('GlobalAveragePooling2D', 2, ['globalAveragePooling2d']),
  globalPoolSpec('GlobalMaxPooling2D', 2, ['globalMaxPooling2d', 'globalMaxPool2d']),
];
