// Hot path: see bench/micro/validate.bench.ts.
// The fast path of validate.ts for a Span body: straight-line checks of the common shapes (one-byte tags,
// 1–2 byte lengths, attribute values that are scalars or arrays of scalars). It never throws: at the first field it cannot show valid
// it returns that field's offset, and validate.ts walks the rest with the generic, schema-driven walk,
// which accepts it or reports it. So this file need only accept a subset of what the generic walk
// accepts, and every error message still comes from one place.
//
// Reads past `end` (or past the buffer, which give undefined) are harmless: every byte read is tested in
// a form that undefined fails, and every position is checked against `end` before it is kept. DataView
// reads, which would throw past the buffer, are made only after checking they end within `end`.

import { TAG } from './fields.ts';

// The tags compared below, as plain module constants. All but Span.flags (field 16: a two-byte tag)
// are one byte, so a tag compares with one byte of the buffer.
const S = TAG.Span;
const TRACE_ID = S.traceId;
const SPAN_ID = S.spanId;
const TRACE_STATE = S.traceState;
const PARENT_SPAN_ID = S.parentSpanId;
const NAME = S.name;
const KIND = S.kind;
const START_TIME = S.startTimeUnixNano;
const END_TIME = S.endTimeUnixNano;
const ATTRIBUTES = S.attributes;
const DROPPED_ATTRIBUTES = S.droppedAttributesCount;
const EVENTS = S.events;
const DROPPED_EVENTS = S.droppedEventsCount;
const LINKS = S.links;
const DROPPED_LINKS = S.droppedLinksCount;
const STATUS_FIELD = S.status;
// Span.flags as its two tag bytes, and as the little-endian 16-bit word they make.
const FLAGS_BYTE0 = (S.flags & 0x7f) | 0x80;
const FLAGS_BYTE1 = S.flags >>> 7;
const FLAGS_WORD = FLAGS_BYTE0 | (FLAGS_BYTE1 << 8);
// A tag byte followed by a one-byte length, as a little-endian 16-bit word: ids of their exact size.
const TRACE_ID_16 = TRACE_ID | (16 << 8);
const SPAN_ID_8 = SPAN_ID | (8 << 8);
const PARENT_SPAN_ID_8 = PARENT_SPAN_ID | (8 << 8);
const EVENT_TIME = TAG.SpanEvent.timeUnixNano;
const EVENT_NAME = TAG.SpanEvent.name;
const EVENT_ATTRIBUTES = TAG.SpanEvent.attributes;
const EVENT_DROPPED = TAG.SpanEvent.droppedAttributesCount;
const LINK_TRACE_ID = TAG.SpanLink.traceId;
const LINK_SPAN_ID = TAG.SpanLink.spanId;
const LINK_TRACE_STATE = TAG.SpanLink.traceState;
const LINK_ATTRIBUTES = TAG.SpanLink.attributes;
const LINK_DROPPED = TAG.SpanLink.droppedAttributesCount;
const LINK_FLAGS = TAG.SpanLink.flags;
const STATUS_MESSAGE = TAG.Status.message;
const STATUS_CODE = TAG.Status.code;
const KV_KEY = TAG.KeyValue.key;
const KV_VALUE = TAG.KeyValue.value;
const AV_STRING = TAG.AnyValue.stringValue;
const AV_BYTES = TAG.AnyValue.bytesValue;
const AV_INT = TAG.AnyValue.intValue;
const AV_BOOL = TAG.AnyValue.boolValue;
const AV_DOUBLE = TAG.AnyValue.doubleValue;
const AV_ARRAY = TAG.AnyValue.arrayValue;
const ARRAY_VALUES = TAG.ArrayValue.values;
// Bytes 2 and 3 of a KeyValue field read as a little-endian word: the key's tag, then its length (< 0x80).
const KEY_WORD = KV_KEY << 16;

/**
 * Skips the valid fields of the Span body `buf[pos, end)` and returns the offset where it stopped:
 * `end` when the whole body is valid, else the start of the first field left to the generic walk.
 * `view` is a DataView of exactly `buf`'s bytes.
 */
export function skipSpan(buf: Uint8Array, view: DataView, pos: number, end: number): number {
  pos = skipInOrder(buf, view, pos, end);
  while (pos < end) {
    const tag = buf[pos] as number;
    const next =
      (tag & 7) === 2 ? skipLengthField(buf, view, tag, pos + 1, end) : skipScalarField(buf, tag, pos + 1, end);
    if (next < 0) return pos;
    pos = next;
  }
  return pos;
}

/**
 * The usual fields in ascending number order, as encoders write them: one test per field instead of a
 * loop and a dispatch per field (measured: 135 → 111 ns/span for skipSpan alone). Returns the offset
 * of the first field it did not take; the loop in skipSpan does the rest.
 */
function skipInOrder(buf: Uint8Array, view: DataView, p: number, end: number): number {
  if (p + 18 <= end && view.getUint16(p, true) === TRACE_ID_16) p += 18; // trace_id, 16 bytes
  if (p + 10 <= end && view.getUint16(p, true) === SPAN_ID_8) p += 10; // span_id, 8 bytes
  if (p + 10 <= end && view.getUint16(p, true) === PARENT_SPAN_ID_8) p += 10; // parent_span_id, 8 bytes
  p = skipFlags(view, p, end); // protobufjs writes flags (16) here, in .proto declaration order
  if (buf[p] === NAME) {
    const next = skipBytes(buf, p + 1); // name
    if (!(next > p && next <= end)) return p;
    p = next;
  }
  if (buf[p] === KIND && (buf[p + 1] as number) < 0x80 && p + 2 <= end) p += 2; // kind
  if (buf[p] === START_TIME && p + 9 <= end) p += 9; // start_time_unix_nano
  if (buf[p] === END_TIME && p + 9 <= end) p += 9; // end_time_unix_nano
  p = skipAttributes(buf, view, p, end, ATTRIBUTES);
  while (buf[p] === EVENTS) {
    const next = skipMessage(buf, view, p + 1, end, EVENT);
    if (next < 0) return p;
    p = next;
  }
  if (buf[p] === STATUS_FIELD) {
    const next = skipMessage(buf, view, p + 1, end, STATUS);
    if (next < 0) return p;
    p = next;
  }
  return skipFlags(view, p, end); // in field number order, flags come last
}

/** Span flags (field 16, fixed32: a two-byte tag) at `p`, if there: the offset after them. */
function skipFlags(view: DataView, p: number, end: number): number {
  return p + 6 <= end && view.getUint16(p, true) === FLAGS_WORD ? p + 6 : p;
}

/** A length-delimited Span field whose length prefix is at `p`: its end, or -1. */
function skipLengthField(buf: Uint8Array, view: DataView, tag: number, p: number, end: number): number {
  switch (tag) {
    case ATTRIBUTES: {
      const next = skipAttributes(buf, view, p - 1, end, ATTRIBUTES);
      return next > p ? next : -1;
    }
    case EVENTS:
      return skipMessage(buf, view, p, end, EVENT);
    case LINKS:
      return skipMessage(buf, view, p, end, LINK);
    case STATUS_FIELD:
      return skipMessage(buf, view, p, end, STATUS);
  }
  const fieldEnd = skipBytes(buf, p);
  if (!(fieldEnd > p && fieldEnd <= end)) return -1;
  const len = fieldEnd - ((buf[p] as number) < 0x80 ? p + 1 : p + 2);
  if (tag === TRACE_ID) return len === 16 || len === 0 ? fieldEnd : -1; // trace_id: 16 bytes or empty
  if (tag === SPAN_ID || tag === PARENT_SPAN_ID) return len === 8 || len === 0 ? fieldEnd : -1; // span_id, parent_span_id
  return tag === TRACE_STATE || tag === NAME ? fieldEnd : -1; // trace_state, name
}

/** A varint or fixed-width Span field whose value starts at `p`: its end, or -1. */
function skipScalarField(buf: Uint8Array, tag: number, p: number, end: number): number {
  if (tag === START_TIME || tag === END_TIME) return p + 8 <= end ? p + 8 : -1; // start/end_time_unix_nano (fixed64)
  if (tag === KIND || tag === DROPPED_ATTRIBUTES || tag === DROPPED_EVENTS || tag === DROPPED_LINKS) {
    return skipVarint(buf, p, end); // kind, dropped_*
  }
  return tag === FLAGS_BYTE0 && buf[p] === FLAGS_BYTE1 && p + 5 <= end ? p + 5 : -1; // flags (fixed32), a two-byte tag
}

const EVENT = 0;
const LINK = 1;
const STATUS = 2;

/** A SpanEvent, SpanLink or Status whose length prefix is at `p`, within `end`: its end, or -1. */
function skipMessage(buf: Uint8Array, view: DataView, p: number, end: number, kind: number): number {
  const fieldEnd = skipBytes(buf, p);
  if (!(fieldEnd > p && fieldEnd <= end)) return -1;
  p += (buf[p] as number) < 0x80 ? 1 : 2;
  while (p < fieldEnd) {
    const next =
      kind === EVENT
        ? eventField(buf, view, p, fieldEnd)
        : kind === STATUS
          ? statusField(buf, p, fieldEnd)
          : linkField(buf, view, p, fieldEnd);
    if (!(next > p && next <= fieldEnd)) return -1;
    p = next;
  }
  return fieldEnd;
}

/** A SpanEvent field at `p`: time (fixed64), name, attributes, dropped count. */
function eventField(buf: Uint8Array, view: DataView, p: number, end: number): number {
  const tag = buf[p] as number;
  if (tag === EVENT_ATTRIBUTES) return skipAttributes(buf, view, p, end, EVENT_ATTRIBUTES);
  if (tag === EVENT_TIME) return p + 9;
  if (tag === EVENT_NAME) return skipBytes(buf, p + 1);
  return tag === EVENT_DROPPED ? skipVarint(buf, p + 1, end) : -1;
}

/** A SpanLink field at `p`: ids, trace state, attributes, dropped count, flags (fixed32). */
function linkField(buf: Uint8Array, view: DataView, p: number, end: number): number {
  switch (buf[p]) {
    case LINK_TRACE_ID:
      return buf[p + 1] === 16 ? p + 18 : buf[p + 1] === 0 ? p + 2 : -1;
    case LINK_SPAN_ID:
      return buf[p + 1] === 8 ? p + 10 : buf[p + 1] === 0 ? p + 2 : -1;
    case LINK_TRACE_STATE:
      return skipBytes(buf, p + 1);
    case LINK_ATTRIBUTES:
      return skipAttributes(buf, view, p, end, LINK_ATTRIBUTES);
    case LINK_DROPPED:
      return skipVarint(buf, p + 1, end);
    case LINK_FLAGS:
      return p + 5;
    default:
      return -1;
  }
}

/** A Status field at `p`: message, code. */
function statusField(buf: Uint8Array, p: number, end: number): number {
  const tag = buf[p] as number;
  if (tag === STATUS_CODE) return skipVarint(buf, p + 1, end);
  return tag === STATUS_MESSAGE ? skipBytes(buf, p + 1) : -1;
}

/** End of a length-delimited value whose 1–2 byte length prefix is at `p` (unbounded), or -1. */
function skipBytes(buf: Uint8Array, p: number): number {
  const len = buf[p] as number;
  if (len < 0x80) return p + 1 + len;
  const b = buf[p + 1] as number;
  return b < 0x80 ? p + 2 + ((len & 0x7f) | (b << 7)) : -1;
}

/** End of a varint of at most 10 bytes (as the generic walk allows) at `p` before `end`, or -1. */
function skipVarint(buf: Uint8Array, p: number, end: number): number {
  const max = p + 10 < end ? p + 10 : end;
  while (p < max) {
    if ((buf[p++] as number) < 0x80) return p;
  }
  return -1;
}

/**
 * Skips the run of KeyValue fields with tag `tag` starting at `p` and returns the offset after the last
 * one taken. A KeyValue is taken only as a key, then one value holding one scalar, each length filling
 * its parent exactly. (The generic walk skips a scalar AnyValue without a nesting check too, so taking
 * it here changes nothing.) The usual case, all lengths one byte, is read four bytes at a time: field
 * tag, length, key tag, key length; then value tag, length, AnyValue tag, first byte. Measured on
 * skipSpan alone: one byte at a time 135 ns/span, this 110; ten calls per span, one per KeyValue, were
 * not inlined and cost ~40 ns/span more, so the run is one call.
 */
function skipAttributes(buf: Uint8Array, view: DataView, p: number, end: number, tag: number): number {
  while (p + 4 <= end) {
    const w = view.getUint32(p, true);
    if ((w & 0xff) !== tag) break;
    let next = -1;
    if ((w & 0x80ff8000) === KEY_WORD) {
      const fieldEnd = p + 2 + ((w >>> 8) & 0x7f);
      const q = p + 4 + (w >>> 24);
      if (fieldEnd <= end && q + 4 <= fieldEnd) {
        const x = view.getUint32(q, true);
        if ((x & 0x80ff) === KV_VALUE && q + 2 + ((x >>> 8) & 0x7f) === fieldEnd) {
          const valueTag = (x >>> 16) & 0xff;
          const first = x >>> 24;
          if (valueTag === AV_STRING || valueTag === AV_BYTES) {
            if (q + 4 + first === fieldEnd) next = fieldEnd; // string_value, bytes_value (first < 0x80 follows)
          } else if (valueTag === AV_INT || valueTag === AV_BOOL) {
            if (skipVarint(buf, q + 3, fieldEnd) === fieldEnd) next = fieldEnd; // int_value, bool_value
          } else if (valueTag === AV_DOUBLE && q + 11 === fieldEnd) {
            next = fieldEnd; // double_value
          }
        }
      }
    }
    if (next < 0) next = skipLongAttribute(buf, p + 1, end);
    if (next < 0) break;
    p = next;
  }
  return p;
}

/**
 * One KeyValue, whose length prefix is at `p`, in the shapes skipAttributes leaves: 2-byte lengths, or a
 * value that is an array of scalars (measured: an array attribute left to the generic walk added
 * ~140 ns to its span, taken here ~30). Its end, or -1.
 */
function skipLongAttribute(buf: Uint8Array, p: number, end: number): number {
  const fieldEnd = skipBytes(buf, p);
  if (!(fieldEnd > p && fieldEnd <= end)) return -1;
  p += (buf[p] as number) < 0x80 ? 1 : 2;
  if (buf[p] === KV_KEY) p = skipBytes(buf, p + 1); // key
  if (buf[p] !== KV_VALUE || skipBytes(buf, p + 1) !== fieldEnd) return -1; // value, filling the rest
  p += (buf[p + 1] as number) < 0x80 ? 2 : 3;
  if (buf[p] !== AV_ARRAY) return isScalarValue(buf, p, fieldEnd) ? fieldEnd : -1;
  if (skipBytes(buf, p + 1) !== fieldEnd) return -1; // array_value, filling the value
  p += (buf[p + 1] as number) < 0x80 ? 2 : 3;
  while (p < fieldEnd) {
    const next = skipBytes(buf, p + 1); // ArrayValue.values: each a scalar AnyValue
    if (!(buf[p] === ARRAY_VALUES && next > p && next <= fieldEnd)) return -1;
    if (!isScalarValue(buf, (buf[p + 1] as number) < 0x80 ? p + 2 : p + 3, next)) return -1;
    p = next;
  }
  return fieldEnd;
}

/** Whether `[p, end)` is an AnyValue holding exactly one scalar: string, bytes, int, bool or double. */
function isScalarValue(buf: Uint8Array, p: number, end: number): boolean {
  const tag = buf[p] as number;
  if (tag === AV_STRING || tag === AV_BYTES) return skipBytes(buf, p + 1) === end;
  if (tag === AV_INT || tag === AV_BOOL) return skipVarint(buf, p + 1, end) === end;
  return tag === AV_DOUBLE && p + 9 === end;
}

/**
 * The end of any one field at `p` within `end`, or -1 where the generic walk would refuse its framing
 * (tag or length varint over 5 bytes, a value varint over 10, a group, anything running past `end`).
 * Lets validate.ts hand the generic walk that one field and resume the fast path after it.
 */
export function skipField(buf: Uint8Array, p: number, end: number): number {
  const wireType = (buf[p] as number) & 7;
  p = skipVarint32(buf, p, end);
  if (p < 0) return -1;
  if (wireType === 0) return skipVarint(buf, p, end);
  if (wireType === 1 || wireType === 5) {
    p += wireType === 1 ? 8 : 4;
    return p <= end ? p : -1;
  }
  if (wireType !== 2) return -1;
  let len = 0;
  let mul = 1;
  for (let i = 0; i < 5 && p < end; i++) {
    const b = buf[p++] as number;
    len += (b & 0x7f) * mul;
    if (b < 0x80) return p + len <= end ? p + len : -1;
    mul *= 128;
  }
  return -1;
}

/** End of a varint of at most 5 bytes (a tag or a length, as the generic walk reads them), or -1. */
function skipVarint32(buf: Uint8Array, p: number, end: number): number {
  return skipVarint(buf, p, p + 5 < end ? p + 5 : end);
}
