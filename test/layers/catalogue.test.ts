// The catalogue itself: every factory it lists exists in tfjs and creates the class it claims, aliases
// resolve to one spec, and names tfjs does not have are not catalogued.
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { allSpecs, specForClass, specForFactory, windowInfo, activationOf, isNonlinear, UNKNOWN } from '../../server/src/analysis/layers';

/** Enough config for each class's constructor to succeed. */
const minimal: Record<string, object> = {
  Conv1D: { filters: 1, kernelSize: 1 }, Conv2D: { filters: 1, kernelSize: 1 }, SeparableConv2D: { filters: 1, kernelSize: 1 },
  DepthwiseConv2D: { kernelSize: 1 }, Conv2DTranspose: { filters: 1, kernelSize: 1 }, Dense: { units: 1 },
  Reshape: { targetShape: [1] }, Permute: { dims: [1] }, RepeatVector: { n: 1 }, Dropout: { rate: 0.1 },
  SpatialDropout1D: { rate: 0.1 }, GaussianNoise: { stddev: 1 }, GaussianDropout: { rate: 0.1 }, AlphaDropout: { rate: 0.1 },
  Rescaling: { scale: 1 }, Dot: { axes: 1 }, Cropping2D: { cropping: 1 }, Embedding: { inputDim: 1, outputDim: 1 },
};

describe('layers: catalogue', () => {
  it('every factory exists in tfjs and builds the class the spec names', () => {
    for (const spec of allSpecs()) {
      for (const factory of spec.factories) {
        if (spec.className === 'InputLayer') {
          const made = factory === 'input' ? tf.input({ shape: [1] }).sourceLayer : tf.layers.inputLayer({ inputShape: [1] });
          assert.equal(made.getClassName(), 'InputLayer', factory);
          continue;
        }
        const make = (tf.layers as unknown as Record<string, (cfg: object) => tf.layers.Layer>)[factory];
        assert.equal(typeof make, 'function', `tf.layers.${factory}`);
        assert.equal(make(minimal[spec.className] ?? {}).getClassName(), spec.className, `tf.layers.${factory}`);
        assert.equal(specForFactory(factory), spec);
      }
      assert.equal(specForClass(spec.className), spec);
    }
  });

  it('names tfjs 4.22 does not have are not catalogued', () => {
    for (const name of ['subtract', 'spatialDropout2d', 'maxPool3d', 'globalAvgPool2d', 'Conv2D']) {
      assert.equal(name in tf.layers, false, `tf.layers.${name} exists after all`);
      assert.equal(specForFactory(name), undefined, name);
    }
  });

  it('windowInfo normalises conv and pooling configs the way the layers read them', () => {
    assert.deepEqual(windowInfo('Conv2D', { filters: 8, kernelSize: 3, strides: 2, padding: 'same' }),
      { kernel: [3, 3], strides: [2, 2], dilation: [1, 1], padding: 'same', channelsFirst: false });
    assert.deepEqual(windowInfo('MaxPooling2D', { poolSize: [3, 2], dataFormat: 'channelsFirst' }),
      { kernel: [3, 2], strides: [3, 2], dilation: [1, 1], padding: 'valid', channelsFirst: true });
    assert.deepEqual(windowInfo('Conv1D', { filters: 2, kernelSize: UNKNOWN, dilationRate: 2, padding: UNKNOWN }),
      { kernel: [undefined], strides: [1], dilation: [2], padding: undefined, channelsFirst: false });
    assert.equal(windowInfo('Dense', { units: 3 }), undefined);
    assert.equal(windowInfo('Conv2D', { filters: 2 }), undefined, 'no kernelSize: tfjs rejects the config');
  });

  it('activationOf and isNonlinear', () => {
    assert.equal(activationOf({}), 'linear');
    assert.equal(activationOf({ activation: 'relu' }), 'relu');
    assert.equal(activationOf({ activation: UNKNOWN }), UNKNOWN);
    assert.equal(isNonlinear('linear'), false);
    assert.equal(isNonlinear('relu'), true);
  });
});
