// The part of TensorFlow's OpDef protobuf that graph building needs: which input arguments are lists.
// An eager op takes its inputs flat; a graph node must be told which of them form a list argument (ConcatV2's
// `values`, AddN's `inputs`), and the OpDef, which the addon hands over serialized, is the only place that says.
export interface InputArg {
  name: string;
  /** A list of `number_attr` tensors of one type (e.g. N). */
  numberAttr?: string;
  /** A list whose types are the attr's list (e.g. T of IdentityN). */
  typeListAttr?: string;
}

export interface OpDefInputs { name: string; inputs: InputArg[] }

/** Decodes name (field 1) and input_arg (field 2) of an OpDef; other fields are skipped. */
export function parseOpDef(bytes: Uint8Array): OpDefInputs {
  const op: OpDefInputs = { name: '', inputs: [] };
  for (const field of fields(bytes)) {
    if (field.number === 1 && field.bytes) op.name = utf8(field.bytes);
    if (field.number === 2 && field.bytes) op.inputs.push(parseArgDef(field.bytes));
  }
  return op;
}

function parseArgDef(bytes: Uint8Array): InputArg {
  const arg: InputArg = { name: '' };
  for (const field of fields(bytes)) {
    if (!field.bytes) continue;
    const text = utf8(field.bytes);
    if (field.number === 1) arg.name = text;
    if (field.number === 5 && text) arg.numberAttr = text;
    if (field.number === 6 && text) arg.typeListAttr = text;
  }
  return arg;
}

interface Field { number: number; bytes?: Uint8Array }

function* fields(bytes: Uint8Array): Generator<Field> {
  let pos = 0;
  const varint = (): number => {
    let value = 0;
    let scale = 1;
    for (;;) {
      if (pos >= bytes.length) throw new Error('truncated OpDef');
      const b = bytes[pos++];
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
      scale *= 128;
    }
  };
  while (pos < bytes.length) {
    const key = varint();
    const wire = key % 8;
    const number = Math.floor(key / 8);
    if (wire === 0) { varint(); yield { number }; }
    else if (wire === 1) { pos += 8; yield { number }; }
    else if (wire === 5) { pos += 4; yield { number }; }
    else if (wire === 2) {
      const length = varint();
      if (pos + length > bytes.length) throw new Error('truncated OpDef');
      yield { number, bytes: bytes.subarray(pos, pos + length) };
      pos += length;
    } else throw new Error(`OpDef: unsupported wire type ${wire}`);
  }
}

const decoder = new TextDecoder();
const utf8 = (bytes: Uint8Array) => decoder.decode(bytes);
