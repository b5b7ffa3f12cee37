// Hot path: see bench/micro/probabilistic-sampler.bench.ts.
// Reads what sampling needs from a Span body without decoding it: where its trace id is (the last
// one, as protobuf decoding keeps), its tracestate (the last one), and its `sampling.priority`.
import { TAG } from '../../../pdata/fields.ts';
import { WireReader } from '../../../pdata/wire.ts';
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
  // Reused: a reader per span and per attribute was most of the cost (bench: ~560 kB per 1,000 spans).
  private readonly r = new WireReader(Buffer.alloc(0));
  private readonly attributeReader = new WireReader(Buffer.alloc(0));

  /** Scans the Span body `buf[start, end)`. Throws WireError on malformed input. */
  scan(buf: Buffer, start: number, end: number): void {
    this.traceIdStart = -1;
    this.traceStateStart = this.traceStateEnd = 0;
    this.priority = PRIORITY_DEFER;
    let havePriority = false;
    const r = this.r;
    r.buf = buf;
    r.pos = start;
    r.end = end;
    while (r.pos < r.end) {
      const tag = r.tag();
      if (tag === TRACE_ID) {
        const idEnd = r.lenEnd();
        this.traceIdStart = idEnd - r.pos === 16 && !isZero(buf, r.pos, idEnd) ? r.pos : -1;
        r.pos = idEnd;
      } else if (tag === TRACE_STATE) {
        this.traceStateEnd = r.lenEnd();
        this.traceStateStart = r.pos;
        r.pos = this.traceStateEnd;
      } else if (tag === ATTRIBUTES && !havePriority) {
        const kvEnd = r.lenEnd();
        // Most keys are not 17 bytes long: when the key comes first with a one-byte length (as
        // every encoder writes it), that byte rules the attribute out without a call.
        const p =
          buf[r.pos] === KV_KEY && (buf[r.pos + 1] as number) < 0x80 && buf[r.pos + 1] !== PRIORITY_KEY_LENGTH
            ? undefined
            : priorityOfAttribute(this.attributeReader, buf, r.pos, kvEnd);
        if (p !== undefined) {
          this.priority = p;
          havePriority = true;
        }
        r.pos = kvEnd;
      } else r.skip(tag & 7);
    }
  }
}

function isZero(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (buf[i] !== 0) return false;
  return true;
}
