// A Reshape whose element counts differ: tfjs builds the model (the batch size is None) and throws at predict.
// A window that does not fit its input gets a negative size from tfjs too, but pure-JS tfjs then runs it (an
// empty tensor): no throw, so no tfjs-would-throw. Ground truth for each line: real tfjs builds the model and
// its predict throws, or runs; the analyzer reports tfjs-would-throw exactly when predict throws.
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { analyze } from '../../server/src/analysis';

const CASES: [input: number[], layer: string][] = [
  [[3, 3, 2], 'tf.layers.conv2d({ filters: 4, kernelSize: 5 })'],
  [[3, 3, 2], 'tf.layers.conv2d({ filters: 4, kernelSize: 3 })'],
  [[4, 4, 2], 'tf.layers.conv2d({ filters: 4, kernelSize: 3, dilationRate: 2 })'],
  [[5, 5, 2], 'tf.layers.conv2d({ filters: 4, kernelSize: 3, dilationRate: 2 })'],
  [[2, 2, 3], 'tf.layers.maxPooling2d({ poolSize: 3 })'],
  [[3, 3, 3], 'tf.layers.maxPooling2d({ poolSize: 3 })'],
  [[4, 4, 3], 'tf.layers.cropping2D({ cropping: 2 })'],
  [[6, 6, 3], 'tf.layers.reshape({ targetShape: [12, 9] })'],
  [[6, 6, 3], 'tf.layers.reshape({ targetShape: [12, 10] })'],
  [[4, 4, 2], 'tf.layers.reshape({ targetShape: [31] })'],
  [[4, 4, 2], 'tf.layers.reshape({ targetShape: [8, 4] })'],
  [[4, 4, 2], 'tf.layers.reshape({ targetShape: [-1, 3] })'],
  [[10], 'tf.layers.conv1d({ filters: 2, kernelSize: 11 })'],
];

function tfjsOutcome(input: number[], layer: string): 'runs' | 'predict throws' | 'build throws' {
  let model: tf.LayersModel;
  try {
    // The same line the analyzer reads, built by tfjs.
    const make = new Function('tf', `return ${layer};`) as (t: typeof tf) => tf.layers.Layer;
    const x = tf.input({ shape: input.length === 1 ? [input[0], 1] : input });
    model = tf.model({ inputs: x, outputs: make(tf).apply(x) as tf.SymbolicTensor });
  } catch {
    return 'build throws';
  }
  try {
    tf.tidy(() => { model.predict(tf.zeros([1, ...(input.length === 1 ? [input[0], 1] : input)])); });
    return 'runs';
  } catch {
    return 'predict throws';
  } finally {
    model.dispose();
  }
}

describe('tfjs-would-throw: a Reshape tfjs builds but cannot run; windows that do not fit are not throws', () => {
  for (const [input, layer] of CASES) {
    it(`${layer} on [${input}]`, () => {
      const shape = input.length === 1 ? [input[0], 1] : input;
      const text = `import * as tf from '@tensorflow/tfjs';\nexport function build(): tf.LayersModel {\n  const x = tf.input({ shape: ${JSON.stringify(shape)} });\n` +
        `  const y = ${layer}.apply(x) as tf.SymbolicTensor;\n  return tf.model({ inputs: x, outputs: y });\n}\n`;
      const truth = tfjsOutcome(input, layer);
      assert.notEqual(truth, 'build throws', 'these are models tfjs builds');
      const found = analyze('/virtual/broken-size.ts', text, { readFile: () => undefined }).findings.filter((f) => f.rule === 'tfjs-would-throw');
      if (truth === 'runs') {
        assert.deepEqual(found.map((f) => f.message), []);
      } else {
        assert.equal(found.length, 1, 'tfjs throws at predict');
        assert.equal(found[0].range.start.line, 3);
        assert.match(found[0].message, /tfjs builds the model \(its batch size is None\) and throws at predict or fit\.$/);
      }
    });
  }

  it('has lines on both sides', () => {
    const outcomes = new Set(CASES.map(([i, l]) => tfjsOutcome(i, l)));
    assert.deepEqual([...outcomes].sort(), ['predict throws', 'runs']);
  });
});
