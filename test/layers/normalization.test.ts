// BatchNormalization, LayerNormalization and the activation layers against real tfjs.
import { assertTable, cases, combos } from './harness';

const shapes = [[[null, 7, 9, 3]], [[null, 5]], [[2, 4, 6]], [[null, 6, null]], [[null, null, 4, 2]], [[null, 3, 4, 5, 2]]];

describe('layers: normalization and activations match tfjs', () => {
  it('batchNormalization (axis, center, scale)', () => {
    const configs = combos({}, { axis: [undefined, 1, -2, 3, 5, -1], center: [undefined, false], scale: [undefined, false] });
    assertTable(cases('batchNormalization', configs, shapes));
  });

  it('layerNormalization (axis lists, center, scale)', () => {
    const configs = combos({}, { axis: [undefined, 1, [1, -1], [2, 2], 4, [-3, 2], 1.5], center: [undefined, false], scale: [undefined, false] });
    assertTable(cases('layerNormalization', configs, shapes));
  });

  it('activation layers', () => {
    assertTable(cases('activation', combos({}, { activation: ['relu', 'softmax', 'linear', 'gelu_new', 'relu7', undefined] }), shapes));
    for (const f of ['reLU', 'leakyReLU', 'elu', 'thresholdedReLU']) {
      assertTable(cases(f, [{}], shapes), { expectErrors: false });
    }
    // Softmax fails at run time on any axis but the last, whatever the sizes: run None dims too.
    assertTable(cases('softmax', combos({}, { axis: [undefined, -1, 2, -2] }), shapes), { noneAs: 3 });
  });

  it('prelu (sharedAxes)', () => {
    const configs = combos({}, { sharedAxes: [undefined, 1, [1, 2], [2]] });
    assertTable(cases('prelu', configs, shapes));
  });
});
