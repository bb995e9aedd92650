// IDX files (LeCun's MNIST format, also used by Fashion-MNIST and EMNIST): a 4-byte magic
// (0, 0, type code, number of dimensions), the dimensions as big-endian uint32, then the data.
// Only unsigned bytes (type 0x08) are read: that is what image and label files use. Gzipped files
// (as distributed) are inflated transparently.
import { existsSync, readFileSync } from 'node:fs';
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import { Dataset, DatasetFormatError, DatasetMissingError, countClasses } from './dataset';

export interface IdxArray { dims: number[]; data: Uint8Array }

const UBYTE = 0x08;

/** The largest dataset file read into memory (uint8 data; MNIST's images are 47 MB, CIFAR-10's 180 MB). */
export const MAX_IDX_BYTES = 2 ** 31 - 1;

/**
 * Inflates a gzipped IDX file to no more than its header declares: the header is read from a short
 * prefix first, so a small file that inflates to gigabytes (a gzip bomb) is refused before it is.
 */
function gunzipIdx(buffer: Uint8Array, what: string): Uint8Array {
  let head: Buffer;
  try {
    // A 4 KB compressed prefix inflates to at most ~4 MB: enough for any header, bounded whatever it holds.
    head = gunzipSync(buffer.subarray(0, 4096), { finishFlush: zlibConstants.Z_SYNC_FLUSH });
  } catch (err) {
    throw new DatasetFormatError(`${what} is not a readable gzip file (${(err as Error).message}).`);
  }
  const expected = declaredSize(head, what);
  try {
    return new Uint8Array(gunzipSync(buffer, { maxOutputLength: Math.max(expected, 1) }));
  } catch (err) {
    if (err instanceof RangeError || (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new DatasetFormatError(`${what} inflates to more than the ${expected} bytes its IDX header declares.`);
    }
    throw new DatasetFormatError(`${what} is a truncated or corrupt gzip file (${(err as Error).message}).`);
  }
}

/** Header plus data size an IDX header declares; the dims must be readable from `head`. */
function declaredSize(head: Uint8Array, what: string): number {
  if (head.length < 4 || head[0] !== 0 || head[1] !== 0) throw new DatasetFormatError(`${what} is not an IDX file (it must start with two zero bytes).`);
  const rank = head[3];
  const header = 4 + 4 * rank;
  if (rank === 0 || head.length < header) throw new DatasetFormatError(`${what}: truncated IDX header.`);
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  let size = 1;
  for (let i = 0; i < rank; i++) size *= view.getUint32(4 + 4 * i, false);
  if (header + size > MAX_IDX_BYTES) throw new DatasetFormatError(`${what}: the IDX header declares ${size} bytes of data, more than the ${MAX_IDX_BYTES} this trainer reads.`);
  return header + size;
}

export function parseIdx(buffer: Uint8Array, what: string): IdxArray {
  const bytes = buffer[0] === 0x1f && buffer[1] === 0x8b ? gunzipIdx(buffer, what) : buffer;
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
  let buffer: Uint8Array;
  try {
    buffer = readFileSync(path);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new DatasetFormatError(e.code === 'EISDIR' ? `${path} is a folder, not an IDX file.` : `${path} could not be read (${e.code ?? e.message}).`);
  }
  return parseIdx(buffer, path);
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
