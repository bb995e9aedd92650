// Input shapes: tf.input, tf.layers.inputLayer and the first layer of a Sequential, against real tfjs.
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { inputLayerShape, specForFactory, type InputVia, type LayerConfig } from '../../server/src/analysis/layers';

type Outcome = { shape?: unknown; error?: boolean };

/** What tfjs makes of the config given to each entry point. */
function tfjsInput(via: InputVia, cfg: LayerConfig): Outcome {
  try {
    const copy = JSON.parse(JSON.stringify(cfg));
    if (via === 'input') return { shape: tf.input(copy).shape };
    if (via === 'inputLayer') return { shape: tf.layers.inputLayer(copy).inboundNodes[0].outputTensors[0].shape };
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, ...copy })] });
    return { shape: model.inputs[0].shape };
  } catch {
    return { error: true };
  }
}

const configs: Record<InputVia, LayerConfig[]> = {
  input: [{ shape: [32, 32, 3] }, { batchShape: [8, 4] }, { shape: [null, 5] }, { shape: [4], batchShape: [null, 4] }, {}, { shape: [] }],
  inputLayer: [{ inputShape: [28, 28, 1] }, { inputShape: [5], batchSize: 16 }, { batchInputShape: [4, 7] }, { batchInputShape: [4, 7], batchSize: 4 },
    { inputShape: [3], batchInputShape: [null, 3] }, {}, { batchInputShape: [null, null, 2] }],
  firstLayer: [{ inputShape: [6] }, { inputShape: [2, 6], batchSize: 3 }, { batchInputShape: [5, 6] }, { inputShape: [3], batchInputShape: [2, 4] },
    { inputDim: 9 }, { inputDim: 9, batchSize: 2 }, {}],
};

describe('layers: input shapes match tfjs', () => {
  for (const via of Object.keys(configs) as InputVia[]) {
    it(`${via} configs`, () => {
      let errors = 0;
      for (const cfg of configs[via]) {
        const t = tfjsInput(via, cfg);
        const ours = inputLayerShape(cfg, via, 'Dense');
        const label = `${via}(${JSON.stringify(cfg)})`;
        if (t.error) {
          errors++;
          assert.ok(ours.error, `${label}: tfjs throws, we give ${JSON.stringify(ours.shape)}`);
        } else {
          assert.equal(ours.error, undefined, `${label}: ${ours.error}`);
          assert.deepEqual(ours.shape, t.shape, label);
        }
      }
      assert.ok(errors > 0 && errors < configs[via].length, 'the table must hold accepted and rejected configs');
    });
  }

  it('a first layer whose constructor declares the input: Embedding always, Dense from inputDim', () => {
    const cases: [string, LayerConfig][] = [
      ['embedding', { inputDim: 10, outputDim: 4 }], ['embedding', { inputDim: 10, outputDim: 4, inputLength: 7 }],
      ['embedding', { inputDim: 10, outputDim: 4, inputLength: [3, 5] }], ['embedding', { inputDim: 10, outputDim: 4, inputLength: 7, batchSize: 2 }],
      ['embedding', { inputDim: 10, outputDim: 4, inputShape: [9] }], ['dense', { units: 2, inputDim: 5 }], ['dense', { units: 2 }],
      ['conv2d', { filters: 2, kernelSize: 1, inputDim: 5 }],
    ];
    for (const [factory, cfg] of cases) {
      const label = `${factory}(${JSON.stringify(cfg)}) first`;
      let truth: Outcome;
      try {
        const make = (tf.layers as unknown as Record<string, (c: unknown) => tf.layers.Layer>)[factory];
        truth = { shape: tf.sequential({ layers: [make(JSON.parse(JSON.stringify(cfg)))] }).inputs[0].shape };
      } catch {
        truth = { error: true };
      }
      const ours = inputLayerShape(cfg, 'firstLayer', specForFactory(factory)!.className);
      if (truth.error) assert.ok(ours.error, `${label}: tfjs throws, we give ${JSON.stringify(ours.shape)}`);
      else assert.deepEqual([ours.error, ours.shape], [undefined, truth.shape], label);
    }
  });

  it('the InputLayer spec reads tf.input and tf.layers.inputLayer configs without being told which', () => {
    const spec = specForFactory('input')!;
    assert.equal(spec, specForFactory('inputLayer'));
    assert.deepEqual(spec.computeOutputShape({ shape: [4, 4, 3] }, []).shape, tfjsInput('input', { shape: [4, 4, 3] }).shape);
    assert.deepEqual(spec.computeOutputShape({ inputShape: [4], batchSize: 2 }, []).shape, tfjsInput('inputLayer', { inputShape: [4], batchSize: 2 }).shape);
    assert.ok(spec.computeOutputShape({ shape: [3] }, [[null, 3]]).error, 'an InputLayer cannot be applied to a tensor');
    assert.equal(spec.countParams({ shape: [3] }, []), 0);
  });
});
