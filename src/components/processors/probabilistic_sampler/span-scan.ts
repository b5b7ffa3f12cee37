// Hot path: see bench/micro/probabilistic-sampler.bench.ts.
// Reads what sampling needs from a Span body without decoding it: where its trace id is (the last
// one, as protobuf decoding keeps), its tracestate (the last one), and its `sampling.priority`.
// Fields with a one-byte tag and a one-byte length (or a one-byte varint, or a fixed64) are hopped
// over inline; anything else goes through WireReader, which also reports malformed input.
import { TAG } from '../../../pdata/fields.ts';
import { WIRE_I64, WIRE_LEN, WIRE_VARINT, WireReader } from '../../../pdata/wire.ts';
import { priorityOfAttribute } from './priority.ts';
import { PRIORITY_DEFER, type Priority } from './span-decision.ts';

const TRACE_ID = TAG.Span.traceId;
const TRACE_STATE = TAG.Span.traceState;
const ATTRIBUTES = TAG.Span.attributes;
const KV_KEY = TAG.KeyValue.key;
const PRIORITY_KEY_LENGTH = 'sampling.priority'.length;

/** One scan's result; reused from span to span (no object per span). */
export class SpanScan {
  /** Offset of the 16-byte trace id, or -1 when absent or all zeros (Go's TraceID.IsEmpty). */
  traceIdStart = -1;
  traceStateStart = 0;
  traceStateEnd = 0;
  priority: Priority = PRIORITY_DEFER;
  private havePriority = false;
  // Reused: a reader per span and per attribute was most of the cost (bench: ~560 kB per 1,000 spans).
  private readonly r = new WireReader(Buffer.alloc(0));
  private readonly attributeReader = new WireReader(Buffer.alloc(0));

  /** Scans the Span body `buf[start, end)`. Throws WireError on malformed input. */
  scan(buf: Buffer, start: number, end: number): void {
    this.traceIdStart = -1;
    this.traceStateStart = this.traceStateEnd = 0;
    this.priority = PRIORITY_DEFER;
    this.havePriority = false;
    let pos = start;
    while (pos < end) {
      const t = buf[pos] as number;
      // One-byte tags of field 1–15 (0x08–0x7f); field 0 and longer tags take the generic path.
      if (t >= 0x08 && t < 0x80) {
        const wt = t & 7;
        const b = buf[pos + 1];
        if (wt === WIRE_LEN && b !== undefined && b < 0x80 && pos + 2 + b <= end) {
          this.field(buf, t, pos + 2, pos + 2 + b);
          pos += 2 + b;
          continue;
        }
        if (wt === WIRE_VARINT && b !== undefined && b < 0x80 && pos + 2 <= end) {
          pos += 2;
          continue;
        }
        if (wt === WIRE_I64 && pos + 9 <= end) {
          pos += 9;
          continue;
        }
      }
      pos = this.genericField(buf, pos, end);
    }
  }

  /** Reads one field with WireReader (multi-byte tags or lengths, and malformed input); returns its end. */
  private genericField(buf: Buffer, pos: number, end: number): number {
    const r = this.r;
    r.buf = buf;
    r.pos = pos;
    r.end = end;
    const tag = r.tag();
    if ((tag & 7) !== WIRE_LEN) {
      r.skip(tag & 7);
      return r.pos;
    }
    const fieldEnd = r.lenEnd();
    this.field(buf, tag, r.pos, fieldEnd);
    return fieldEnd;
  }

  /** Notes a length-delimited field of the span. */
  private field(buf: Buffer, tag: number, start: number, end: number): void {
    if (tag === TRACE_ID) {
      this.traceIdStart = end - start === 16 && !isZero(buf, start, end) ? start : -1;
    } else if (tag === TRACE_STATE) {
      this.traceStateStart = start;
      this.traceStateEnd = end;
    } else if (tag === ATTRIBUTES && !this.havePriority) {
      // Most keys are not 17 bytes long: when the key comes first with a one-byte length (as every
      // encoder writes it), that byte rules the attribute out without a call.
      if (buf[start] === KV_KEY && (buf[start + 1] as number) < 0x80 && buf[start + 1] !== PRIORITY_KEY_LENGTH) return;
      const p = priorityOfAttribute(this.attributeReader, buf, start, end);
      if (p !== undefined) {
        this.priority = p;
        this.havePriority = true;
      }
    }
  }
}

function isZero(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (buf[i] !== 0) return false;
  return true;
}
