// Hot path: see bench/micro/probabilistic-sampler.bench.ts.
// Drops spans from an ExportTraceServiceRequest on the bytes. Each span is judged (drop, keep as is,
// or keep with a new tracestate); kept spans are copied byte for byte — only a rewritten span's
// tracestate field changes — and, as Go's processor does, a scope left with no span and a resource
// left with no scope are removed (also those that arrived empty). Output is sized first, then written
// once; a request nothing changed in comes back as the same buffer.
import { SIGNAL_TAGS, TAG } from '../../../pdata/fields.ts';
import { writeNodes, type WireLiteral, type WireNode, type WireRange } from '../../../pdata/rewrite-tree.ts';
import { WireReader, tagLenFieldSize, writeTagLenHeader } from '../../../pdata/wire.ts';

/** A verdict on one span: false drops it, true keeps it unchanged, a Buffer keeps it with that tracestate. */
export type SpanVerdict = boolean | Buffer;

/** Judges the span whose body is `buf[start, end)`. */
export type SpanJudge = (buf: Buffer, start: number, end: number) => SpanVerdict;

/** The filtered request. */
export interface FilteredRequest {
  /** The kept data; `bytes.length === 0` when nothing is left. */
  readonly bytes: Buffer;
  /** Spans kept. */
  readonly kept: number;
}

const TAGS = SIGNAL_TAGS.traces;
const TRACE_STATE = TAG.Span.traceState;

/** A child's answer "keep my bytes as they are", without allocating a range per kept span. */
const UNCHANGED: WireRange = Object.freeze({ start: -1, end: -1 });

/** Filters the spans of `buf` with `judge`. Throws WireError on malformed input. */
export function filterSpans(buf: Buffer, judge: SpanJudge): FilteredRequest {
  const f = new SpanFilter(buf, judge);
  const { children: top, changed } = f.request();
  if (!changed) return { bytes: buf, kept: f.kept };
  return { bytes: writeNodes(buf, top), kept: f.kept };
}

class SpanFilter {
  kept = 0;
  private readonly buf: Buffer;
  private readonly judge: SpanJudge;
  private lastTraceState: Buffer | null = null;
  private lastTraceStateField: WireLiteral | null = null;
  // Bound once per request, not once per resource or scope.
  private readonly resourceFn: ChildFn = (b, e) => this.resource(b, e);
  private readonly scopeFn: ChildFn = (b, e) => this.scope(b, e);
  private readonly spanFn: ChildFn = (b, e) => this.span(b, e);

  constructor(buf: Buffer, judge: SpanJudge) {
    this.buf = buf;
    this.judge = judge;
  }

  /** The request's top-level fields, resource entries filtered. */
  request(): Walked {
    return this.walk(0, this.buf.length, TAGS.requestEntry, this.resourceFn);
  }

  private resource(bodyStart: number, end: number): WireNode | null {
    return this.container(TAGS.requestEntry, bodyStart, end, TAGS.entryScopes, this.scopeFn);
  }

  private scope(bodyStart: number, end: number): WireNode | null {
    return this.container(TAGS.entryScopes, bodyStart, end, TAGS.scopeItems, this.spanFn);
  }

  /** A resource entry or scope: null when no child is left, UNCHANGED when nothing changed inside. */
  private container(tag: number, bodyStart: number, end: number, childTag: number, child: ChildFn): WireNode | null {
    const w = this.walk(bodyStart, end, childTag, child);
    if (w.childrenKept === 0) return null;
    return w.changed ? { tag, children: w.children, size: -1 } : UNCHANGED;
  }

  private span(bodyStart: number, end: number): WireNode | null {
    const verdict = this.judge(this.buf, bodyStart, end);
    if (verdict === false) return null;
    this.kept++;
    if (verdict === true) return UNCHANGED;
    return { tag: TAGS.scopeItems, children: this.withTraceState(bodyStart, end, verdict), size: -1 };
  }

  /** The span's fields with every tracestate field replaced by one holding `value`. */
  private withTraceState(start: number, end: number, value: Buffer): WireNode[] {
    const children: WireNode[] = [];
    const r = new WireReader(this.buf, start, end);
    while (r.pos < r.end) {
      const fieldStart = r.pos;
      const tag = r.tag();
      r.skip(tag & 7);
      if (tag !== TRACE_STATE) pushRaw(children, fieldStart, r.pos);
    }
    if (value.length > 0) children.push(this.traceStateField(value));
    return children;
  }

  /** The encoded field, reused while the value is the same buffer (a constant tracestate). */
  private traceStateField(value: Buffer): WireLiteral {
    if (value === this.lastTraceState && this.lastTraceStateField !== null) return this.lastTraceStateField;
    const lit = Buffer.allocUnsafe(tagLenFieldSize(TRACE_STATE, value.length));
    value.copy(lit, writeTagLenHeader(lit, 0, TRACE_STATE, value.length));
    this.lastTraceState = value;
    this.lastTraceStateField = { lit };
    return this.lastTraceStateField;
  }

  /** Walks a body: `childTag` fields go through `child`, other fields are copied. */
  private walk(start: number, end: number, childTag: number, child: ChildFn): Walked {
    const children: WireNode[] = [];
    let changed = false;
    let childrenKept = 0;
    const r = new WireReader(this.buf, start, end);
    while (r.pos < r.end) {
      const fieldStart = r.pos;
      const tag = r.tag();
      if (tag !== childTag) {
        r.skip(tag & 7);
        pushRaw(children, fieldStart, r.pos);
        continue;
      }
      const bodyEnd = r.lenEnd();
      const node = child(r.pos, bodyEnd);
      r.pos = bodyEnd;
      if (node === null) changed = true;
      else {
        childrenKept++;
        if (node === UNCHANGED) pushRaw(children, fieldStart, bodyEnd);
        else {
          changed = true;
          children.push(node);
        }
      }
    }
    return { children, changed, childrenKept };
  }
}

type ChildFn = (bodyStart: number, end: number) => WireNode | null;

interface Walked {
  readonly children: WireNode[];
  readonly changed: boolean;
  readonly childrenKept: number;
}

/** Appends a byte range, merged with the previous one when contiguous (no object per kept span). */
function pushRaw(children: WireNode[], start: number, end: number): void {
  const last = children[children.length - 1];
  if (last !== undefined && 'start' in last && last.end === start) last.end = end;
  else children.push({ start, end });
}
