// Hot path: see bench/micro/resource-edit.bench.ts and validate.bench.ts (every scan reads through here).
// Protobuf wire-format primitives (https://protobuf.dev/programming-guides/encoding/): a cursor that
// reads tags, varints and length-delimited fields without allocating, and size/write helpers for the
// two-pass writers (size first, then one allocation). Malformed input throws WireError; callers catch
// it once per request at the receiver boundary, never inside a loop.

export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;
// 3 and 4 (groups) are deprecated and never in OTLP: every reader here refuses them.
export const WIRE_I32 = 5;

/** Malformed protobuf: truncated, a bad wire type, a length past the end. */
export class WireError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WireError';
  }
}

/** A read cursor over `buf[pos, end)`. Fields are public so hot loops can read them without calls. */
export class WireReader {
  buf: Buffer;
  pos: number;
  end: number;

  constructor(buf: Buffer, pos = 0, end = buf.length) {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
  }

  hasMore(): boolean {
    return this.pos < this.end;
  }

  /** Reads a field tag (`field << 3 | wireType`); rejects field number 0 and unknown wire types. */
  tag(): number {
    const t = this.uint32();
    const wt = t & 7;
    if (t >>> 3 === 0 || wt === 6 || wt === 7) throw new WireError(`invalid tag ${t} at offset ${this.pos}`);
    return t;
  }

  /** A varint that must fit 32 bits (tags, lengths, enums, int32); higher bits are dropped as protobuf does. */
  uint32(): number {
    const buf = this.buf;
    let pos = this.pos;
    let result = 0;
    let shift = 0;
    while (pos < this.end) {
      const b = buf[pos++] as number;
      if (shift < 32) result |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        return result >>> 0;
      }
      shift += 7;
      if (shift > 63) break;
    }
    throw new WireError(`truncated or overlong varint at offset ${this.pos}`);
  }

  /** A varint read as a JS number (exact up to 2^53). */
  uint64Number(): number {
    const buf = this.buf;
    let pos = this.pos;
    let result = 0;
    let mul = 1;
    while (pos < this.end) {
      const b = buf[pos++] as number;
      result += (b & 0x7f) * mul;
      if (b < 0x80) {
        this.pos = pos;
        return result;
      }
      mul *= 128;
      if (mul > 2 ** 63) break;
    }
    throw new WireError(`truncated or overlong varint at offset ${this.pos}`);
  }

  /** A varint as an unsigned 64-bit bigint. */
  uint64(): bigint {
    const buf = this.buf;
    let pos = this.pos;
    let lo = 0n;
    let shift = 0n;
    while (pos < this.end) {
      const b = buf[pos++] as number;
      lo |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        return BigInt.asUintN(64, lo);
      }
      shift += 7n;
      if (shift > 63n) break;
    }
    throw new WireError(`truncated or overlong varint at offset ${this.pos}`);
  }

  /** Reads a length prefix and returns the end offset of the field's bytes, checked against `end`. */
  lenEnd(): number {
    const len = this.uint32();
    const end = this.pos + len;
    if (end > this.end) throw new WireError(`length ${len} at offset ${this.pos} runs past the end`);
    return end;
  }

  /** Reads a length-delimited field as a view (no copy). */
  bytes(): Buffer {
    const end = this.lenEnd();
    const view = this.buf.subarray(this.pos, end);
    this.pos = end;
    return view;
  }

  /** Reads a length-delimited field as UTF-8 text. */
  string(): string {
    const end = this.lenEnd();
    const s = this.buf.toString('utf8', this.pos, end);
    this.pos = end;
    return s;
  }

  fixed64(): bigint {
    this.need(8);
    const v = this.buf.readBigUInt64LE(this.pos);
    this.pos += 8;
    return v;
  }

  double(): number {
    this.need(8);
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }

  fixed32(): number {
    this.need(4);
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  /** Skips one field's value of wire type `wt` (groups are rejected: OTLP never uses them). */
  skip(wt: number): void {
    switch (wt) {
      case WIRE_VARINT:
        this.uint64Number();
        return;
      case WIRE_I64:
        this.need(8);
        this.pos += 8;
        return;
      case WIRE_LEN:
        this.pos = this.lenEnd();
        return;
      case WIRE_I32:
        this.need(4);
        this.pos += 4;
        return;
      default:
        throw new WireError(`unsupported wire type ${wt} at offset ${this.pos}`);
    }
  }

  private need(n: number): void {
    if (this.pos + n > this.end) throw new WireError(`truncated fixed-width field at offset ${this.pos}`);
  }
}

/** Bytes a varint of `n` (0 ≤ n < 2^53) takes. */
export function varintSize(n: number): number {
  if (n < 0x80) return 1;
  if (n < 0x4000) return 2;
  if (n < 0x200000) return 3;
  if (n < 0x10000000) return 4;
  let size = 4;
  let v = Math.floor(n / 0x10000000);
  while (v > 0) {
    size++;
    v = Math.floor(v / 128);
  }
  return size;
}

/** Writes a varint of `n` (0 ≤ n < 2^53) at `pos`; returns the new position. */
export function writeVarint(buf: Buffer, pos: number, n: number): number {
  while (n >= 0x80) {
    buf[pos++] = (n & 0x7f) | 0x80;
    n = n >= 0x80000000 ? Math.floor(n / 128) : n >>> 7;
  }
  buf[pos++] = n;
  return pos;
}

/** Size of a length-delimited field with tag `tag` (a fields.ts entry) and `len` payload bytes. */
export function tagLenFieldSize(tag: number, len: number): number {
  return varintSize(tag) + varintSize(len) + len;
}

/** Writes tag `tag` (a fields.ts entry) and the length prefix `len`; returns the position of the payload. */
export function writeTagLenHeader(buf: Buffer, pos: number, tag: number, len: number): number {
  return writeVarint(buf, writeVarint(buf, pos, tag), len);
}

/** Size of length-delimited field number `field` with `len` payload bytes (for messages outside fields.ts). */
export function lenFieldSize(field: number, len: number): number {
  return tagLenFieldSize((field << 3) | WIRE_LEN, len);
}

/** Writes the tag and length prefix of length-delimited field number `field`; returns the payload's position. */
export function writeLenHeader(buf: Buffer, pos: number, field: number, len: number): number {
  return writeTagLenHeader(buf, pos, (field << 3) | WIRE_LEN, len);
}
