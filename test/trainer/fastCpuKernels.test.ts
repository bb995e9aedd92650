import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { installFastCpuKernels } from '../../server/src/trainer/fastCpuKernels';

describe('trainer: fast CPU conv filter gradient', () => {
  // [input shape, filter shape, strides, padding]; odd sizes and strides exercise the padding arithmetic.
  const cases: [[number, number, number, number], [number, number, number, number], number, 'same' | 'valid'][] = [
    [[3, 9, 7, 2], [3, 3, 2, 5], 1, 'same'], [[2, 9, 7, 3], [3, 3, 3, 4], 2, 'same'], [[2, 8, 8, 3], [1, 1, 3, 4], 2, 'valid'],
    [[2, 10, 9, 2], [5, 3, 2, 3], 2, 'valid'], [[2, 8, 8, 2], [3, 3, 2, 2], 2, 'same'], [[1, 7, 7, 1], [7, 7, 1, 2], 2, 'same'],
  ];
  const filterGrads = () => cases.map(([xs, fs, s, p]) => tf.tidy(() => {
    const x = tf.randomNormal<tf.Rank.R4>(xs, 0, 1, 'float32', 7);
    const f = tf.randomNormal<tf.Rank.R4>(fs, 0, 1, 'float32', 8);
    return Array.from(tf.grad((ff) => tf.conv2d(x, ff as tf.Tensor4D, s, p).square().sum())(f).dataSync());
  }));

  it('gives the same gradients as the kernel it replaces', async () => {
    await tf.setBackend('cpu');
    // Another test may have installed it already (one kernel registry per process): put tfjs's own back first.
    const current = tf.getKernel('Conv2DBackpropFilter', 'cpu');
    const original = (current.kernelFunc as { original?: tf.KernelConfig }).original ?? current;
    tf.unregisterKernel('Conv2DBackpropFilter', 'cpu');
    tf.registerKernel(original);
    const expected = filterGrads();
    assert.equal(installFastCpuKernels(tf), true);
    assert.equal(installFastCpuKernels(tf), false, 'installing twice is a no-op');
    const actual = filterGrads();
    expected.forEach((e, i) => e.forEach((v, j) => assert.ok(Math.abs(v - actual[i][j]) <= 1e-4 * Math.max(1, Math.abs(v)), `case ${i}[${j}]: ${v} vs ${actual[i][j]}`)));
  });
});
