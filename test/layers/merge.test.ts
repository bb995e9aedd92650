// Merge layers against real tfjs, and the broadcast / mismatch facts rules read from mergeCheck.
import assert from 'node:assert/strict';
import { mergeCheck } from '../../server/src/analysis/layers';
import type { Shape } from '../../server/src/analysis/types';
import { assertTable, cases } from './harness';

const pairs: Shape[][] = [
  [[null, 8, 8, 16], [null, 8, 8, 16]],
  [[null, 8, 8, 16], [null, 4, 4, 32]],
  [[null, 8, 8, 16], [null, 8, 8, 1]],
  [[null, 8, 8, 1], [null, 1, 8, 16]],
  [[null, 8, 8, 16], [null, 16]],
  [[null, 8, 8, 16], [null, 8, 8, 15]],
  [[null, 8, 8, 16], [null, null, 8, 16]],
  [[null, 8, null, 16], [null, 8, 5, 16]],
  [[2, 4], [3, 4]],
  [[2, 4], [null, 4]],
  [[null, 4], [null, 4], [null, 4]],
  [[null, 4], [null, 1], [null, 5]],
  [[null, 4], [null, null], [null, 5]],
  [[null, 6]],
  [[null, 3, 4], [null, 3, 4, 5]],
];

describe('layers: merge layers match tfjs', () => {
  it('add, multiply, average, maximum, minimum', () => {
    for (const f of ['add', 'multiply', 'average', 'maximum', 'minimum']) assertTable(cases(f, [{}], pairs));
  });

  it('concatenate (axis, negative axis)', () => {
    const configs = [{}, { axis: 1 }, { axis: -1 }, { axis: 2 }, { axis: -3 }, { axis: 0 }];
    const inputs: Shape[][] = [
      ...pairs,
      [[null, 8, 8, 16], [null, 8, 8, 3], [null, 8, 8, 5]],
      [[null, 4, 5, 6], [null, 4, 7, 6]],
      [[null, null, 5, 6], [null, 4, 5, 6]],
    ];
    // A negative axis other than -1 breaks at run time whatever the sizes: run None dims too.
    assertTable(cases('concatenate', configs, inputs), { noneAs: 8 });
  });

  it('dot (axes)', () => {
    const configs = [{ axes: 1 }, { axes: -1 }, { axes: [1, 2] }, { axes: [2, 1] }, { axes: 2 }];
    const inputs: Shape[][] = [[[null, 4], [null, 4]], [[null, 3, 4], [null, 4, 5]], [[null, 3, 4], [null, 3, 5]], [[null, 2, 3, 4], [null, 2, 3, 4]], [[null, 5], [null, 4]]];
    assertTable(cases('dot', configs, inputs));
  });

  it('mergeCheck names the axes that broadcast or clash', () => {
    const residual = mergeCheck('Add', {}, [[null, 8, 8, 16], [null, 8, 8, 1]]);
    assert.equal(residual.ok, true);
    assert.deepEqual(residual.broadcastAxes, [3]);
    assert.deepEqual(mergeCheck('Add', {}, [[null, 8, 8, 16], [null, 16]]).broadcastAxes, [1, 2]);
    const stage = mergeCheck('Add', {}, [[null, 8, 8, 16], [null, 4, 4, 32]]);
    assert.equal(stage.ok, false);
    assert.equal(stage.outputShape, undefined);
    assert.deepEqual(stage.mismatchedAxes, [1, 2, 3]);
    assert.match(stage.error ?? '', /\[null,8,8,16\] and \[null,4,4,32\]/);
    assert.deepEqual(mergeCheck('Concatenate', { axis: -1 }, [[null, 8, 8, 16], [null, 4, 4, 32]]).mismatchedAxes, [1, 2]);
    assert.deepEqual(mergeCheck('Add', {}, [[null, 8, 8, 16], [null, 8, 8, 16]]).broadcastAxes, []);
  });
});
