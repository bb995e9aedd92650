// ZeroPadding2D, Cropping2D and UpSampling2D against real tfjs.
import assert from 'node:assert/strict';
import { specForFactory } from '../../server/src/analysis/layers';
import { assertTable, cases, combos, runTfjs } from './harness';

const shapes = [[[null, 7, 9, 3]], [[2, 4, 5, 1]], [[null, 6, 3]], [[null, 1, 2, 3]]];

describe('layers: padding, cropping and upsampling match tfjs', () => {
  it('zeroPadding2d (int, [h, w], [[t, b], [l, r]])', () => {
    const configs = combos({}, { padding: [undefined, 2, [1, 3], [[0, 1], [2, 3]], [1, 2, 3], [[1], [2, 3]]], dataFormat: [undefined, 'channelsFirst'] });
    assertTable(cases('zeroPadding2d', configs, [...shapes, [[null, null, 5, 2]]]));
  });

  it('cropping2D', () => {
    const configs = combos({}, { cropping: [undefined, 1, [2, 0], [[0, 3], [1, 1]], [[3, 3], [0, 0]]], dataFormat: [undefined, 'channelsFirst'] });
    assertTable(cases('cropping2D', configs, shapes));
  });

  it('cropping2D keeps a None dim None (tfjs itself computes null - crop)', () => {
    const c = { factory: 'cropping2D', cfg: { cropping: [[1, 2], [0, 1]] }, inputs: [[null, null, 6, 3]] };
    const tfjs = runTfjs(c).shape!;
    const ours = specForFactory('cropping2D')!.computeOutputShape(c.cfg, c.inputs);
    assert.equal(tfjs[1], -3); // what tfjs 4.22 reports; our null is the dim it stands for
    assert.deepEqual(ours, { shape: [null, null, tfjs[2], tfjs[3]] });
  });

  it('upSampling2d (size, dataFormat, interpolation)', () => {
    const configs = combos({}, { size: [undefined, [2, 3], [1, 1]], dataFormat: [undefined, 'channelsFirst', 'NHWC'], interpolation: [undefined, 'bilinear', 'cubic'] });
    assertTable(cases('upSampling2d', configs, [...shapes, [[null, null, 4, 2]]]));
  });
});
