// The catalogue's knowledge of tf.layers beyond shapes: which factories exist in tfjs 4.22 and which throw when
// called without a config (and with what message), checked against the real tfjs.
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { CONFIG_REQUIRED, TFJS_LAYER_FACTORIES, factoryInOtherCase } from '../../server/src/analysis/layers';

const layers = tf.layers as unknown as Record<string, unknown>;

describe('layers: the tf.layers namespace of tfjs 4.22', () => {
  it('lists exactly the functions tf.layers has', () => {
    const real = Object.keys(layers).filter((k) => typeof layers[k] === 'function').sort();
    assert.deepEqual([...TFJS_LAYER_FACTORIES].sort(), real);
  });

  it('knows which factories throw without a config, and what they throw', () => {
    const real: Record<string, string> = {};
    for (const name of TFJS_LAYER_FACTORIES) {
      // `input` is tf.input (tested with the input layer); upper-case names are classes, not factories.
      if (!/^[a-z]/.test(name) || name === 'input') continue;
      try {
        (layers[name] as () => unknown)();
      } catch (e) {
        real[name] = (e as Error).message;
      }
    }
    assert.deepEqual(CONFIG_REQUIRED, real);
  });

  it('maps a wrongly cased name to the real factory', () => {
    assert.equal(factoryInOtherCase('globalAveragePooling2D'), 'globalAveragePooling2d');
    assert.equal(factoryInOtherCase('Conv2d'), 'conv2d');
    assert.equal(factoryInOtherCase('lambda'), undefined);
  });
});
