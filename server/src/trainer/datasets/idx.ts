// IDX files (LeCun's MNIST format, also used by Fashion-MNIST and EMNIST): a 4-byte magic
// (0, 0, type code, number of dimensions), the dimensions as big-endian uint32, then the data.
// Only unsigned bytes (type 0x08) are read: that is what image and label files use. Gzipped files
// (as distributed) are inflated transparently.
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { Dataset, DatasetFormatError, DatasetMissingError, countClasses } from './dataset';

export interface IdxArray { dims: number[]; data: Uint8Array }

const UBYTE = 0x08;

export function parseIdx(buffer: Uint8Array, what: string): IdxArray {
  const bytes = buffer[0] === 0x1f && buffer[1] === 0x8b ? new Uint8Array(gunzipSync(buffer)) : buffer;
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) {
    throw new DatasetFormatError(`${what} is not an IDX file (it must start with two zero bytes).`);
  }
  if (bytes[2] !== UBYTE) {
    throw new DatasetFormatError(`${what} holds IDX type 0x${bytes[2].toString(16)}; only unsigned bytes (0x08) are supported.`);
  }
  const rank = bytes[3];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header = 4 + 4 * rank;
  if (rank === 0 || bytes.length < header) throw new DatasetFormatError(`${what}: truncated IDX header.`);
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const expected = dims.reduce((a, b) => a * b, 1);
  if (bytes.length - header < expected) {
    throw new DatasetFormatError(`${what}: header promises ${dims.join('x')} = ${expected} bytes but only ${bytes.length - header} follow.`);
  }
  return { dims, data: bytes.subarray(header, header + expected) };
}

export function readIdxFile(path: string): IdxArray {
  if (!existsSync(path)) {
    throw new DatasetMissingError(`IDX file not found: ${path}`, 'Check the path given to idx:<images>,<labels> (gzipped .gz files work too).');
  }
  return parseIdx(readFileSync(path), path);
}

/** An images file ([n, h, w] or [n, h, w, c]) and a labels file ([n]) as one dataset. */
export function loadIdxPair(imagesPath: string, labelsPath: string, name = 'idx'): Dataset {
  const images = readIdxFile(imagesPath);
  const labels = readIdxFile(labelsPath);
  if (labels.dims.length !== 1) {
    throw new DatasetFormatError(`${labelsPath}: a labels file has one dimension, this one has ${labels.dims.length} (${labels.dims.join('x')}).`);
  }
  if (images.dims.length < 2) throw new DatasetFormatError(`${imagesPath}: an images file needs at least two dimensions.`);
  const count = images.dims[0];
  if (labels.dims[0] !== count) {
    throw new DatasetFormatError(`${imagesPath} holds ${count} images but ${labelsPath} holds ${labels.dims[0]} labels.`);
  }
  return {
    name, sampleShape: images.dims.slice(1), count, pixels: images.data, labels: labels.data,
    classes: countClasses(labels.data), scale: 1 / 255,
  };
}
