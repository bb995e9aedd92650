// Pooling layers against real tfjs.
import { assertTable, cases, combos } from './harness';

describe('layers: pooling matches tfjs', () => {
  it('maxPooling2d / averagePooling2d and aliases', () => {
    const configs = combos({}, {
      poolSize: [undefined, 3, [2, 3], [3]],
      strides: [undefined, 1, [3, 2], [2]],
      padding: [undefined, 'same', 'causal'],
      dataFormat: [undefined, 'channelsFirst'],
    });
    const inputs = [[[null, 7, 9, 3]], [[2, 5, 2, 4]], [[null, null, 4, 3]], [[null, 1, 1, 8]], [[null, 8, 3]]];
    for (const factory of ['maxPooling2d', 'maxPool2d', 'averagePooling2d', 'avgPool2d']) {
      assertTable(cases(factory, configs, inputs));
    }
  });

  it('maxPooling1d / averagePooling1d and aliases', () => {
    const configs = combos({}, {
      poolSize: [undefined, 3, [4], [2, 2], 0],
      strides: [undefined, 1, [3]],
      padding: [undefined, 'same', 'causal'],
    });
    const inputs = [[[null, 7, 3]], [[3, 2, 4]], [[null, null, 5]], [[null, 7, 7, 3]]];
    for (const factory of ['maxPooling1d', 'maxPool1d', 'averagePooling1d', 'avgPooling1d']) {
      assertTable(cases(factory, configs, inputs));
    }
  });

  it('maxPooling3d / averagePooling3d', () => {
    const configs = combos({}, {
      poolSize: [undefined, 3, [1, 2, 3]],
      strides: [undefined, [1, 2, 1]],
      padding: [undefined, 'same'],
      dataFormat: [undefined, 'channelsFirst'],
    });
    const inputs = [[[null, 5, 6, 7, 2]], [[null, 2, 3, 3, 1]], [[null, 4, 4, 2]]];
    for (const factory of ['maxPooling3d', 'averagePooling3d', 'avgPool3d']) assertTable(cases(factory, configs, inputs));
  });

  it('global pooling', () => {
    const c2d = combos({}, { dataFormat: [undefined, 'channelsFirst'] });
    const in2d = [[[null, 7, 9, 3]], [[4, 1, 2, 5]], [[null, null, null, 3]], [[null, 6, 3]]];
    for (const f of ['globalAveragePooling2d', 'globalMaxPooling2d', 'globalMaxPool2d']) assertTable(cases(f, c2d, in2d));
    const in1d = [[[null, 7, 3]], [[2, null, 5]], [[null, 4, 4, 3]], [[null, 3]]];
    for (const f of ['globalAveragePooling1d', 'globalMaxPooling1d', 'globalMaxPool1d']) assertTable(cases(f, [{}], in1d));
  });
});
