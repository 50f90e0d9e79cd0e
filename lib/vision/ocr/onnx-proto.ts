/**
 * Just enough of the protobuf wire format to edit the node list of an ONNX model in memory:
 * messages are read as lists of fields whose bytes are kept, so every part of the model that is
 * not rewritten is written back byte for byte. No schema, no dependency.
 */

export interface ProtoField {
  no: number;
  /** Wire type: 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32. */
  wireType: number;
  /** Varint value (wire type 0). */
  int: bigint;
  /** Payload (wire types 1, 2, 5). */
  bytes: Uint8Array;
  /** The whole field as it was encoded (key included), to copy it unchanged. */
  raw: Uint8Array;
}

export class ModelFormatError extends Error {
  override name = 'ModelFormatError';
}

function readVarint(buf: Uint8Array, pos: number): [bigint, number] {
  let value = 0n;
  let shift = 0n;
  for (;;) {
    if (pos >= buf.length) throw new ModelFormatError('truncated varint in the ONNX model');
    const b = buf[pos++];
    value |= BigInt(b & 0x7f) << shift;
    if (!(b & 0x80)) return [value, pos];
    shift += 7n;
  }
}

const EMPTY: Uint8Array = new Uint8Array(0);

/** The fields of one message, in order. */
export function readFields(buf: Uint8Array): ProtoField[] {
  const out: ProtoField[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const start = pos;
    let key: bigint;
    [key, pos] = readVarint(buf, pos);
    const no = Number(key >> 3n);
    const wireType = Number(key & 7n);
    let int = 0n;
    let bytes: Uint8Array = EMPTY;
    if (wireType === 0) [int, pos] = readVarint(buf, pos);
    else if (wireType === 1 || wireType === 5) {
      const size = wireType === 1 ? 8 : 4;
      bytes = buf.subarray(pos, pos + size);
      pos += size;
    } else if (wireType === 2) {
      let len: bigint;
      [len, pos] = readVarint(buf, pos);
      bytes = buf.subarray(pos, pos + Number(len));
      pos += Number(len);
    } else throw new ModelFormatError(`unsupported protobuf wire type ${wireType} in the ONNX model`);
    if (pos > buf.length) throw new ModelFormatError('truncated field in the ONNX model');
    out.push({ no, wireType, int, bytes, raw: buf.subarray(start, pos) });
  }
  return out;
}

export function text(field: ProtoField | undefined): string {
  return field ? Buffer.from(field.bytes.buffer, field.bytes.byteOffset, field.bytes.byteLength).toString('utf8') : '';
}

function varint(n: number | bigint): Buffer {
  const out: number[] = [];
  let v = BigInt(n);
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return Buffer.from(out);
}

/** Encoders for the three kinds of field the rewrite writes. */
export const encode = {
  bytes: (no: number, payload: Uint8Array): Buffer =>
    Buffer.concat([varint((no << 3) | 2), varint(payload.length), payload]),
  string: (no: number, s: string): Buffer => encode.bytes(no, Buffer.from(s, 'utf8')),
  int: (no: number, n: number | bigint): Buffer => Buffer.concat([varint(no << 3), varint(n)]),
  float: (no: number, v: number): Buffer => {
    const b = Buffer.alloc(4);
    b.writeFloatLE(v);
    return Buffer.concat([varint((no << 3) | 5), b]);
  },
};
