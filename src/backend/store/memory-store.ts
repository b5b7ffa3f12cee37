// Hot path: see bench/store/suite.ts.
// The memory trace store: a facade of write → commit → evict and the reads over the parts in memory/
// (README.md there: concepts, invariants, figures); oldest traces go first past maxTraces or maxBytes.
import { SIGNAL_TAGS } from '../../pdata/fields.ts';
import { WireReader } from '../../pdata/wire.ts';
import { Catalog, type CatalogSizes, type ResourceEntry, type ScopeEntry } from './memory/catalog.ts';
import { countDependencies } from './memory/dependency-graph.ts';
import { SlabAllocator } from './memory/slab.ts';
import { fieldRange, newSpanScan, scanSpan, TraceKeys, utf8, type FieldRange } from './memory/span-scan.ts';
import { SpanRecords, Trace, TRACE_OVERHEAD_BYTES } from './memory/trace-entry.ts';
import { KIND_HASHES, serviceTag } from './memory/wire-tag-hash.ts';
import { tagHash } from './tag-hash.ts';
import {
  SPAN_KIND_NAMES,
  type DependencyLink,
  type OperationInfo,
  type StoreStats,
  type StoredSpan,
  type StoredTrace,
  type TraceQuery,
  type TraceSearch,
  type TraceStore,
} from './trace-store.ts';

export { TRACE_OVERHEAD_BYTES } from './memory/trace-entry.ts';

/** Limits of a memory store. */
export interface MemoryStoreOptions {
  /** Most traces kept (Jaeger's `max_traces`). */
  readonly maxTraces: number;
  /** Most bytes kept (span records plus a fixed overhead per trace). */
  readonly maxBytes: number;
}

/** Index entries a search looks at between two chances for its caller to yield (about 0.1 ms). */
const SEARCH_SLICE_ENTRIES = 4096;

const T_ENTRY = SIGNAL_TAGS.traces.requestEntry;
const T_ENTRY_RESOURCE = SIGNAL_TAGS.traces.entryResource;
const T_ENTRY_SCOPES = SIGNAL_TAGS.traces.entryScopes;
const T_SCOPE = SIGNAL_TAGS.traces.scope;
const T_SCOPE_SPANS = SIGNAL_TAGS.traces.scopeItems;

/** The memory implementation of TraceStore. */
export class MemoryStore implements TraceStore {
  private readonly opts: MemoryStoreOptions;
  private readonly traces = new Map<string, Trace>();
  /** Every live trace, oldest first, from `head` on. */
  private order: Trace[] = [];
  private head = 0;
  private totalBytes = 0;
  private totalSpans = 0;
  private evicted = 0;
  private readonly catalog = new Catalog();
  private readonly slabs = new SlabAllocator();
  private readonly keys = new TraceKeys();
  private readonly scan = newSpanScan();
  private readonly range: FieldRange = { start: 0, end: 0 };
  // The request's scanned spans, written at commit (reused: no allocation per span beyond what is stored).
  private scanned = 0;
  private sTrace: Trace[] = [];
  private sStart: number[] = [];
  private sEnd: number[] = [];
  private sRes: number[] = [];
  private sScope: number[] = [];

  constructor(opts: MemoryStoreOptions) {
    this.opts = opts;
  }

  writeTraces(request: Buffer): number {
    this.scanned = 0;
    try {
      const r = new WireReader(request);
      while (r.pos < r.end) {
        const tag = r.tag();
        if (tag !== T_ENTRY) {
          r.skip(tag & 7);
          continue;
        }
        const end = r.lenEnd();
        this.writeResourceSpans(request, r.pos, end);
        r.pos = end;
      }
    } finally {
      // Spans scanned before a malformed one are whole: they are kept, then the error propagates.
      this.commit(request, this.scanned);
    }
    return this.scanned;
  }

  private writeResourceSpans(buf: Buffer, start: number, end: number): void {
    const { start: resStart, end: resEnd } = fieldRange(buf, start, end, T_ENTRY_RESOURCE, this.range);
    let resource: ResourceEntry | undefined;
    const r = new WireReader(buf, start, end);
    while (r.pos < end) {
      const tag = r.tag();
      if (tag !== T_ENTRY_SCOPES) {
        r.skip(tag & 7);
        continue;
      }
      const ssEnd = r.lenEnd();
      resource ??= this.catalog.resource(buf, resStart, resEnd);
      this.writeScopeSpans(buf, r.pos, ssEnd, resource);
      r.pos = ssEnd;
    }
  }

  private writeScopeSpans(buf: Buffer, start: number, end: number, resource: ResourceEntry): void {
    const { start: scStart, end: scEnd } = fieldRange(buf, start, end, T_SCOPE, this.range);
    let scope: ScopeEntry | undefined;
    const r = new WireReader(buf, start, end);
    while (r.pos < end) {
      const tag = r.tag();
      if (tag !== T_SCOPE_SPANS) {
        r.skip(tag & 7);
        continue;
      }
      const spanEnd = r.lenEnd();
      const spanStart = r.pos;
      r.pos = spanEnd;
      scope ??= this.catalog.scope(buf, scStart, scEnd);
      if (this.indexSpan(buf, spanStart, spanEnd, resource, scope)) this.scanned++;
    }
  }

  /** Scans one span and indexes it into its trace; false when it has no valid trace id. */
  private indexSpan(buf: Buffer, start: number, end: number, res: ResourceEntry, scope: ScopeEntry): boolean {
    const s = this.scan;
    scanSpan(buf, start, end, this.keys, s);
    if (s.traceKey === '') return false;
    const trace = this.traceFor(s.traceKey);
    // Tag hashes are kept per service (mixed with its id): a search wants one span with both.
    const sid = res.serviceId;
    const kindHash = KIND_HASHES[s.kind];
    if (kindHash !== undefined && kindHash !== 0) trace.addTag(serviceTag(kindHash, sid));
    for (let i = 0; i < s.hashCount; i++) trace.addTag(serviceTag(s.hashes[i] as number, sid));
    for (const h of scope.hashes) trace.addTag(serviceTag(h, sid));
    const op = this.catalog.operation(sid, utf8(buf, s.nameStart, s.nameEnd), s.kind);
    if (this.catalog.retain(trace, res, scope, op)) for (const h of res.hashes) trace.addTag(serviceTag(h, sid));
    trace.addTimes(s.startUs, s.endUs);
    trace.reserve(res.id, scope.id, end - start);
    const n = this.scanned;
    this.sTrace[n] = trace;
    this.sStart[n] = start;
    this.sEnd[n] = end;
    this.sRes[n] = res.id;
    this.sScope[n] = scope.id;
    return true;
  }

  private traceFor(key: string): Trace {
    let trace = this.traces.get(key);
    if (trace === undefined) {
      trace = new Trace(key);
      this.traces.set(key, trace);
      this.order.push(trace);
      this.totalBytes += TRACE_OVERHEAD_BYTES;
    }
    return trace;
  }

  /** Copies the scanned spans' records into one Buffer per trace, then evicts past the limits. */
  private commit(src: Buffer, n: number): void {
    for (let i = 0; i < n; i++) {
      const t = this.sTrace[i] as Trace;
      t.writeRecord(
        this.slabs,
        this.sRes[i] as number,
        this.sScope[i] as number,
        src,
        this.sStart[i] as number,
        this.sEnd[i] as number,
      );
    }
    for (let i = 0; i < n; i++) this.totalBytes += (this.sTrace[i] as Trace).commitPending();
    this.totalSpans += n;
    this.sTrace.length = 0;
    this.keys.reset();
    this.catalog.sweep();
    this.evictPastLimits();
  }

  private evictPastLimits(): void {
    while (
      this.head < this.order.length &&
      (this.traces.size > this.opts.maxTraces || this.totalBytes > this.opts.maxBytes)
    ) {
      const t = this.order[this.head] as Trace;
      this.order[this.head] = undefined as unknown as Trace;
      this.head++;
      if (!t.dead) this.evict(t);
    }
    if (this.head > 4096 && this.head * 2 > this.order.length) {
      this.order = this.order.slice(this.head);
      this.head = 0;
    }
  }

  private evict(t: Trace): void {
    t.dead = true;
    this.traces.delete(t.key);
    this.evicted++;
    this.totalBytes -= t.bytes;
    this.totalSpans -= t.spanCount;
    t.chunks = undefined;
    this.catalog.release(t);
  }

  // ---- reads ----

  getTrace(traceId: Buffer): StoredTrace | undefined {
    const t = this.traces.get(traceId.toString('latin1', 0, traceId.length));
    return t === undefined ? undefined : this.materialize(t);
  }

  private materialize(t: Trace): StoredTrace {
    const spans: StoredSpan[] = [];
    const { resources, scopes } = this.catalog;
    const records = new SpanRecords(t);
    while (records.next()) {
      const resource = resources.at(records.resourceId).bytes;
      spans.push({ resource, scope: scopes.at(records.scopeId).bytes, span: records.span() });
    }
    return { traceId: Buffer.from(t.key, 'latin1'), spans };
  }

  findTraces(query: TraceQuery, matches: (trace: StoredTrace, query: TraceQuery) => boolean): StoredTrace[] {
    const out: StoredTrace[] = [];
    if (query.limit <= 0) return out;
    for (const candidate of this.searchTraces(query)) {
      if (candidate !== null && matches(candidate, query) && out.push(candidate) >= query.limit) break;
    }
    return out;
  }

  *searchTraces(query: TraceSearch): Generator<StoredTrace | null, void, undefined> {
    const svc = this.catalog.services.find(query.service);
    if (svc === undefined) return;
    let opIds: number[] | undefined;
    if (query.operation !== undefined && query.operation !== '') {
      opIds = (svc.ops.get(query.operation) ?? []).filter((x): x is number => x !== undefined);
      if (opIds.length === 0) return;
    }
    const hashes = [...(query.tags ?? new Map<string, string>())].map(([k, v]) => serviceTag(tagHash(k, v), svc.id));
    const tMin = query.startTimeMinUs ?? -Infinity;
    const tMax = query.startTimeMaxUs ?? Infinity;
    const dMin = query.durationMinUs ?? -Infinity;
    const dMax = query.durationMaxUs ?? Infinity;
    // The list as it is now: a compaction replaces it, so this snapshot stays valid across the caller's
    // yields; traces evicted meanwhile are marked dead and skipped.
    const list = svc.traces;
    for (let i = list.length - 1; i >= 0; i--) {
      if (i % SEARCH_SLICE_ENTRIES === 0) yield null;
      const t = list[i] as Trace;
      if (t.dead || t.startMin > tMax || t.startMax < tMin || t.durMax < dMin || t.durMin > dMax) continue;
      if (opIds !== undefined && !opIds.some((id) => t.ops.includes(id))) continue;
      const tags = t.tags;
      if (tags !== null && !hashes.every((h) => tags.includes(h))) continue;
      yield this.materialize(t);
    }
  }

  getServices(): string[] {
    return [...this.catalog.services.keys()].sort();
  }

  getOperations(service: string, spanKind?: string): OperationInfo[] {
    const svc = this.catalog.services.find(service);
    if (svc === undefined) return [];
    const out: OperationInfo[] = [];
    for (const [name, kinds] of svc.ops) {
      kinds.forEach((id, kind) => {
        const kindName = SPAN_KIND_NAMES[kind] ?? '';
        if (id !== undefined && (spanKind === undefined || spanKind === '' || spanKind === kindName))
          out.push({ name, spanKind: kindName });
      });
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.spanKind < b.spanKind ? -1 : 1));
  }

  getDependencies(endUs: number, lookbackUs: number): DependencyLink[] {
    return countDependencies(this.order, this.head, this.catalog, endUs - lookbackUs, endUs);
  }

  stats(): StoreStats {
    return { traces: this.traces.size, spans: this.totalSpans, bytes: this.totalBytes, evictedTraces: this.evicted };
  }

  /** Entries in each intern table (for tests: all zero once every trace is evicted). */
  internedSizes(): CatalogSizes {
    return this.catalog.sizes();
  }
}
