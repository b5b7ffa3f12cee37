// Counts the spans of an ExportTraceServiceRequest without decoding them: ResourceSpans(1) →
// ScopeSpans(2) → Span(2), every other field skipped (perf-lab.md §2: ~0.1 µs per span).
import { WIRE_LEN, WireReader } from '../../src/pdata/wire.ts';

const RESOURCE_SPANS = (1 << 3) | WIRE_LEN;
const SCOPE_SPANS = (2 << 3) | WIRE_LEN;
const SPANS = (2 << 3) | WIRE_LEN;

/** The number of spans in a serialized ExportTraceServiceRequest; throws WireError on malformed bytes. */
export function countSpans(message: Buffer): number {
  const r = new WireReader(message);
  let spans = 0;
  while (r.hasMore()) {
    const tag = r.tag();
    if (tag !== RESOURCE_SPANS) {
      r.skip(tag & 7);
      continue;
    }
    const rsEnd = r.lenEnd();
    spans += countIn(r, rsEnd, SCOPE_SPANS, (end) => countIn(r, end, SPANS, null));
    r.pos = rsEnd;
  }
  return spans;
}

/** Within `[r.pos, end)`: sums `inner(fieldEnd)` over fields tagged `want`, or counts them when `inner` is null. */
function countIn(r: WireReader, end: number, want: number, inner: ((end: number) => number) | null): number {
  const outer = r.end;
  r.end = end;
  let n = 0;
  while (r.pos < end) {
    const tag = r.tag();
    if (tag !== want) {
      r.skip(tag & 7);
      continue;
    }
    const fieldEnd = r.lenEnd();
    n += inner === null ? 1 : inner(fieldEnd);
    r.pos = fieldEnd;
  }
  r.end = outer;
  return n;
}
