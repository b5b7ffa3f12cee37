// Generic plain-object → protobuf encoder driven by schema.ts, the inverse of decode.ts (same object
// model, see README.md). Two passes: sizes first (kept in pre-order in one array), then one allocation.
// Used to build OTLP/JSON requests and export responses; not on the span hot path.
import type { Signal } from '../contracts/signal.ts';
import { message, REQUEST, type FieldSpec, type MessageSpec } from './schema.ts';
import { tag } from './fields.ts';
import { varintSize, writeVarint, WIRE_LEN } from './wire.ts';
import type { PMessage, PValue } from './decode.ts';

/** A value that cannot be encoded in its field (a programming error: JSON input is checked before). */
export class EncodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EncodeError';
  }
}

/** Encodes an Export*ServiceRequest object of `signal`. */
export function encodeRequest(signal: Signal, obj: PMessage): Buffer {
  return encodeMessage(REQUEST[signal], obj);
}

/**
 * Encodes `obj` as the schema message `name`. Fields at their proto3 default are left out unless they
 * have explicit presence (oneof members, `optional`); repeated scalars are written packed.
 */
export function encodeMessage(name: string, obj: PMessage): Buffer {
  const spec = message(name);
  const sizes: number[] = [];
  const size = sizeOf(spec, obj, sizes);
  const buf = Buffer.allocUnsafe(size);
  cursor = 0;
  const end = write(spec, obj, buf, 0, sizes);
  if (end !== size) throw new EncodeError(`internal: wrote ${end} of ${size} bytes`);
  return buf;
}

// The next entry of `sizes` to consume while writing (sizes are consumed in the order they were pushed).
let cursor = 0;

function sizeOf(spec: MessageSpec, obj: PMessage, sizes: number[]): number {
  let size = 0;
  for (const f of spec.fields) {
    const v = obj[f.json];
    if (v === undefined) continue;
    const tagSize = varintSize(tag(f.no, f.wireType));
    if (f.repeated) {
      const list = asList(f, v);
      if (list.length === 0) continue;
      if (f.wireType !== WIRE_LEN) {
        let payload = 0;
        for (const el of list) payload += scalarSize(f, el);
        sizes.push(payload);
        size += tagSize + varintSize(payload) + payload;
      } else for (const el of list) size += tagSize + lenValueSize(f, el, sizes);
    } else if (f.kind === 'message' || f.presence || !isDefault(f, v)) {
      size += tagSize + (f.wireType === WIRE_LEN ? lenValueSize(f, v, sizes) : scalarSize(f, v));
    }
  }
  return size;
}

/** Length prefix + payload of a string, bytes or message value. */
function lenValueSize(f: FieldSpec, v: PValue, sizes: number[]): number {
  if (f.kind !== 'message') {
    const n = f.kind === 'string' ? Buffer.byteLength(asString(f, v)) : asBytes(f, v).length;
    return varintSize(n) + n;
  }
  const at = sizes.length;
  sizes.push(0);
  const n = sizeOf(message(f.ref), asMessage(f, v), sizes);
  sizes[at] = n;
  return varintSize(n) + n;
}

function write(spec: MessageSpec, obj: PMessage, buf: Buffer, pos: number, sizes: readonly number[]): number {
  for (const f of spec.fields) {
    const v = obj[f.json];
    if (v === undefined) continue;
    if (f.repeated) {
      const list = asList(f, v);
      if (list.length === 0) continue;
      if (f.wireType !== WIRE_LEN) {
        pos = writeVarint(buf, pos, tag(f.no, WIRE_LEN));
        pos = writeVarint(buf, pos, sizes[cursor++] as number);
        for (const el of list) pos = writeScalar(f, el, buf, pos);
      } else for (const el of list) pos = writeLenValue(f, el, buf, writeVarint(buf, pos, tag(f.no, WIRE_LEN)), sizes);
    } else if (f.kind === 'message' || f.presence || !isDefault(f, v)) {
      pos = writeVarint(buf, pos, tag(f.no, f.wireType));
      pos = f.wireType === WIRE_LEN ? writeLenValue(f, v, buf, pos, sizes) : writeScalar(f, v, buf, pos);
    }
  }
  return pos;
}

function writeLenValue(f: FieldSpec, v: PValue, buf: Buffer, pos: number, sizes: readonly number[]): number {
  if (f.kind === 'message') {
    pos = writeVarint(buf, pos, sizes[cursor++] as number);
    return write(message(f.ref), asMessage(f, v), buf, pos, sizes);
  }
  if (f.kind === 'string') {
    const s = asString(f, v);
    const n = Buffer.byteLength(s);
    pos = writeVarint(buf, pos, n);
    return pos + buf.write(s, pos, n, 'utf8');
  }
  const bytes = asBytes(f, v);
  pos = writeVarint(buf, pos, bytes.length);
  buf.set(bytes, pos);
  return pos + bytes.length;
}

function scalarSize(f: FieldSpec, v: PValue): number {
  switch (f.wireType) {
    case 1:
      return 8;
    case 5:
      return 4;
    default:
      return varint64Size(varintBits(f, v));
  }
}

function writeScalar(f: FieldSpec, v: PValue, buf: Buffer, pos: number): number {
  switch (f.kind) {
    case 'double':
      return buf.writeDoubleLE(asNumber(f, v), pos);
    case 'float':
      return buf.writeFloatLE(asNumber(f, v), pos);
    case 'fixed32':
    case 'sfixed32':
      return buf.writeUInt32LE(asInt(f, v, 32) >>> 0, pos);
    case 'fixed64':
    case 'sfixed64':
      return buf.writeBigUInt64LE(BigInt.asUintN(64, asBigInt(f, v)), pos);
    default:
      return writeVarint64(buf, pos, varintBits(f, v));
  }
}

/** The unsigned 64-bit pattern a varint field carries (two's complement, or zigzag for sint*). */
function varintBits(f: FieldSpec, v: PValue): bigint | number {
  switch (f.kind) {
    case 'bool':
      return v === true ? 1 : 0;
    case 'uint32':
      return asInt(f, v, 32) >>> 0;
    case 'sint32': {
      const n = asInt(f, v, 32);
      return ((n << 1) ^ (n >> 31)) >>> 0;
    }
    case 'sint64': {
      const n = asBigInt(f, v);
      return BigInt.asUintN(64, (n << 1n) ^ (n >> 63n));
    }
    case 'int64':
    case 'uint64':
      return BigInt.asUintN(64, asBigInt(f, v));
    default: {
      // int32 and enum: negative values are sign-extended to 10 bytes, as protobuf specifies.
      const n = asInt(f, v, 32);
      return n >= 0 ? n : BigInt.asUintN(64, BigInt(n));
    }
  }
}

function varint64Size(n: bigint | number): number {
  if (typeof n === 'number') return varintSize(n);
  let size = 1;
  while (n >= 0x80n) {
    n >>= 7n;
    size++;
  }
  return size;
}

function writeVarint64(buf: Buffer, pos: number, n: bigint | number): number {
  if (typeof n === 'number') return writeVarint(buf, pos, n);
  while (n >= 0x80n) {
    buf[pos++] = Number(n & 0x7fn) | 0x80;
    n >>= 7n;
  }
  buf[pos++] = Number(n);
  return pos;
}

function isDefault(f: FieldSpec, v: PValue): boolean {
  if (typeof v === 'string') return v === '' || (f.kind !== 'string' && /^-?0+$/.test(v));
  if (typeof v === 'number') return v === 0;
  if (typeof v === 'boolean') return !v;
  return Buffer.isBuffer(v) && v.length === 0;
}

function fail(f: FieldSpec, what: string): never {
  throw new EncodeError(`field ${f.name}: ${what}`);
}

function asList(f: FieldSpec, v: PValue): readonly PValue[] {
  return Array.isArray(v) ? (v as readonly PValue[]) : fail(f, 'expected a list');
}

function asMessage(f: FieldSpec, v: PValue): PMessage {
  return typeof v === 'object' && !Array.isArray(v) && !Buffer.isBuffer(v)
    ? (v as PMessage)
    : fail(f, 'expected an object');
}

function asString(f: FieldSpec, v: PValue): string {
  return typeof v === 'string' ? v : fail(f, 'expected a string');
}

function asBytes(f: FieldSpec, v: PValue): Uint8Array {
  return v instanceof Uint8Array ? v : fail(f, 'expected bytes');
}

function asNumber(f: FieldSpec, v: PValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  return fail(f, 'expected a number');
}

function asInt(f: FieldSpec, v: PValue, bits: 32): number {
  const n = asNumber(f, v);
  if (!Number.isInteger(n) || n < -(2 ** (bits - 1)) || n > 2 ** bits - 1)
    fail(f, `${JSON.stringify(v)} is not a ${bits}-bit integer`);
  return n;
}

/** int64-family values: a decimal string or an integral number, within [-2^63, 2^64). */
function asBigInt(f: FieldSpec, v: PValue): bigint {
  let n: bigint | undefined;
  if (typeof v === 'number' && Number.isInteger(v)) n = BigInt(v);
  else if (typeof v === 'string' && /^-?\d+$/.test(v)) n = BigInt(v);
  if (n === undefined || n < -(2n ** 63n) || n >= 2n ** 64n)
    return fail(f, `${JSON.stringify(v)} is not a 64-bit integer`);
  return n;
}
