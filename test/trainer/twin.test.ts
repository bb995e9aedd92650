// The ablation twins against real tfjs: the plain twin of several residual architectures has no Add layer,
// keeps every other layer with its shape and initial weights, drops exactly the projection shortcuts, and
// refuses models without an additive shortcut; the twin without BN has no BatchNormalization layer.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type * as tfType from '@tensorflow/tfjs';
import { buildTwin, TwinError } from '../../server/src/trainer/ablation/twin';
import { LoadedBackend, loadBackend } from '../../server/src/trainer/backend';
import { loadModel } from '../../server/src/trainer/modelLoader';
import { tempDir, writeModel } from './fixtures';

const root = join(__dirname, '..', '..');

/** Bottleneck blocks (1x1 reduce, 3x3, 1x1 expand) with a projection on the first block, small enough for pure JS. */
const BOTTLENECK = `
import * as tf from '@tensorflow/tfjs';
const cbn = (x: tf.SymbolicTensor, f: number, k: number, s = 1) =>
  tf.layers.batchNormalization().apply(tf.layers.conv2d({ filters: f, kernelSize: k, strides: s, padding: 'same', useBias: false }).apply(x)) as tf.SymbolicTensor;
const relu = (x: tf.SymbolicTensor) => tf.layers.reLU().apply(x) as tf.SymbolicTensor;
function bottleneck(x: tf.SymbolicTensor, width: number, strides: number, project: boolean): tf.SymbolicTensor {
  let y = relu(cbn(x, width, 1));
  y = relu(cbn(y, width, 3, strides));
  y = cbn(y, width * 4, 1);
  const shortcut = project ? cbn(x, width * 4, 1, strides) : x;
  return relu(tf.layers.add().apply([y, shortcut]) as tf.SymbolicTensor);
}
export function tinyResNet50(): tf.LayersModel {
  const input = tf.input({ shape: [16, 16, 3] });
  let x = relu(cbn(input, 8, 3));
  x = bottleneck(x, 4, 1, true);
  x = bottleneck(x, 4, 1, false);
  x = bottleneck(x, 8, 2, true);
  const out = tf.layers.dense({ units: 5, activation: 'softmax' }).apply(tf.layers.globalAveragePooling2d({}).apply(x)) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}
`;

describe('trainer: ablation twins', function () {
  this.timeout(120_000);
  let backend: LoadedBackend;
  let tf: LoadedBackend['tf'];
  before(async () => { backend = await loadBackend(); tf = backend.tf; });

  async function load(file: string, entry: string): Promise<tfType.LayersModel> {
    return (await loadModel(file, entry, tf)).model;
  }

  const classes = (m: tfType.LayersModel) => m.layers.map((l) => l.getClassName());
  const count = (m: tfType.LayersModel, cls: string) => classes(m).filter((c) => c === cls).length;

  /** Every layer of the twin exists in the original with the same output shape and the same weight values. */
  function assertShared(original: tfType.LayersModel, twin: tfType.LayersModel): void {
    for (const layer of twin.layers) {
      const source = original.getLayer(layer.name);
      assert.equal(layer.getClassName(), source.getClassName(), layer.name);
      assert.deepEqual(layer.outputShape, source.outputShape, `${layer.name} output shape`);
      const [a, b] = [layer.getWeights(), source.getWeights()];
      assert.equal(a.length, b.length, `${layer.name} weight count`);
      a.forEach((w, i) => assert.deepEqual(Array.from(w.dataSync()), Array.from(b[i].dataSync()), `${layer.name} weight ${i}`));
    }
    assert.deepEqual(twin.outputs[0].shape, original.outputs[0].shape);
  }

  /** Plain twin: no Add, and the layers dropped besides the merges are exactly the projection convs and their BNs. */
  async function checkPlain(original: tfType.LayersModel, projections: number, projectionParams: number) {
    const adds = count(original, 'Add');
    assert.ok(adds > 0);
    const { model: twin, removed, projections: dropped } = await buildTwin(tf, original, 'plain');
    try {
      assert.equal(count(twin, 'Add'), 0);
      assert.equal(removed.length, adds);
      assert.equal(dropped.length, projections, `dropped ${dropped.join(', ')}`);
      assert.equal(twin.layers.length, original.layers.length - adds - projections);
      assert.equal(original.countParams() - twin.countParams(), projectionParams);
      assertShared(original, twin);
      return { twin: twin.name, dropped };
    } finally { twin.dispose(); }
  }

  it('ResNet-20 (basic blocks, two projection shortcuts): 9 Adds and 2 conv+BN projections dropped', async () => {
    const m = await load(join(root, 'examples', 'resnet20.ts'), 'createResNet20');
    try {
      // projections: 1x1 conv 16->32 (512 weights) + BN(32) (128), 1x1 conv 32->64 (2048) + BN(64) (256)
      const { dropped, twin } = await checkPlain(m, 4, 512 + 128 + 2048 + 256);
      assert.equal(twin, 'resnet20_plain');
      assert.deepEqual(dropped.map((n) => m.getLayer(n).getClassName()).sort(), ['BatchNormalization', 'BatchNormalization', 'Conv2D', 'Conv2D']);
    } finally { m.dispose(); }
  });

  it('bottleneck blocks: projections on stage entries (also the stride-1 expansion) are dropped', async () => {
    const m = await load(writeModel(tempDir(), BOTTLENECK), 'tinyResNet50');
    try {
      // 8->16 projection: 128 + BN 64; 16->32 stride 2: 512 + BN 128
      await checkPlain(m, 4, 128 + 64 + 512 + 128);
    } finally { m.dispose(); }
  });

  it('pre-activation ResNet-32 (projection straight from the pre-activation, no BN on it)', async () => {
    const m = await load(join(root, 'test', 'fixtures', 'good', 'preact-resnet.ts'), 'preActResNet32');
    try {
      // two 1x1 projections with bias: 16*32+32 and 32*64+64
      await checkPlain(m, 2, 16 * 32 + 32 + 32 * 64 + 64);
    } finally { m.dispose(); }
  });

  it('a DenseNet-style network (concatenations only) is refused with the reason', async () => {
    const m = await load(join(root, 'test', 'fixtures', 'good', 'densenet.ts'), 'densenetBC');
    try {
      await assert.rejects(buildTwin(tf, m, 'plain'), (e: unknown) =>
        e instanceof TwinError && /no additive shortcut/.test(e.message) && /Concatenate/.test(e.message));
    } finally { m.dispose(); }
  });

  it('the twin without BatchNormalization keeps the shortcuts and every other weight', async () => {
    const m = await load(join(root, 'examples', 'resnet20.ts'), 'createResNet20');
    try {
      const bns = count(m, 'BatchNormalization');
      const { model: twin, removed } = await buildTwin(tf, m, 'no-bn');
      try {
        assert.equal(count(twin, 'BatchNormalization'), 0);
        assert.equal(removed.length, bns);
        assert.equal(count(twin, 'Add'), count(m, 'Add'));
        assert.equal(twin.layers.length, m.layers.length - bns);
        assertShared(m, twin);
      } finally { twin.dispose(); }
    } finally { m.dispose(); }
  });

  it('a twin trains: its loss is finite and its weights move while the original stays as it was', async () => {
    const m = await load(writeModel(tempDir(), BOTTLENECK), 'tinyResNet50');
    const { model: twin } = await buildTwin(tf, m, 'plain');
    try {
      const before = m.getLayer(twin.layers[1].name).getWeights()[0].dataSync().slice();
      twin.compile({ optimizer: tf.train.sgd(0.05), loss: 'categoricalCrossentropy' });
      const x = tf.randomNormal([4, 16, 16, 3], 0, 1, 'float32', 1);
      const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3], 'int32'), 5);
      const loss = await twin.trainOnBatch(x, y) as number;
      tf.dispose([x, y]);
      assert.ok(Number.isFinite(loss), String(loss));
      const after = twin.layers[1].getWeights()[0].dataSync();
      assert.notDeepEqual(Array.from(after), Array.from(before), 'the twin trained its own copy');
      assert.deepEqual(Array.from(m.getLayer(twin.layers[1].name).getWeights()[0].dataSync()), Array.from(before), 'the original is unchanged');
    } finally { twin.optimizer?.dispose(); twin.dispose(); m.dispose(); }
  });
});
