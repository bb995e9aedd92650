// CIFAR-10 "binary version": files of 3073-byte records, one label byte then 32x32x3 pixels stored
// channel-first (1024 red, 1024 green, 1024 blue). Converted here to the channels-last layout tfjs uses.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Dataset, DatasetFormatError, DatasetMissingError } from './dataset';

const SIDE = 32;
const PLANE = SIDE * SIDE;
const RECORD = 1 + 3 * PLANE;

/** Training files (data_batch_*.bin) if present, else test_batch.bin. */
export function cifarFiles(dir: string): string[] {
  const advice = 'Download the CIFAR-10 binary version (cifar-10-binary.tar.gz), extract it, and pass cifar10:<folder holding data_batch_1.bin>.';
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new DatasetMissingError(`CIFAR-10 folder not found: ${dir}`, advice);
  const nested = join(dir, 'cifar-10-batches-bin');
  const folder = existsSync(nested) ? nested : dir;
  const names = readdirSync(folder);
  const train = names.filter((n) => /^data_batch_\d+\.bin$/.test(n)).sort();
  const chosen = train.length > 0 ? train : names.filter((n) => n === 'test_batch.bin');
  if (chosen.length === 0) throw new DatasetMissingError(`No data_batch_*.bin or test_batch.bin in ${folder}`, advice);
  return chosen.map((n) => join(folder, n));
}

export function loadCifar10(dir: string): Dataset {
  const files = cifarFiles(dir);
  const buffers = files.map((f) => {
    let b: Buffer;
    try { b = readFileSync(f); } catch (err) {
      const e = err as NodeJS.ErrnoException;
      throw new DatasetFormatError(e.code === 'EISDIR' ? `${f} is a folder, not a CIFAR-10 batch file.` : `${f} could not be read (${e.code ?? e.message}).`);
    }
    if (b.length % RECORD !== 0) throw new DatasetFormatError(`${f}: ${b.length} bytes is not a whole number of ${RECORD}-byte CIFAR-10 records.`);
    return b;
  });
  const count = buffers.reduce((n, b) => n + b.length / RECORD, 0);
  const pixels = new Uint8Array(count * 3 * PLANE);
  const labels = new Uint8Array(count);
  let s = 0;
  for (const b of buffers) {
    for (let r = 0; r < b.length; r += RECORD, s++) {
      const label = b[r];
      if (label > 9) throw new DatasetFormatError(`CIFAR-10 record ${s} has label ${label}; labels are 0..9.`);
      labels[s] = label;
      const out = s * 3 * PLANE;
      for (let p = 0; p < PLANE; p++) {
        for (let c = 0; c < 3; c++) pixels[out + p * 3 + c] = b[r + 1 + c * PLANE + p];
      }
    }
  }
  return { name: 'cifar10', sampleShape: [SIDE, SIDE, 3], classes: 10, count, pixels, labels, scale: 1 / 255 };
}
