// Hot path: see bench/store/suite.ts.
// Reading a request for the store without decoding it: where a singular field lies in a message (one
// routine for a ResourceSpans' resource and a ScopeSpans' scope), and what one span brings to the indexes.
import { TAG } from '../../../pdata/fields.ts';
import { WireReader } from '../../../pdata/wire.ts';
import { hashEvent, hashKeyValue, hashStatus, reader, TRACE_STATE_PREFIX } from './wire-tag-hash.ts';
import { fnvBytes } from '../tag-hash.ts';

const T_SPAN_TRACE_ID = TAG.Span.traceId;
const T_SPAN_TRACE_STATE = TAG.Span.traceState;
const T_SPAN_NAME = TAG.Span.name;
const T_SPAN_KIND = TAG.Span.kind;
const T_SPAN_START = TAG.Span.startTimeUnixNano;
const T_SPAN_END = TAG.Span.endTimeUnixNano;
const T_SPAN_ATTR = TAG.Span.attributes;
const T_SPAN_EVENT = TAG.Span.events;
const T_SPAN_STATUS = TAG.Span.status;

/** A byte range `[start, end)`; both 0 when a field is absent. */
export interface FieldRange {
  start: number;
  end: number;
}

const R_FIELD = new WireReader(Buffer.alloc(0));

/**
 * Where the length-delimited field `tag` lies in the message `buf[start, end)`, into `out`. The last
 * occurrence wins, as protobuf's last-one-wins rule for a repeated singular field.
 */
export function fieldRange(buf: Buffer, start: number, end: number, tag: number, out: FieldRange): FieldRange {
  out.start = out.end = 0;
  const r = reader(R_FIELD, buf, start, end);
  while (r.pos < end) {
    const t = r.tag();
    if (t === tag) {
      out.end = r.lenEnd();
      out.start = r.pos;
      r.pos = out.end;
    } else r.skip(t & 7);
  }
  return out;
}

/** Everything the indexes learn about one span. Tag hashes are `hashes[0, hashCount)`. */
export interface SpanScan {
  traceKey: string;
  nameStart: number;
  nameEnd: number;
  kind: number;
  startUs: number;
  endUs: number;
  readonly hashes: number[];
  hashCount: number;
}

/** Most tag hashes one span contributes (past this a search confirms on decoded spans anyway). */
const MAX_SPAN_HASHES = 256;

/** A fresh scan record, reused span after span. */
export function newSpanScan(): SpanScan {
  const hashes = new Array<number>(MAX_SPAN_HASHES).fill(0);
  return { traceKey: '', nameStart: 0, nameEnd: 0, kind: 0, startUs: 0, endUs: 0, hashes, hashCount: 0 };
}

const R_SPAN = new WireReader(Buffer.alloc(0));

/** Scans the Span in `buf[start, end)` into `s`; `s.traceKey` is '' when it has no 16-byte trace id. */
export function scanSpan(buf: Buffer, start: number, end: number, keys: TraceKeys, s: SpanScan): void {
  s.traceKey = '';
  s.nameStart = s.nameEnd = s.kind = s.startUs = s.endUs = 0;
  const hashes = s.hashes;
  let nh = 0;
  const r = reader(R_SPAN, buf, start, end);
  while (r.pos < end) {
    const tag = r.tag();
    switch (tag) {
      case T_SPAN_TRACE_ID: {
        const e = r.lenEnd();
        if (e - r.pos === 16) s.traceKey = keys.at(buf, r.pos);
        r.pos = e;
        break;
      }
      case T_SPAN_NAME:
        s.nameEnd = r.lenEnd();
        s.nameStart = r.pos;
        r.pos = s.nameEnd;
        break;
      case T_SPAN_KIND:
        s.kind = r.uint32();
        break;
      case T_SPAN_START:
        s.startUs = readMicros(r);
        break;
      case T_SPAN_END:
        s.endUs = readMicros(r);
        break;
      case T_SPAN_ATTR: {
        const e = r.lenEnd();
        if (nh < hashes.length) hashes[nh++] = hashKeyValue(buf, r.pos, e);
        r.pos = e;
        break;
      }
      case T_SPAN_EVENT: {
        const e = r.lenEnd();
        nh = hashEvent(buf, r.pos, e, hashes, nh);
        r.pos = e;
        break;
      }
      case T_SPAN_STATUS: {
        const e = r.lenEnd();
        nh = hashStatus(buf, r.pos, e, hashes, nh);
        r.pos = e;
        break;
      }
      case T_SPAN_TRACE_STATE: {
        const e = r.lenEnd();
        if (e > r.pos && nh < hashes.length) hashes[nh++] = fnvBytes(TRACE_STATE_PREFIX, buf, r.pos, e) | 0;
        r.pos = e;
        break;
      }
      default:
        r.skip(tag & 7);
    }
  }
  s.hashCount = nh;
}

/** A fixed64 of nanoseconds as whole microseconds, exactly (for times before the year 2255). */
function readMicros(r: WireReader): number {
  const lo = r.fixed32();
  const hi = r.fixed32();
  // ns = hi·2^32 + lo = hi·4294967·1000 + hi·296 + lo
  return hi * 4294967 + Math.floor((hi * 296 + lo) / 1000);
}

// Buffer's own slice methods, without toString's encoding lookup (hot on ingest).
const rawSlices = Buffer.prototype as unknown as {
  utf8Slice(this: Buffer, start: number, end: number): string;
  latin1Slice(this: Buffer, start: number, end: number): string;
};

/** `buf[start, end)` as UTF-8 text. */
export const utf8 = (buf: Buffer, start: number, end: number): string => rawSlices.utf8Slice.call(buf, start, end);
const latin1 = (buf: Buffer, start: number, end: number): string => rawSlices.latin1Slice.call(buf, start, end);

/**
 * Trace ids as map keys (16 latin1 characters). Spans of one trace often come in a row: the previous
 * span's key is reused when the bytes are equal, sparing a string per span.
 */
export class TraceKeys {
  private prevBuf: Buffer | undefined = undefined;
  private prevPos = 0;
  private prevKey = '';

  /** The key of the 16 bytes at `buf[pos]`. */
  at(buf: Buffer, pos: number): string {
    const pb = this.prevBuf;
    if (pb === buf && sameId(buf, pos, this.prevPos)) {
      this.prevPos = pos;
      return this.prevKey;
    }
    this.prevBuf = buf;
    this.prevPos = pos;
    this.prevKey = latin1(buf, pos, pos + 16);
    return this.prevKey;
  }

  /** Forgets the request (its buffer may be reused by the caller). */
  reset(): void {
    this.prevBuf = undefined;
  }
}

function sameId(buf: Buffer, a: number, b: number): boolean {
  for (let i = 0; i < 16; i++) if (buf[a + i] !== buf[b + i]) return false;
  return true;
}
