// Dense, the reshaping layers and the value-only layers against real tfjs.
import { assertTable, cases, combos } from './harness';

const shapes = [[[null, 7, 9, 3]], [[null, 5]], [[2, 4, 6]], [[null, 6, null]], [[null, null, 4, 2]], [[3]], [[null, 2, 3, 4, 5]]];

describe('layers: core layers match tfjs', () => {
  it('dense (units, useBias, activation)', () => {
    const configs = combos({}, { units: [1, 7, 0, 2.5], useBias: [undefined, false], activation: [undefined, 'tanh', 'nope'] });
    assertTable(cases('dense', configs, shapes));
  });

  it('flatten', () => {
    assertTable(cases('flatten', [{}], shapes));
  });

  it('reshape (with -1, wrong sizes, fixed batch)', () => {
    const configs = [[-1], [3, -1], [-1, 9], [7, 27], [5, 5], [-1, -1], [189], [2, -1, 3], [4, 0], [0, -1]].map((targetShape) => ({ targetShape }));
    const inputs = [[[null, 7, 9, 3]], [[2, 7, 9, 3]], [[2, 6]], [[4, 3, 3]], [[null, null, 9]], [[null, 6]]];
    assertTable(cases('reshape', configs, inputs));
  });

  it('permute', () => {
    const configs = [[2, 1], [1, 2, 3], [3, 1, 2], [2, 3, 1], [1, 3], [0, 1]].map((dims) => ({ dims }));
    assertTable(cases('permute', configs, shapes));
  });

  it('repeatVector', () => {
    assertTable(cases('repeatVector', [{ n: 3 }, { n: 1 }], shapes));
  });

  it('dropout, noise, rescaling, spatialDropout1d', () => {
    for (const [f, cfg] of [['dropout', { rate: 0.3 }], ['gaussianNoise', { stddev: 0.1 }], ['gaussianDropout', { rate: 0.2 }],
      ['alphaDropout', { rate: 0.2 }], ['rescaling', { scale: 1 / 255 }], ['masking', {}]] as const) {
      assertTable(cases(f, [cfg], shapes), { expectErrors: false });
    }
    assertTable(cases('spatialDropout1d', [{ rate: 0.5 }], shapes));
  });
});
