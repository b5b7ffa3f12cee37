// Hot path: see bench/micro/resource-edit.bench.ts.
// OTLP KeyValue lists and AnyValue at the wire level (opentelemetry/proto/common/v1/common.proto): a
// small object model, a decoder over a byte range and a two-pass encoder (size, then write). A decoded
// KeyValue keeps its original bytes (`raw`) so an untouched attribute is copied back byte for byte.
import { TAG, fieldOf } from './fields.ts';
import { WireReader, tagLenFieldSize, varintSize, writeTagLenHeader, writeVarint } from './wire.ts';

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
const EMPTY_VALUE: AnyValue = Object.freeze({ type: 'empty' });

const AV_STRING = TAG.AnyValue.stringValue;
const AV_BOOL = TAG.AnyValue.boolValue;
const AV_INT = TAG.AnyValue.intValue;
const AV_DOUBLE = TAG.AnyValue.doubleValue;
const AV_ARRAY = TAG.AnyValue.arrayValue;
const AV_KVLIST = TAG.AnyValue.kvlistValue;
const AV_BYTES = TAG.AnyValue.bytesValue;
const AV_STRINDEX_FIELD = fieldOf(TAG.AnyValue.stringValueStrindex);
const KV_KEY = TAG.KeyValue.key;
const KV_VALUE = TAG.KeyValue.value;
// ArrayValue.values and KeyValueList.values have the same tag (attributes.test.ts), so one list reader
// and one list writer serve both.
const LIST_VALUES = TAG.ArrayValue.values;

/** Decodes the body of a KeyValue in `buf[start, end)`; keeps a view of those bytes as `raw`. */
export function decodeKeyValue(buf: Buffer, start: number, end: number): KeyValue {
  const r = new WireReader(buf, start, end);
  let key = '';
  let value: AnyValue = EMPTY_VALUE;
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag === KV_KEY) key = r.string();
    else if (tag === KV_VALUE) {
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
      case AV_STRING:
        value = { type: 'string', value: r.string() };
        break;
      case AV_BOOL:
        value = { type: 'bool', value: r.uint64Number() !== 0 };
        break;
      case AV_INT:
        value = { type: 'int', value: BigInt.asIntN(64, r.uint64()) };
        break;
      case AV_DOUBLE:
        value = { type: 'double', value: r.double() };
        break;
      case AV_BYTES:
        value = { type: 'bytes', value: r.bytes() };
        break;
      case AV_ARRAY:
        value = { type: 'array', value: decodeList(r, decodeAnyValue) };
        break;
      case AV_KVLIST:
        value = { type: 'kvlist', value: decodeList(r, decodeKeyValue) };
        break;
      default:
        r.skip(tag & 7);
        // string_value_strindex (profiles only) is a member of the oneof: it replaces any earlier value.
        if (fieldOf(tag) === AV_STRINDEX_FIELD) value = EMPTY_VALUE;
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
    if (tag === LIST_VALUES) {
      const itemEnd = inner.lenEnd();
      out.push(decode(r.buf, inner.pos, itemEnd));
      inner.pos = itemEnd;
    } else inner.skip(tag & 7);
  }
  r.pos = end;
  return out;
}

/** Encoded size of a KeyValue body. */
function keyValueSize(kv: KeyValue): number {
  if (kv.raw !== undefined) return kv.raw.length;
  const keyLen = Buffer.byteLength(kv.key, 'utf8');
  // proto3: an empty key is left out; the value is always written, as Go's pdata does.
  return (keyLen > 0 ? tagLenFieldSize(KV_KEY, keyLen) : 0) + tagLenFieldSize(KV_VALUE, anyValueSize(kv.value));
}

/** Encoded size of an AnyValue body. */
function anyValueSize(v: AnyValue): number {
  switch (v.type) {
    case 'string':
      return tagLenFieldSize(AV_STRING, Buffer.byteLength(v.value, 'utf8'));
    case 'bool':
      return 2;
    case 'int':
      return 1 + int64Size(v.value);
    case 'double':
      return 9;
    case 'bytes':
      return tagLenFieldSize(AV_BYTES, v.value.length);
    case 'array':
      return tagLenFieldSize(AV_ARRAY, listSize(v.value, anyValueSize));
    case 'kvlist':
      return tagLenFieldSize(AV_KVLIST, listSize(v.value, keyValueSize));
    case 'empty':
      return 0;
  }
}

function listSize<T>(items: readonly T[], size: (item: T) => number): number {
  let n = 0;
  for (const item of items) n += tagLenFieldSize(LIST_VALUES, size(item));
  return n;
}

/**
 * A KeyValue with its encoded body made once (`raw`): an attribute written into many items (an
 * `upsert` of a configured value) is then copied, not sized and encoded again for each.
 */
export function encodedKeyValue(key: string, value: AnyValue): KeyValue {
  const kv = { key, value };
  const raw = Buffer.alloc(keyValueSize(kv));
  writeKeyValue(raw, 0, kv);
  return { key, value, raw };
}

/** Writes a KeyValue body at `pos`; returns the new position. */
function writeKeyValue(buf: Buffer, pos: number, kv: KeyValue): number {
  const raw = kv.raw;
  if (raw !== undefined) {
    // A few dozen bytes: a loop beats Buffer#copy, which makes typed-array views on every call.
    const n = raw.length;
    if (n > 64) return pos + raw.copy(buf, pos);
    for (let i = 0; i < n; i++) buf[pos + i] = raw[i] as number;
    return pos + n;
  }
  const keyLen = Buffer.byteLength(kv.key, 'utf8');
  if (keyLen > 0) {
    pos = writeTagLenHeader(buf, pos, KV_KEY, keyLen);
    pos += buf.write(kv.key, pos, 'utf8');
  }
  pos = writeTagLenHeader(buf, pos, KV_VALUE, anyValueSize(kv.value));
  return writeAnyValue(buf, pos, kv.value);
}

/** Writes an AnyValue body at `pos`; returns the new position. */
function writeAnyValue(buf: Buffer, pos: number, v: AnyValue): number {
  switch (v.type) {
    case 'string':
      pos = writeTagLenHeader(buf, pos, AV_STRING, Buffer.byteLength(v.value, 'utf8'));
      return pos + buf.write(v.value, pos, 'utf8');
    case 'bool':
      buf[pos] = AV_BOOL;
      buf[pos + 1] = v.value ? 1 : 0;
      return pos + 2;
    case 'int':
      buf[pos] = AV_INT;
      return writeInt64(buf, pos + 1, v.value);
    case 'double':
      buf[pos] = AV_DOUBLE;
      buf.writeDoubleLE(v.value, pos + 1);
      return pos + 9;
    case 'bytes':
      pos = writeTagLenHeader(buf, pos, AV_BYTES, v.value.length);
      return pos + v.value.copy(buf, pos);
    case 'array':
      pos = writeTagLenHeader(buf, pos, AV_ARRAY, listSize(v.value, anyValueSize));
      return writeList(buf, pos, v.value, anyValueSize, writeAnyValue);
    case 'kvlist':
      pos = writeTagLenHeader(buf, pos, AV_KVLIST, listSize(v.value, keyValueSize));
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
    pos = writeTagLenHeader(buf, pos, LIST_VALUES, size(item));
    pos = write(buf, pos, item);
  }
  return pos;
}

/** Size of `kvs` as a repeated KeyValue field tagged `tag` (tags and length prefixes included). */
export function keyValuesFieldSize(kvs: readonly KeyValue[], tag: number): number {
  let n = 0;
  for (const kv of kvs) n += tagLenFieldSize(tag, keyValueSize(kv));
  return n;
}

/** Writes `kvs` as a repeated KeyValue field tagged `tag`; returns the new position. */
export function writeKeyValuesField(buf: Buffer, pos: number, kvs: readonly KeyValue[], tag: number): number {
  for (const kv of kvs) {
    pos = writeTagLenHeader(buf, pos, tag, keyValueSize(kv));
    pos = writeKeyValue(buf, pos, kv);
  }
  return pos;
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
