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

  it('works on a Sequential model: BN with the probe batch statistics, equal to a hand computation; nothing changes', () => {
    // dense 2 -> 2 with fixed weights, BN with gamma 2 / beta 0.5 and moving statistics far from the batch's,
    // a dropout that must stay off, then the head.
    const model = tf.sequential({ layers: [
      tf.layers.dense({ inputShape: [2], units: 2, name: 's_fc', kernelInitializer: 'zeros' }),
      tf.layers.batchNormalization({ name: 's_bn1', epsilon: 1e-3 }),
      tf.layers.dropout({ rate: 0.5 }),
      tf.layers.dense({ units: 2, activation: 'softmax' }),
    ] });
    model.layers[0].setWeights([tf.tensor2d([[1, 2], [3, -1]]), tf.tensor1d([0.5, 0])]);
    model.layers[1].setWeights([tf.tensor1d([2, 2]), tf.tensor1d([0.5, 0.5]), tf.tensor1d([10, -10]), tf.tensor1d([100, 0.01])]);
    const rows = [[1, 0], [0, 1], [2, 2], [-1, 3]];
    // By hand: z = x W + b per sample, each channel normalised with its batch mean and biased variance.
    const z = rows.map(([a, b]) => [a * 1 + b * 3 + 0.5, a * 2 + b * -1]);
    const bnOut = [0, 1].map((c) => {
      const col = z.map((r) => r[c]);
      const mean = col.reduce((s, v) => s + v, 0) / col.length;
      const variance = col.reduce((s, v) => s + (v - mean) ** 2, 0) / col.length;
      return col.map((v) => 2 * (v - mean) / Math.sqrt(variance + 1e-3) + 0.5);
    }).flat();
    const m = bnOut.reduce((s, v) => s + v, 0) / bnOut.length;
    const expected = Math.sqrt(bnOut.reduce((s, v) => s + (v - m) ** 2, 0) / bnOut.length);

    const probe = createProbe(tf, model);
    const x = tf.tensor2d(rows);
    const before = tf.memory().numTensors;
    const measured = probe.measure(x);
    assert.equal(tf.memory().numTensors, before, 'measure leaves no tensors behind');
    assert.equal(measured.layers.length, 1);
    assert.equal(measured.layers[0].measuredAt, 's_bn1');
    assert.ok(Math.abs(measured.layers[0].std - expected) < 1e-4, `${measured.layers[0].std} vs ${expected} (about gamma = 2)`);
    const moving = model.layers[1].getWeights().slice(2).map((w) => Array.from(w.dataSync()));
    assert.deepEqual(moving, [[10, -10], [100, 0.01].map((v) => Math.fround(v))], 'the moving averages are left as they were');
    // Inference mode would have read the lag of the moving averages instead: a very different figure.
    const inference = tf.tidy(() => Math.sqrt(tf.moments(model.layers[1].apply(model.layers[0].apply(x), { training: false }) as tf.Tensor).variance.dataSync()[0]));
    assert.ok(Math.abs(inference - expected) > 1, `inference-mode std ${inference}`);
    assert.deepEqual(measured.blocks, []);
    x.dispose();
    model.dispose();
  });

  it('flags the layers of projection shortcuts (no counterpart in the plain twin)', () => {
    const input = tf.input({ shape: [8, 8, 4] });
    let z = bn('p_bn1').apply(conv('p_c1', 8, { strides: 2 }).apply(input)) as ST;
    z = bn('p_bn2').apply(conv('p_c2', 8).apply(tf.layers.reLU().apply(z))) as ST;
    const proj = bn('p_proj_bn').apply(conv('p_proj', 8, { strides: 2, kernelSize: 1 }).apply(input)) as ST;
    const sum = tf.layers.add().apply([z, proj]) as ST;
    const out = tf.layers.dense({ units: 2, activation: 'softmax' }).apply(tf.layers.globalAveragePooling2d({}).apply(sum)) as ST;
    const model = tf.model({ inputs: input, outputs: out });
    assert.deepEqual(responsePoints(model).map((p) => [p.layer, p.projection]), [['p_c1', false], ['p_c2', false], ['p_proj', true]]);
    model.dispose();
  });
});
