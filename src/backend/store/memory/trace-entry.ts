// Hot path: see bench/store/suite.ts.
// One stored trace: span records `[resource id][scope id][length][Span bytes]`, one Buffer per request that
// brought spans of it, the ids it references and the summaries a search filters on; SpanRecords reads them.
import { WireReader, varintSize, writeVarint } from '../../../pdata/wire.ts';
import type { SlabAllocator } from './slab.ts';

/** Bytes accounted to each trace beyond its span records (its entry, index slots). */
export const TRACE_OVERHEAD_BYTES = 200;
/** Distinct tag hashes kept per trace; past this a trace is checked by decoding it. */
const MAX_TAG_HASHES = 512;
const NO_EDGES: number[] = [];

/** A stored trace and its index summaries. */
export class Trace {
  readonly key: string;
  /** Span records: one Buffer, or several once late spans arrived (fewer objects for the GC to mark). */
  chunks: Buffer | Buffer[] | undefined = undefined;
  spanCount = 0;
  bytes = TRACE_OVERHEAD_BYTES;
  startMin = Infinity;
  startMax = -Infinity;
  durMin = Infinity;
  durMax = -Infinity;
  /** Ids of the operations, resources and scopes its spans use (one reference each). */
  ops: number[] = [];
  resources: number[] = [];
  scopes: number[] = [];
  /** Calls between services (see dependency-graph.ts), computed for `edgesSpans` spans. */
  edges: number[] = NO_EDGES;
  edgesSpans = -1;
  /** Distinct tag hashes of its spans; null once there were too many to keep. */
  tags: number[] | null = [];
  dead = false;
  // Records of the request being written: sized while scanning, written once at commit.
  pendBytes = 0;
  pendBuf: Buffer | undefined = undefined;
  pendPos = 0;

  constructor(key: string) {
    this.key = key;
  }

  addTag(h: number): void {
    const tags = this.tags;
    if (tags === null || tags.includes(h)) return;
    if (tags.length >= MAX_TAG_HASHES) this.tags = null;
    else tags.push(h);
  }

  /** Widens the start and duration ranges to a span's. */
  addTimes(startUs: number, endUs: number): void {
    const dur = endUs - startUs;
    if (startUs < this.startMin) this.startMin = startUs;
    if (startUs > this.startMax) this.startMax = startUs;
    if (dur < this.durMin) this.durMin = dur;
    if (dur > this.durMax) this.durMax = dur;
  }

  /** Counts a record of `len` span bytes into the request's pending records. */
  reserve(resourceId: number, scopeId: number, len: number): void {
    this.pendBytes += varintSize(resourceId) + varintSize(scopeId) + varintSize(len) + len;
  }

  /** Writes one reserved record, copying the span from `src[start, end)`. */
  writeRecord(
    slabs: SlabAllocator,
    resourceId: number,
    scopeId: number,
    src: Buffer,
    start: number,
    end: number,
  ): void {
    if (this.pendBuf === undefined) {
      this.pendBuf = slabs.allocate(this.pendBytes);
      this.pendPos = 0;
    }
    const b = this.pendBuf;
    let p = writeVarint(b, this.pendPos, resourceId);
    p = writeVarint(b, p, scopeId);
    p = writeVarint(b, p, end - start);
    src.copy(b, p, start, end);
    this.pendPos = p + (end - start);
    this.spanCount++;
  }

  /** Adds the request's records to the trace; returns the bytes added (0 when already done). */
  commitPending(): number {
    const buf = this.pendBuf;
    if (buf === undefined) return 0;
    const c = this.chunks;
    if (c === undefined) this.chunks = buf;
    else if (Array.isArray(c)) c.push(buf);
    else this.chunks = [c, buf];
    const added = this.pendBytes;
    this.bytes += added;
    this.pendBuf = undefined;
    this.pendBytes = 0;
    return added;
  }
}

const EMPTY = Buffer.alloc(0);

/**
 * A cursor over a trace's span records, in arrival order: after each `next()` that returns true,
 * `resourceId`, `scopeId` and the span's range `buf[start, end)` describe one span.
 */
export class SpanRecords {
  resourceId = 0;
  scopeId = 0;
  start = 0;
  end = 0;
  private readonly r = new WireReader(EMPTY);
  private chunk: Buffer | Buffer[] | undefined;
  private nextChunk = 0;

  constructor(t: Trace) {
    this.chunk = t.chunks;
  }

  /** The Buffer the current span lies in. */
  get buf(): Buffer {
    return this.r.buf;
  }

  /** The current span's bytes (a view). */
  span(): Buffer {
    return this.r.buf.subarray(this.start, this.end);
  }

  /** Moves to the next record; false after the last. */
  next(): boolean {
    const r = this.r;
    while (r.pos >= r.end) if (!this.load()) return false;
    this.resourceId = r.uint32();
    this.scopeId = r.uint32();
    this.end = r.lenEnd();
    this.start = r.pos;
    r.pos = this.end;
    return true;
  }

  private load(): boolean {
    const c = this.chunk;
    const buf = Array.isArray(c) ? c[this.nextChunk++] : this.nextChunk++ === 0 ? c : undefined;
    if (buf === undefined) return false;
    this.r.buf = buf;
    this.r.pos = 0;
    this.r.end = buf.length;
    return true;
  }
}
