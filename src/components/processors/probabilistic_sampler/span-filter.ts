// Hot path: see bench/micro/probabilistic-sampler.bench.ts.
// Drops spans from an ExportTraceServiceRequest on the bytes. Each span is judged (drop, keep as is,
// or keep with a new tracestate); kept spans are copied byte for byte — only a rewritten span's
// tracestate field changes — and, as Go's processor does, a scope left with no span and a resource
// left with no scope are removed (also those that arrived empty). Output is sized first, then written
// once; a request nothing changed in comes back as the same buffer.
import { SIGNAL_TAGS, TAG } from '../../../pdata/fields.ts';
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

/** A byte range of the input. */
interface Raw {
  readonly start: number;
  end: number;
}
/** Bytes made here (a new tracestate field). */
interface Lit {
  readonly lit: Buffer;
}
/** A message rebuilt from pieces. */
interface Msg {
  readonly tag: number;
  readonly children: Node[];
  size: number;
}
type Node = Raw | Lit | Msg;

/** A child's answer "keep my bytes as they are", without allocating a range per kept span. */
const UNCHANGED: Raw = Object.freeze({ start: -1, end: -1 });

/** Filters the spans of `buf` with `judge`. Throws WireError on malformed input. */
export function filterSpans(buf: Buffer, judge: SpanJudge): FilteredRequest {
  const f = new SpanFilter(buf, judge);
  const { children: top, changed } = f.request();
  if (!changed) return { bytes: buf, kept: f.kept };
  let size = 0;
  for (const node of top) size += nodeSize(node);
  const out = Buffer.allocUnsafe(size);
  let pos = 0;
  for (const node of top) pos = writeNode(buf, out, pos, node);
  return { bytes: out, kept: f.kept };
}

class SpanFilter {
  kept = 0;
  private readonly buf: Buffer;
  private readonly judge: SpanJudge;
  private lastTraceState: Buffer | null = null;
  private lastTraceStateField: Lit | null = null;
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

  private resource(bodyStart: number, end: number): Node | null {
    return this.container(TAGS.requestEntry, bodyStart, end, TAGS.entryScopes, this.scopeFn);
  }

  private scope(bodyStart: number, end: number): Node | null {
    return this.container(TAGS.entryScopes, bodyStart, end, TAGS.scopeItems, this.spanFn);
  }

  /** A resource entry or scope: null when no child is left, UNCHANGED when nothing changed inside. */
  private container(tag: number, bodyStart: number, end: number, childTag: number, child: ChildFn): Node | null {
    const w = this.walk(bodyStart, end, childTag, child);
    if (w.childrenKept === 0) return null;
    return w.changed ? { tag, children: w.children, size: -1 } : UNCHANGED;
  }

  private span(bodyStart: number, end: number): Node | null {
    const verdict = this.judge(this.buf, bodyStart, end);
    if (verdict === false) return null;
    this.kept++;
    if (verdict === true) return UNCHANGED;
    return { tag: TAGS.scopeItems, children: this.withTraceState(bodyStart, end, verdict), size: -1 };
  }

  /** The span's fields with every tracestate field replaced by one holding `value`. */
  private withTraceState(start: number, end: number, value: Buffer): Node[] {
    const children: Node[] = [];
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
  private traceStateField(value: Buffer): Lit {
    if (value === this.lastTraceState && this.lastTraceStateField !== null) return this.lastTraceStateField;
    const lit = Buffer.allocUnsafe(tagLenFieldSize(TRACE_STATE, value.length));
    value.copy(lit, writeTagLenHeader(lit, 0, TRACE_STATE, value.length));
    this.lastTraceState = value;
    this.lastTraceStateField = { lit };
    return this.lastTraceStateField;
  }

  /** Walks a body: `childTag` fields go through `child`, other fields are copied. */
  private walk(start: number, end: number, childTag: number, child: ChildFn): Walked {
    const children: Node[] = [];
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

type ChildFn = (bodyStart: number, end: number) => Node | null;

interface Walked {
  readonly children: Node[];
  readonly changed: boolean;
  readonly childrenKept: number;
}

/** Appends a byte range, merged with the previous one when contiguous (no object per kept span). */
function pushRaw(children: Node[], start: number, end: number): void {
  const last = children[children.length - 1];
  if (last !== undefined && 'start' in last && last.end === start) last.end = end;
  else children.push({ start, end });
}

function nodeSize(node: Node): number {
  if ('start' in node) return node.end - node.start;
  if ('lit' in node) return node.lit.length;
  if (node.size < 0) {
    let body = 0;
    for (const child of node.children) body += nodeSize(child);
    node.size = tagLenFieldSize(node.tag, body);
  }
  return node.size;
}

function writeNode(src: Buffer, out: Buffer, pos: number, node: Node): number {
  if ('start' in node) return pos + src.copy(out, pos, node.start, node.end);
  if ('lit' in node) return pos + node.lit.copy(out, pos);
  let body = 0;
  for (const child of node.children) body += nodeSize(child);
  pos = writeTagLenHeader(out, pos, node.tag, body);
  for (const child of node.children) pos = writeNode(src, out, pos, child);
  return pos;
}
