// Hot path: see bench/store/suite.ts.
// Tag hashes of a span computed on its wire bytes (attributes, events, status, trace state, kind), equal to
// the query side's hash of `key=AnyValue-as-Jaeger-string` (../tag-hash.ts), so traces are ruled out unread.
import { decodeAnyValue } from '../../../pdata/attributes.ts';
import { TAG } from '../../../pdata/fields.ts';
import { WireReader } from '../../../pdata/wire.ts';
import { SPAN_KIND_NAMES } from '../trace-store.ts';
import { FNV_OFFSET, anyValueString, fnvAscii, fnvByte, fnvBytes, tagHash } from '../tag-hash.ts';

// Module-level copies of the tags compared in the loops below (a constant load, not two property loads).
const T_KV_KEY = TAG.KeyValue.key;
const T_KV_VALUE = TAG.KeyValue.value;
const T_AV_STRING = TAG.AnyValue.stringValue;
const T_AV_BOOL = TAG.AnyValue.boolValue;
const T_AV_INT = TAG.AnyValue.intValue;
const T_AV_DOUBLE = TAG.AnyValue.doubleValue;
const T_EVENT_NAME = TAG.SpanEvent.name;
const T_EVENT_ATTR = TAG.SpanEvent.attributes;
const T_STATUS_MESSAGE = TAG.Status.message;
const T_STATUS_CODE = TAG.Status.code;

/** The hash of `span.kind=<name>` by SpanKind number (0 for unspecified: no tag). */
export const KIND_HASHES: readonly number[] = SPAN_KIND_NAMES.map((k) => (k === '' ? 0 : tagHash('span.kind', k)));
const STATUS_OK_HASH = tagHash('otel.status_code', 'OK');
const STATUS_ERROR_HASH = tagHash('otel.status_code', 'ERROR');
const ERROR_TRUE_HASH = tagHash('error', 'true');
const EVENT_PREFIX = keyPrefix('event');
const DESC_PREFIX = keyPrefix('otel.status_description');
/** The hash state after `w3c.tracestate=`: continue it over the trace state bytes. */
export const TRACE_STATE_PREFIX = keyPrefix('w3c.tracestate');

function keyPrefix(key: string): number {
  return fnvByte(fnvAscii(FNV_OFFSET, key), 0x3d);
}

// One reader per nesting level, reused (no allocation per attribute).
const R_KV = new WireReader(Buffer.alloc(0));
const R_VAL = new WireReader(Buffer.alloc(0));
const R_EVENT = new WireReader(Buffer.alloc(0));
const R_STATUS = new WireReader(Buffer.alloc(0));

/** Points a reused reader at `buf[start, end)`. */
export function reader(r: WireReader, buf: Buffer, start: number, end: number): WireReader {
  r.buf = buf;
  r.pos = start;
  r.end = end;
  return r;
}

/** The tag hash of a KeyValue in `buf[start, end)`. */
export function hashKeyValue(buf: Buffer, start: number, end: number): number {
  const r = reader(R_KV, buf, start, end);
  let kStart = 0;
  let kEnd = 0;
  let vStart = -1;
  let vEnd = 0;
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === T_KV_KEY) {
      kEnd = r.lenEnd();
      kStart = r.pos;
      r.pos = kEnd;
    } else if (tag === T_KV_VALUE) {
      vEnd = r.lenEnd();
      vStart = r.pos;
      r.pos = vEnd;
    } else r.skip(tag & 7);
  }
  const h = fnvByte(fnvBytes(FNV_OFFSET, buf, kStart, kEnd), 0x3d);
  return vStart < 0 ? h | 0 : hashValue(h, buf, vStart, vEnd) | 0;
}

/** Continues `h` over an AnyValue's string form; the common scalars without decoding. */
function hashValue(h: number, buf: Buffer, start: number, end: number): number {
  const r = reader(R_VAL, buf, start, end);
  if (r.pos >= end) return h;
  const tag = r.tag();
  switch (tag) {
    case T_AV_STRING: {
      const e = r.lenEnd();
      return fnvBytes(h, buf, r.pos, e);
    }
    case T_AV_BOOL:
      return fnvAscii(h, r.uint32() !== 0 ? 'true' : 'false');
    case T_AV_INT: {
      const p = r.pos;
      const n = r.uint64Number();
      // Up to 7 varint bytes (< 2^49) is exact as a number and never negative.
      if (r.pos - p <= 7 && r.pos === end) return fnvAscii(h, String(n));
      return slowHash(h, buf, start, end);
    }
    case T_AV_DOUBLE:
      if (r.pos + 8 === end) return fnvAscii(h, String(r.double()));
      return slowHash(h, buf, start, end);
    default:
      return slowHash(h, buf, start, end);
  }
}

/** Arrays, maps, bytes, negative ints and odd encodings: decode, then hash the string. */
function slowHash(h: number, buf: Buffer, start: number, end: number): number {
  const s = Buffer.from(anyValueString(decodeAnyValue(buf, start, end)), 'utf8');
  return fnvBytes(h, s, 0, s.length);
}

/** Appends the hashes of an Event's name and attributes to `hashes` from `nh`; returns the new count. */
export function hashEvent(buf: Buffer, start: number, end: number, hashes: number[], nh: number): number {
  const r = reader(R_EVENT, buf, start, end);
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === T_EVENT_NAME || tag === T_EVENT_ATTR) {
      const e = r.lenEnd();
      if (nh < hashes.length)
        hashes[nh++] = tag === T_EVENT_NAME ? fnvBytes(EVENT_PREFIX, buf, r.pos, e) | 0 : hashKeyValue(buf, r.pos, e);
      r.pos = e;
    } else r.skip(tag & 7);
  }
  return nh;
}

/** Appends the hashes a Status gives (otel.status_code, error, otel.status_description). */
export function hashStatus(buf: Buffer, start: number, end: number, hashes: number[], nh: number): number {
  const r = reader(R_STATUS, buf, start, end);
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === T_STATUS_CODE) {
      const code = r.uint32();
      if (nh + 2 > hashes.length) continue;
      if (code === 1) hashes[nh++] = STATUS_OK_HASH;
      else if (code === 2) {
        hashes[nh++] = STATUS_ERROR_HASH;
        hashes[nh++] = ERROR_TRUE_HASH;
      }
    } else if (tag === T_STATUS_MESSAGE) {
      const e = r.lenEnd();
      if (e > r.pos && nh < hashes.length) hashes[nh++] = fnvBytes(DESC_PREFIX, buf, r.pos, e) | 0;
      r.pos = e;
    } else r.skip(tag & 7);
  }
  return nh;
}

/** A tag hash bound to the service of the span that carries it (a search wants both on one span). */
export function serviceTag(h: number, serviceId: number): number {
  return Math.imul(h ^ (serviceId + 1), 0x9e3779b1) | 0;
}
