// Embedding against real tfjs: ids of any rank, inputLength as a number or a list, with None and fixed dims.
import { assertTable, cases, combos } from './harness';

describe('layers: embedding matches tfjs', () => {
  it('inputDim, outputDim and inputLength over ranks 1-4', () => {
    const configs = combos({}, { inputDim: [10, 0, 2.5], outputDim: [4, 1, -1], inputLength: [undefined, 5, [5], null, [null, 3], 7] });
    const shapes = [[[null, 5]], [[2, 5]], [[null, null]], [[null, 5, 3]], [[null, 7, 3]], [[null]], [[3, 2, 4, 5]]];
    assertTable(cases('embedding', configs, shapes));
  });
});
