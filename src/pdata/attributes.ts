// Hot path: see bench/micro/resource-edit.bench.ts.
// OTLP KeyValue lists and AnyValue at the wire level (opentelemetry/proto/common/v1/common.proto): a
// small object model, a decoder over a byte range and a two-pass encoder (size, then write). A decoded
// KeyValue keeps its original bytes (`raw`) so an untouched attribute is copied back byte for byte.
import {
  WIRE_I64,
  WIRE_LEN,
  WIRE_VARINT,
  WireReader,
  lenFieldSize,
  varintSize,
  writeLenHeader,
  writeVarint,
} from './wire.ts';

/** An OTLP AnyValue. `int` is an int64 as a bigint; `empty` is an AnyValue with no value set. */
export type AnyValue =
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'bool'; readonly value: boolean }
  | { readonly type: 'int'; readonly value: bigint }
  | { readonly type: 'double'; readonly value: number }
  | { readonly type: 'bytes'; readonly value: Buffer }
  | { readonly type: 'array'; readonly value: readonly AnyValue[] }
  | { readonly type: 'kvlist'; readonly value: readonly KeyValue[] }
  | { readonly type: 'empty' };

/** One attribute. `raw` (the KeyValue's encoded body, as read) is only set on attributes never modified. */
export interface KeyValue {
  readonly key: string;
  readonly value: AnyValue;
  readonly raw?: Buffer;
}

/** The shared empty value. */
export const EMPTY_VALUE: AnyValue = Object.freeze({ type: 'empty' });

// AnyValue field numbers.
const AV_STRING = 1;
const AV_BOOL = 2;
const AV_INT = 3;
const AV_DOUBLE = 4;
const AV_ARRAY = 5;
const AV_KVLIST = 6;
const AV_BYTES = 7;
const AV_STRINDEX = 8;
// KeyValue fields; ArrayValue.values and KeyValueList.values are both field 1.
const KV_KEY = 1;
const KV_VALUE = 2;
const LIST_VALUES = 1;

/** Decodes the body of a KeyValue in `buf[start, end)`; keeps a view of those bytes as `raw`. */
export function decodeKeyValue(buf: Buffer, start: number, end: number): KeyValue {
  const r = new WireReader(buf, start, end);
  let key = '';
  let value: AnyValue = EMPTY_VALUE;
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag === ((KV_KEY << 3) | WIRE_LEN)) key = r.string();
    else if (tag === ((KV_VALUE << 3) | WIRE_LEN)) {
      const vEnd = r.lenEnd();
      value = decodeAnyValue(buf, r.pos, vEnd);
      r.pos = vEnd;
    } else r.skip(tag & 7);
  }
  return { key, value, raw: buf.subarray(start, end) };
}

/** Decodes the body of an AnyValue in `buf[start, end)`. A profiles-only string_value_strindex reads as empty. */
export function decodeAnyValue(buf: Buffer, start: number, end: number): AnyValue {
  const r = new WireReader(buf, start, end);
  let value: AnyValue = EMPTY_VALUE;
  // Protobuf: for a oneof seen several times the last one wins.
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case (AV_STRING << 3) | WIRE_LEN:
        value = { type: 'string', value: r.string() };
        break;
      case (AV_BOOL << 3) | WIRE_VARINT:
        value = { type: 'bool', value: r.uint64Number() !== 0 };
        break;
      case (AV_INT << 3) | WIRE_VARINT:
        value = { type: 'int', value: BigInt.asIntN(64, r.uint64()) };
        break;
      case (AV_DOUBLE << 3) | WIRE_I64:
        value = { type: 'double', value: r.double() };
        break;
      case (AV_BYTES << 3) | WIRE_LEN:
        value = { type: 'bytes', value: r.bytes() };
        break;
      case (AV_ARRAY << 3) | WIRE_LEN:
        value = { type: 'array', value: decodeList(r, decodeAnyValue) };
        break;
      case (AV_KVLIST << 3) | WIRE_LEN:
        value = { type: 'kvlist', value: decodeList(r, decodeKeyValue) };
        break;
      default:
        r.skip(tag & 7);
        // string_value_strindex (profiles only) is a member of the oneof: it replaces any earlier value.
        if (tag >>> 3 === AV_STRINDEX) value = EMPTY_VALUE;
    }
  }
  return value;
}

/** Reads an ArrayValue / KeyValueList body at the reader's position (a length-delimited field). */
function decodeList<T>(r: WireReader, decode: (buf: Buffer, start: number, end: number) => T): T[] {
  const end = r.lenEnd();
  const inner = new WireReader(r.buf, r.pos, end);
  const out: T[] = [];
  while (inner.pos < end) {
    const tag = inner.tag();
    if (tag === ((LIST_VALUES << 3) | WIRE_LEN)) {
      const itemEnd = inner.lenEnd();
      out.push(decode(r.buf, inner.pos, itemEnd));
      inner.pos = itemEnd;
    } else inner.skip(tag & 7);
  }
  r.pos = end;
  return out;
}

/** Decodes every `field` (a repeated KeyValue) of the message body `buf[start, end)`. */
export function decodeKeyValues(buf: Buffer, start: number, end: number, field: number): KeyValue[] {
  const r = new WireReader(buf, start, end);
  const out: KeyValue[] = [];
  const want = (field << 3) | WIRE_LEN;
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag === want) {
      const kvEnd = r.lenEnd();
      out.push(decodeKeyValue(buf, r.pos, kvEnd));
      r.pos = kvEnd;
    } else r.skip(tag & 7);
  }
  return out;
}

/** Encoded size of a KeyValue body. */
export function keyValueSize(kv: KeyValue): number {
  if (kv.raw !== undefined) return kv.raw.length;
  const keyLen = Buffer.byteLength(kv.key, 'utf8');
  // proto3: an empty key is left out; the value is always written, as Go's pdata does.
  return (keyLen > 0 ? lenFieldSize(KV_KEY, keyLen) : 0) + lenFieldSize(KV_VALUE, anyValueSize(kv.value));
}

/** Encoded size of an AnyValue body. */
export function anyValueSize(v: AnyValue): number {
  switch (v.type) {
    case 'string':
      return lenFieldSize(AV_STRING, Buffer.byteLength(v.value, 'utf8'));
    case 'bool':
      return 2;
    case 'int':
      return 1 + int64Size(v.value);
    case 'double':
      return 9;
    case 'bytes':
      return lenFieldSize(AV_BYTES, v.value.length);
    case 'array':
      return lenFieldSize(AV_ARRAY, listSize(v.value, anyValueSize));
    case 'kvlist':
      return lenFieldSize(AV_KVLIST, listSize(v.value, keyValueSize));
    case 'empty':
      return 0;
  }
}

function listSize<T>(items: readonly T[], size: (item: T) => number): number {
  let n = 0;
  for (const item of items) n += lenFieldSize(LIST_VALUES, size(item));
  return n;
}

/** Writes a KeyValue body at `pos`; returns the new position. */
export function writeKeyValue(buf: Buffer, pos: number, kv: KeyValue): number {
  if (kv.raw !== undefined) return pos + kv.raw.copy(buf, pos);
  const keyLen = Buffer.byteLength(kv.key, 'utf8');
  if (keyLen > 0) {
    pos = writeLenHeader(buf, pos, KV_KEY, keyLen);
    pos += buf.write(kv.key, pos, 'utf8');
  }
  pos = writeLenHeader(buf, pos, KV_VALUE, anyValueSize(kv.value));
  return writeAnyValue(buf, pos, kv.value);
}

/** Writes an AnyValue body at `pos`; returns the new position. */
export function writeAnyValue(buf: Buffer, pos: number, v: AnyValue): number {
  switch (v.type) {
    case 'string':
      pos = writeLenHeader(buf, pos, AV_STRING, Buffer.byteLength(v.value, 'utf8'));
      return pos + buf.write(v.value, pos, 'utf8');
    case 'bool':
      buf[pos] = (AV_BOOL << 3) | WIRE_VARINT;
      buf[pos + 1] = v.value ? 1 : 0;
      return pos + 2;
    case 'int':
      buf[pos] = (AV_INT << 3) | WIRE_VARINT;
      return writeInt64(buf, pos + 1, v.value);
    case 'double':
      buf[pos] = (AV_DOUBLE << 3) | WIRE_I64;
      buf.writeDoubleLE(v.value, pos + 1);
      return pos + 9;
    case 'bytes':
      pos = writeLenHeader(buf, pos, AV_BYTES, v.value.length);
      return pos + v.value.copy(buf, pos);
    case 'array':
      pos = writeLenHeader(buf, pos, AV_ARRAY, listSize(v.value, anyValueSize));
      return writeList(buf, pos, v.value, anyValueSize, writeAnyValue);
    case 'kvlist':
      pos = writeLenHeader(buf, pos, AV_KVLIST, listSize(v.value, keyValueSize));
      return writeList(buf, pos, v.value, keyValueSize, writeKeyValue);
    case 'empty':
      return pos;
  }
}

function writeList<T>(
  buf: Buffer,
  pos: number,
  items: readonly T[],
  size: (item: T) => number,
  write: (buf: Buffer, pos: number, item: T) => number,
): number {
  for (const item of items) {
    pos = writeLenHeader(buf, pos, LIST_VALUES, size(item));
    pos = write(buf, pos, item);
  }
  return pos;
}

/** Size of a repeated KeyValue `field` holding `kvs` (tags and length prefixes included). */
export function keyValuesFieldSize(kvs: readonly KeyValue[], field: number): number {
  let n = 0;
  for (const kv of kvs) n += lenFieldSize(field, keyValueSize(kv));
  return n;
}

/** Writes `kvs` as a repeated KeyValue `field`; returns the new position. */
export function writeKeyValuesField(buf: Buffer, pos: number, kvs: readonly KeyValue[], field: number): number {
  for (const kv of kvs) {
    pos = writeLenHeader(buf, pos, field, keyValueSize(kv));
    pos = writeKeyValue(buf, pos, kv);
  }
  return pos;
}

/** Encodes `kvs` as a message whose only field is the repeated KeyValue `field` (e.g. a Resource). */
export function encodeKeyValues(kvs: readonly KeyValue[], field = 1): Buffer {
  const buf = Buffer.allocUnsafe(keyValuesFieldSize(kvs, field));
  writeKeyValuesField(buf, 0, kvs, field);
  return buf;
}

/** Bytes an int64 varint takes: negative values are sign-extended to ten bytes. */
function int64Size(v: bigint): number {
  if (v >= 0n && v <= BigInt(Number.MAX_SAFE_INTEGER)) return varintSize(Number(v));
  if (v < 0n) return 10;
  let n = 1;
  for (let x = v >> 7n; x > 0n; x >>= 7n) n++;
  return n;
}

function writeInt64(buf: Buffer, pos: number, v: bigint): number {
  if (v >= 0n && v <= BigInt(Number.MAX_SAFE_INTEGER)) return writeVarint(buf, pos, Number(v));
  let u = BigInt.asUintN(64, v);
  while (u >= 0x80n) {
    buf[pos++] = Number(u & 0x7fn) | 0x80;
    u >>= 7n;
  }
  buf[pos++] = Number(u);
  return pos;
}
