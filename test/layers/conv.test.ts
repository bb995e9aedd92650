// Convolution layers against real tfjs: shapes, countParams() and where tfjs fails.
import { assertTable, cases, combos } from './harness';

// Every kernel below fits in 12 pixels, so a None dim run as 12 only shows failures caused by the config.
const run = { noneAs: 12 };
const images = [[[null, 7, 9, 3]], [[null, 5, 5, 2]], [[2, 11, 6, 1]], [[null, null, 6, 3]], [[null, 8, 3]], [[null, 6, 6, null]]];

describe('layers: convolutions match tfjs', () => {
  it('conv2d', () => {
    const configs = combos({ filters: 4 }, {
      kernelSize: [1, 3, [2, 3], [3]],
      strides: [undefined, 2, [1, 3]],
      dilationRate: [undefined, 2],
      padding: [undefined, 'same', 'causal'],
      dataFormat: [undefined, 'channelsFirst'],
      useBias: [undefined, false],
    });
    assertTable(cases('conv2d', configs, images), run);
  });

  it('conv2d config errors', () => {
    const bad = [
      { filters: 0, kernelSize: 3 }, { filters: 2.5, kernelSize: 3 }, { kernelSize: 3 }, { filters: 2 },
      { filters: 2, kernelSize: [3, 3, 3] }, { filters: 2, kernelSize: 3, padding: 'full' },
      { filters: 2, kernelSize: 3, dataFormat: 'NHWC' }, { filters: 2, kernelSize: 3, activation: 'relu' },
      { filters: 2, kernelSize: 3, activation: 'leaky' }, { filters: 2, kernelSize: [3, 2.5] },
    ];
    assertTable(cases('conv2d', bad, [[[null, 8, 8, 3]]]));
  });

  it('conv1d', () => {
    const configs = combos({ filters: 3 }, {
      kernelSize: [1, 3, [4], [2, 2]],
      strides: [undefined, 2, 3],
      dilationRate: [undefined, 2, [3]],
      padding: [undefined, 'same', 'causal'],
      dataFormat: [undefined, 'channelsFirst'],
    });
    assertTable(cases('conv1d', configs, [[[null, 10, 3]], [[4, 7, 2]], [[null, null, 2]], [[null, 8, 8, 3]]]), run);
  });

  // Options every 2D convolution takes; each layer below adds its own.
  const shared = {
    strides: [undefined, 2, [3, 1]],
    dilationRate: [undefined, 2],
    padding: [undefined, 'same', 'causal'],
    dataFormat: [undefined, 'channelsFirst'],
    useBias: [undefined, false],
  };

  it('depthwiseConv2d', () => {
    const configs = combos({}, { ...shared, kernelSize: [3, [1, 4]], depthMultiplier: [undefined, 3] });
    assertTable(cases('depthwiseConv2d', configs, images), run);
  });

  it('separableConv2d', () => {
    const configs = combos({ filters: 5 }, { ...shared, kernelSize: [3, [2, 1]], depthMultiplier: [undefined, 2] });
    assertTable(cases('separableConv2d', configs, images), run);
  });

  it('conv2dTranspose', () => {
    const configs = combos({ filters: 2 }, { ...shared, kernelSize: [1, 3, [4, 2]] });
    assertTable(cases('conv2dTranspose', configs, images), run);
  });
});
