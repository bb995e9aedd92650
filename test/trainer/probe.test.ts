import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { residualOperand } from '../../server/src/trainer/graph';
import { blockPoints, createProbe, responsePoints } from '../../server/src/trainer/probe';

type ST = tf.SymbolicTensor;
const conv = (name: string, filters: number, o: Partial<{ strides: number; kernelSize: number; activation: 'relu' }> = {}) =>
  tf.layers.conv2d({ name, filters, kernelSize: o.kernelSize ?? 3, strides: o.strides ?? 1, padding: 'same', activation: o.activation });
const bn = (name: string) => tf.layers.batchNormalization({ name });

describe('trainer: response probe', () => {
  it('measures at the consuming BN, else at the conv (flagging a fused activation); the output layer is left out', () => {
    const input = tf.input({ shape: [8, 8, 2] });
    let x = conv('c1', 4).apply(input) as ST;
    x = bn('bn1').apply(x) as ST;
    x = conv('c2', 4, { activation: 'relu' }).apply(x) as ST;
    x = conv('c3', 4).apply(x) as ST;
    x = tf.layers.flatten().apply(x) as ST;
    x = tf.layers.dense({ name: 'fc', units: 5 }).apply(x) as ST;
    const out = tf.layers.dense({ name: 'head', units: 3, activation: 'softmax' }).apply(x) as ST;
    const model = tf.model({ inputs: input, outputs: out });
    assert.deepEqual(responsePoints(model).map(({ layer, measuredAt, afterActivation }) => [layer, measuredAt, afterActivation]), [
      ['c1', 'bn1', false], ['c2', 'c2', true], ['c3', 'c3', false], ['fc', 'fc', false],
    ]);
    model.dispose();
  });

  it('tells the residual branch from the shortcut whatever the operand order, with identity or projection shortcuts', () => {
    const input = tf.input({ shape: [8, 8, 4] });
    const stem = tf.layers.reLU().apply(bn('bn0').apply(conv('c0', 4).apply(input))) as ST;
    // Block 1: shortcut first, identity.
    let y = bn('b1_bn1').apply(conv('b1_c1', 4).apply(stem)) as ST;
    y = bn('b1_bn2').apply(conv('b1_c2', 4).apply(tf.layers.reLU().apply(y))) as ST;
    const a1 = tf.layers.add({ name: 'add1' }).apply([stem, y]) as ST;
    // Block 2: branch first, 1x1 projection + BN shortcut with stride 2.
    let z = bn('b2_bn1').apply(conv('b2_c1', 8, { strides: 2 }).apply(a1)) as ST;
    z = bn('b2_bn2').apply(conv('b2_c2', 8).apply(tf.layers.reLU().apply(z))) as ST;
    const proj = bn('b2_proj_bn').apply(conv('b2_proj', 8, { strides: 2, kernelSize: 1 }).apply(a1)) as ST;
    const a2 = tf.layers.add({ name: 'add2' }).apply([z, proj]) as ST;
    const out = tf.layers.dense({ units: 2, activation: 'softmax' }).apply(tf.layers.globalAveragePooling2d({}).apply(a2)) as ST;
    const model = tf.model({ inputs: input, outputs: out });
    const blocks = blockPoints(model);
    assert.deepEqual(blocks.map((b) => [b.block, b.branch.sourceLayer.name]), [['add1', 'b1_bn2'], ['add2', 'b2_bn2']]);
    assert.equal(residualOperand([stem, y]), 1);
    assert.equal(residualOperand([z, proj]), 0);
    model.dispose();
  });

  it('works on a Sequential model and reads the same numbers as the layer outputs themselves', () => {
    const model = tf.sequential({ layers: [
      tf.layers.conv2d({ inputShape: [6, 6, 1], filters: 3, kernelSize: 3, name: 's_c1' }),
      tf.layers.batchNormalization({ name: 's_bn1' }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 2, activation: 'softmax' }),
    ] });
    const probe = createProbe(tf, model);
    const x = tf.randomNormal([5, 6, 6, 1], 0, 1, 'float32', 4);
    const before = tf.memory().numTensors;
    const measured = probe.measure(x);
    assert.equal(tf.memory().numTensors, before, 'measure leaves no tensors behind');
    const direct = tf.tidy(() => {
      const conv = model.layers[0].apply(x) as tf.Tensor;
      const bnOut = model.layers[1].apply(conv, { training: false }) as tf.Tensor;
      return Math.sqrt(tf.moments(bnOut).variance.dataSync()[0]);
    });
    assert.equal(measured.layers.length, 1);
    assert.ok(Math.abs(measured.layers[0].std - direct) < 1e-5, `${measured.layers[0].std} vs ${direct}`);
    assert.deepEqual(measured.blocks, []);
    x.dispose();
    model.dispose();
  });
});
