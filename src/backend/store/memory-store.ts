// Hot path: see bench/store/.
// The memory trace store. Spans are kept as their OTLP bytes: each trace holds a few Buffers of span
// records `[resource id][scope id][length][Span bytes]` (one Buffer per request that brought spans of
// it), and resources and scopes are interned once, reference-counted by the traces that use them.
// The indexes are as bounded as the data: a per-service list of traces, a per-service table of
// operations counted by live traces, and per trace a small set of tag hashes. The oldest trace is
// evicted first when there are more than `maxTraces` traces or more than `maxBytes` bytes; a span
// that arrives after its trace joins it (unless the trace was already evicted).
import { decodeAnyValue } from '../../pdata/attributes.ts';
import { WIRE_I64, WIRE_LEN, WIRE_VARINT, WireReader, varintSize, writeVarint } from '../../pdata/wire.ts';
import { anyValueString } from '../jaeger/values.ts';
import { FNV_OFFSET, fnvAscii, fnvByte, fnvBytes, tagHash } from './tag-hash.ts';
import {
  NO_SERVICE_NAME,
  SPAN_KIND_NAMES,
  type DependencyLink,
  type OperationInfo,
  type StoreStats,
  type StoredSpan,
  type StoredTrace,
  type TraceQuery,
  type TraceStore,
} from './trace-store.ts';

/** Limits of a memory store. */
export interface MemoryStoreOptions {
  /** Most traces kept (Jaeger's `max_traces`). */
  readonly maxTraces: number;
  /** Most bytes kept (span records plus a fixed overhead per trace). */
  readonly maxBytes: number;
}

/** Bytes accounted to each trace beyond its span records (its entry, index slots). */
export const TRACE_OVERHEAD_BYTES = 200;
/** Service id pairs are counted under parent · EDGE_SHIFT + child. */
const EDGE_SHIFT = 2 ** 24;
const NO_EDGES: number[] = [];
/** Size of the slabs span records are carved from. */
const SLAB_BYTES = 256 * 1024;
/** Distinct tag hashes kept per trace; past this a trace is checked by decoding it. */
const MAX_TAG_HASHES = 512;

const TAG = (field: number, wt: number): number => (field << 3) | wt;
const T_RS = TAG(1, WIRE_LEN);
const T_RS_RESOURCE = TAG(1, WIRE_LEN);
const T_RS_SCOPE_SPANS = TAG(2, WIRE_LEN);
const T_SS_SCOPE = TAG(1, WIRE_LEN);
const T_SS_SPAN = TAG(2, WIRE_LEN);
const T_RES_ATTR = TAG(1, WIRE_LEN);
const T_SCOPE_NAME = TAG(1, WIRE_LEN);
const T_SCOPE_VERSION = TAG(2, WIRE_LEN);
const T_SPAN_TRACE_ID = TAG(1, WIRE_LEN);
const T_SPAN_SPAN_ID = TAG(2, WIRE_LEN);
const T_SPAN_TRACE_STATE = TAG(3, WIRE_LEN);
const T_SPAN_PARENT = TAG(4, WIRE_LEN);
const T_SPAN_NAME = TAG(5, WIRE_LEN);
const T_SPAN_KIND = TAG(6, WIRE_VARINT);
const T_SPAN_START = TAG(7, WIRE_I64);
const T_SPAN_END = TAG(8, WIRE_I64);
const T_SPAN_ATTR = TAG(9, WIRE_LEN);
const T_SPAN_EVENT = TAG(11, WIRE_LEN);
const T_SPAN_STATUS = TAG(15, WIRE_LEN);
const T_EVENT_NAME = TAG(2, WIRE_LEN);
const T_EVENT_ATTR = TAG(3, WIRE_LEN);
const T_STATUS_MESSAGE = TAG(2, WIRE_LEN);
const T_STATUS_CODE = TAG(3, WIRE_VARINT);
const T_KV_KEY = TAG(1, WIRE_LEN);
const T_KV_VALUE = TAG(2, WIRE_LEN);
const T_AV_STRING = TAG(1, WIRE_LEN);
const T_AV_BOOL = TAG(2, WIRE_VARINT);
const T_AV_INT = TAG(3, WIRE_VARINT);
const T_AV_DOUBLE = TAG(4, WIRE_I64);

const KIND_HASHES = SPAN_KIND_NAMES.map((k) => (k === '' ? 0 : tagHash('span.kind', k)));
const STATUS_OK_HASH = tagHash('otel.status_code', 'OK');
const STATUS_ERROR_HASH = tagHash('otel.status_code', 'ERROR');
const ERROR_TRUE_HASH = tagHash('error', 'true');
const EVENT_PREFIX = fnvByte(fnvAscii(FNV_OFFSET, 'event'), 0x3d);
const DESC_PREFIX = fnvByte(fnvAscii(FNV_OFFSET, 'otel.status_description'), 0x3d);
const STATE_PREFIX = fnvByte(fnvAscii(FNV_OFFSET, 'w3c.tracestate'), 0x3d);

interface Interned {
  readonly id: number;
  readonly key: string;
  readonly bytes: Buffer;
  /** Tag hashes every span with this resource/scope carries (process tags, otel.scope.*). */
  readonly hashes: readonly number[];
  /** Resources: the service id. */
  readonly serviceId: number;
  refs: number;
}

interface Service {
  readonly id: number;
  readonly name: string;
  /** Traces that have a span of this service, oldest first; evicted ones are dropped lazily. */
  traces: Trace[];
  dead: number;
  refs: number;
  /** Operation name → op ids by span kind number. */
  readonly ops: Map<string, (number | undefined)[]>;
}

interface Operation {
  readonly id: number;
  readonly serviceId: number;
  readonly name: string;
  readonly kind: number;
  refs: number;
}

class Trace {
  readonly key: string;
  /** Span records: one Buffer, or several once late spans arrived (fewer objects for the GC to mark). */
  chunks: Buffer | Buffer[] | undefined = undefined;
  spanCount = 0;
  bytes = TRACE_OVERHEAD_BYTES;
  startMin = Infinity;
  startMax = -Infinity;
  durMin = Infinity;
  durMax = -Infinity;
  ops: number[] = [];
  resources: number[] = [];
  scopes: number[] = [];
  /** Calls between services (see getDependencies), computed for `edgesSpans` spans. */
  edges: number[] = NO_EDGES;
  edgesSpans = -1;
  /** Distinct tag hashes of its spans; null once there were too many to keep. */
  tags: number[] | null = [];
  dead = false;
  // Records of the request being written.
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
}

/** Everything learned about one span while scanning a request. */
interface SpanScan {
  traceKey: string;
  nameStart: number;
  nameEnd: number;
  kind: number;
  startUs: number;
  endUs: number;
}

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
  private readonly resourceByKey = new Map<string, Interned>();
  private readonly resources: (Interned | undefined)[] = [];
  private readonly freeResourceIds: number[] = [];
  private readonly scopeByKey = new Map<string, Interned>();
  private readonly scopes: (Interned | undefined)[] = [];
  private readonly freeScopeIds: number[] = [];
  private readonly serviceByName = new Map<string, Service>();
  private readonly services: (Service | undefined)[] = [];
  private readonly freeServiceIds: number[] = [];
  private readonly operations: (Operation | undefined)[] = [];
  private readonly freeOpIds: number[] = [];

  // Scratch arrays for one request's spans (reused: no allocation per span beyond what is stored).
  private scanned = 0;
  private sTrace: Trace[] = [];
  private sStart: number[] = [];
  private sEnd: number[] = [];
  private sRes: number[] = [];
  private sScope: number[] = [];
  private readonly scan: SpanScan = { traceKey: '', nameStart: 0, nameEnd: 0, kind: 0, startUs: 0, endUs: 0 };

  constructor(opts: MemoryStoreOptions) {
    this.opts = opts;
  }

  writeTraces(request: Buffer): number {
    this.scanned = 0;
    try {
      const r = new WireReader(request);
      while (r.pos < r.end) {
        const tag = r.tag();
        if (tag !== T_RS) {
          r.skip(tag & 7);
          continue;
        }
        const end = r.lenEnd();
        this.scanResourceSpans(request, r.pos, end);
        r.pos = end;
      }
    } finally {
      // Spans scanned before a malformed one are whole: they are kept, then the error propagates.
      this.commit(request, this.scanned);
    }
    return this.scanned;
  }

  private scanResourceSpans(buf: Buffer, start: number, end: number): void {
    // The resource may follow its scope_spans on the wire: find it first.
    const r = new WireReader(buf, start, end);
    let resStart = 0;
    let resEnd = 0;
    while (r.pos < end) {
      const tag = r.tag();
      if (tag === T_RS_RESOURCE) {
        resEnd = r.lenEnd();
        resStart = r.pos;
        r.pos = resEnd;
      } else r.skip(tag & 7);
    }
    let resource: Interned | undefined;
    r.pos = start;
    while (r.pos < end) {
      const tag = r.tag();
      if (tag !== T_RS_SCOPE_SPANS) {
        r.skip(tag & 7);
        continue;
      }
      const ssEnd = r.lenEnd();
      const ssStart = r.pos;
      resource ??= this.internResource(buf, resStart, resEnd);
      this.scanScopeSpans(buf, ssStart, ssEnd, resource);
      r.pos = ssEnd;
    }
  }

  private scanScopeSpans(buf: Buffer, start: number, end: number, resource: Interned): void {
    const r = new WireReader(buf, start, end);
    let scStart = 0;
    let scEnd = 0;
    while (r.pos < end) {
      const tag = r.tag();
      if (tag === T_SS_SCOPE) {
        scEnd = r.lenEnd();
        scStart = r.pos;
        r.pos = scEnd;
      } else r.skip(tag & 7);
    }
    let scope: Interned | undefined;
    r.pos = start;
    while (r.pos < end) {
      const tag = r.tag();
      if (tag !== T_SS_SPAN) {
        r.skip(tag & 7);
        continue;
      }
      const spanEnd = r.lenEnd();
      const spanStart = r.pos;
      r.pos = spanEnd;
      scope ??= this.internScope(buf, scStart, scEnd);
      if (this.scanSpan(buf, spanStart, spanEnd, resource, scope, this.scanned)) this.scanned++;
    }
  }

  /** Scans one span, indexes it into its trace; false when it has no valid trace id. */
  private scanSpan(buf: Buffer, start: number, end: number, res: Interned, scope: Interned, n: number): boolean {
    const s = this.scan;
    s.traceKey = '';
    s.nameStart = s.nameEnd = s.kind = s.startUs = s.endUs = 0;
    // Hashes are collected first: the trace is known only once trace_id is read.
    const hashes = SCRATCH_HASHES;
    let nh = 0;
    const r = reader(R_SPAN, buf, start, end);
    while (r.pos < end) {
      const tag = r.tag();
      switch (tag) {
        case T_SPAN_TRACE_ID: {
          const e = r.lenEnd();
          if (e - r.pos === 16) s.traceKey = this.traceKeyAt(buf, r.pos);
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
          if (e > r.pos && nh < hashes.length) hashes[nh++] = fnvBytes(STATE_PREFIX, buf, r.pos, e) | 0;
          r.pos = e;
          break;
        }
        default:
          r.skip(tag & 7);
      }
    }
    if (s.traceKey === '') return false;
    let trace = this.traces.get(s.traceKey);
    if (trace === undefined) {
      trace = new Trace(s.traceKey);
      this.traces.set(s.traceKey, trace);
      this.order.push(trace);
      this.totalBytes += TRACE_OVERHEAD_BYTES;
    }
    // Tag hashes are kept per service (mixed with its id): a search wants one span with both.
    const sid = res.serviceId;
    const kindHash = KIND_HASHES[s.kind];
    if (kindHash !== undefined && kindHash !== 0) trace.addTag(serviceTag(kindHash, sid));
    for (let i = 0; i < nh; i++) trace.addTag(serviceTag(hashes[i] as number, sid));
    for (const h of scope.hashes) trace.addTag(serviceTag(h, sid));
    if (!trace.resources.includes(res.id)) {
      // A trace's services are those of its resources.
      if (!this.hasService(trace, sid)) {
        const svc = this.services[sid] as Service;
        svc.traces.push(trace);
        svc.refs++;
      }
      trace.resources.push(res.id);
      res.refs++;
      for (const h of res.hashes) trace.addTag(serviceTag(h, sid));
    }
    if (!trace.scopes.includes(scope.id)) {
      trace.scopes.push(scope.id);
      scope.refs++;
    }
    const op = this.operationId(res.serviceId, utf8(buf, s.nameStart, s.nameEnd), s.kind);
    if (!trace.ops.includes(op)) {
      trace.ops.push(op);
      (this.operations[op] as Operation).refs++;
    }
    const dur = s.endUs - s.startUs;
    if (s.startUs < trace.startMin) trace.startMin = s.startUs;
    if (s.startUs > trace.startMax) trace.startMax = s.startUs;
    if (dur < trace.durMin) trace.durMin = dur;
    if (dur > trace.durMax) trace.durMax = dur;
    const len = end - start;
    trace.pendBytes += varintSize(res.id) + varintSize(scope.id) + varintSize(len) + len;
    this.sTrace[n] = trace;
    this.sStart[n] = start;
    this.sEnd[n] = end;
    this.sRes[n] = res.id;
    this.sScope[n] = scope.id;
    return true;
  }

  // The previous span's trace id: spans of one trace often come in a row, and reuse its key.
  private prevKeyBuf: Buffer | undefined;
  private prevKeyPos = 0;
  private prevKey = '';

  private traceKeyAt(buf: Buffer, pos: number): string {
    const pb = this.prevKeyBuf;
    if (pb === buf) {
      const pp = this.prevKeyPos;
      let same = true;
      for (let i = 0; i < 16; i++) {
        if (buf[pos + i] !== pb[pp + i]) {
          same = false;
          break;
        }
      }
      if (same) {
        this.prevKeyPos = pos;
        return this.prevKey;
      }
    }
    this.prevKeyBuf = buf;
    this.prevKeyPos = pos;
    this.prevKey = latin1(buf, pos, pos + 16);
    return this.prevKey;
  }

  /** Copies the scanned spans' records into one Buffer per trace, then evicts past the limits. */
  private commit(src: Buffer, n: number): void {
    for (let i = 0; i < n; i++) {
      const t = this.sTrace[i] as Trace;
      if (t.pendBuf === undefined) {
        t.pendBuf = this.allocate(t.pendBytes);
        t.pendPos = 0;
      }
      const b = t.pendBuf;
      const start = this.sStart[i] as number;
      const end = this.sEnd[i] as number;
      let p = writeVarint(b, t.pendPos, this.sRes[i] as number);
      p = writeVarint(b, p, this.sScope[i] as number);
      p = writeVarint(b, p, end - start);
      src.copy(b, p, start, end);
      t.pendPos = p + (end - start);
      t.spanCount++;
    }
    for (let i = 0; i < n; i++) {
      const t = this.sTrace[i] as Trace;
      if (t.pendBuf !== undefined) {
        if (t.chunks === undefined) t.chunks = t.pendBuf;
        else if (Array.isArray(t.chunks)) t.chunks.push(t.pendBuf);
        else t.chunks = [t.chunks, t.pendBuf];
        t.bytes += t.pendBytes;
        this.totalBytes += t.pendBytes;
        t.pendBuf = undefined;
        t.pendBytes = 0;
      }
    }
    this.totalSpans += n;
    this.sTrace.length = 0;
    this.prevKeyBuf = undefined;
    this.evictPastLimits();
  }

  // Span records are carved out of large slabs: one small Buffer per trace would waste a quarter of
  // Node's 8 KiB pool per allocation. Traces are evicted in about the order they were written, so a
  // slab is released soon after the traces it holds.
  private slab: Buffer = Buffer.alloc(0);
  private slabPos = 0;

  private allocate(size: number): Buffer {
    if (size > SLAB_BYTES / 8) return Buffer.allocUnsafeSlow(size);
    if (this.slabPos + size > this.slab.length) {
      this.slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
      this.slabPos = 0;
    }
    const out = this.slab.subarray(this.slabPos, this.slabPos + size);
    this.slabPos += size;
    return out;
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
    for (const id of this.servicesOf(t)) {
      const svc = this.services[id] as Service;
      svc.dead++;
      if (--svc.refs === 0) this.dropService(svc);
      else if (svc.dead > 64 && svc.dead * 2 > svc.traces.length) {
        svc.traces = svc.traces.filter((x) => !x.dead);
        svc.dead = 0;
      }
    }
    for (const id of t.ops) {
      const op = this.operations[id] as Operation;
      if (--op.refs === 0) this.dropOperation(op);
    }
    for (const id of t.resources) {
      const res = this.resources[id] as Interned;
      if (--res.refs === 0) {
        this.resourceByKey.delete(res.key);
        this.resources[id] = undefined;
        this.freeResourceIds.push(id);
      }
    }
    for (const id of t.scopes) {
      const sc = this.scopes[id] as Interned;
      if (--sc.refs === 0) {
        this.scopeByKey.delete(sc.key);
        this.scopes[id] = undefined;
        this.freeScopeIds.push(id);
      }
    }
  }

  private hasService(t: Trace, serviceId: number): boolean {
    for (const rid of t.resources) if ((this.resources[rid] as Interned).serviceId === serviceId) return true;
    return false;
  }

  private servicesOf(t: Trace): number[] {
    const out: number[] = [];
    for (const rid of t.resources) {
      const sid = (this.resources[rid] as Interned).serviceId;
      if (!out.includes(sid)) out.push(sid);
    }
    return out;
  }

  private dropService(svc: Service): void {
    // Unreferenced resources naming it (their spans had no valid trace id) go with it: its id is reused.
    for (const res of this.resourceByKey.values()) {
      if (res.serviceId === svc.id && res.refs === 0) {
        this.resourceByKey.delete(res.key);
        this.resources[res.id] = undefined;
        this.freeResourceIds.push(res.id);
      }
    }
    this.serviceByName.delete(svc.name);
    this.services[svc.id] = undefined;
    this.freeServiceIds.push(svc.id);
  }

  private dropOperation(op: Operation): void {
    this.operations[op.id] = undefined;
    this.freeOpIds.push(op.id);
    const svc = this.services[op.serviceId];
    const kinds = svc?.ops.get(op.name);
    if (svc === undefined || kinds === undefined) return;
    kinds[op.kind] = undefined;
    if (kinds.every((k) => k === undefined)) svc.ops.delete(op.name);
  }

  private internResource(buf: Buffer, start: number, end: number): Interned {
    const key = buf.toString('latin1', start, end);
    const found = this.resourceByKey.get(key);
    if (found !== undefined) return found;
    let serviceName: string | undefined;
    const hashes: number[] = [];
    const r = new WireReader(buf, start, end);
    while (r.pos < end) {
      const tag = r.tag();
      if (tag !== T_RES_ATTR) {
        r.skip(tag & 7);
        continue;
      }
      const e = r.lenEnd();
      const [k, v] = readKeyValue(buf, r.pos, e);
      if (k === 'service.name' && serviceName === undefined) serviceName = v;
      else if (!hashes.includes(tagHash(k, v))) hashes.push(tagHash(k, v));
      r.pos = e;
    }
    const service = this.serviceFor(serviceName ?? NO_SERVICE_NAME);
    const id = this.freeResourceIds.pop() ?? this.resources.length;
    const entry: Interned = {
      id,
      key,
      bytes: Buffer.from(buf.subarray(start, end)),
      hashes,
      serviceId: service.id,
      refs: 0,
    };
    this.resources[id] = entry;
    this.resourceByKey.set(key, entry);
    return entry;
  }

  private internScope(buf: Buffer, start: number, end: number): Interned {
    const key = buf.toString('latin1', start, end);
    const found = this.scopeByKey.get(key);
    if (found !== undefined) return found;
    const hashes: number[] = [];
    const r = new WireReader(buf, start, end);
    while (r.pos < end) {
      const tag = r.tag();
      if (tag === T_SCOPE_NAME || tag === T_SCOPE_VERSION) {
        const v = r.string();
        if (v !== '') hashes.push(tagHash(tag === T_SCOPE_NAME ? 'otel.scope.name' : 'otel.scope.version', v));
      } else r.skip(tag & 7);
    }
    const id = this.freeScopeIds.pop() ?? this.scopes.length;
    const entry: Interned = { id, key, bytes: Buffer.from(buf.subarray(start, end)), hashes, serviceId: -1, refs: 0 };
    this.scopes[id] = entry;
    this.scopeByKey.set(key, entry);
    return entry;
  }

  private serviceFor(name: string): Service {
    const found = this.serviceByName.get(name);
    if (found !== undefined) return found;
    const id = this.freeServiceIds.pop() ?? this.services.length;
    const svc: Service = { id, name, traces: [], dead: 0, refs: 0, ops: new Map() };
    this.services[id] = svc;
    this.serviceByName.set(name, svc);
    return svc;
  }

  private operationId(serviceId: number, name: string, kind: number): number {
    const svc = this.services[serviceId] as Service;
    let kinds = svc.ops.get(name);
    if (kinds === undefined) {
      kinds = [];
      svc.ops.set(name, kinds);
    }
    const k = kind < SPAN_KIND_NAMES.length ? kind : 0;
    const found = kinds[k];
    if (found !== undefined) return found;
    const id = this.freeOpIds.pop() ?? this.operations.length;
    this.operations[id] = { id, serviceId, name, kind: k, refs: 0 };
    kinds[k] = id;
    return id;
  }

  // ---- reads ----

  getTrace(traceId: Buffer): StoredTrace | undefined {
    const t = this.traces.get(traceId.toString('latin1', 0, traceId.length));
    return t === undefined ? undefined : this.materialize(t);
  }

  private materialize(t: Trace): StoredTrace {
    const spans: StoredSpan[] = [];
    for (const chunk of chunkList(t)) {
      const r = new WireReader(chunk);
      while (r.pos < r.end) {
        const res = this.resources[r.uint32()] as Interned;
        const scope = this.scopes[r.uint32()] as Interned;
        const span = r.bytes();
        spans.push({ resource: res.bytes, scope: scope.bytes, span });
      }
    }
    return { traceId: Buffer.from(t.key, 'latin1'), spans };
  }

  findTraces(query: TraceQuery, matches: (trace: StoredTrace, query: TraceQuery) => boolean): StoredTrace[] {
    const svc = this.serviceByName.get(query.service);
    if (svc === undefined || query.limit <= 0) return [];
    let opIds: number[] | undefined;
    if (query.operation !== undefined && query.operation !== '') {
      opIds = (svc.ops.get(query.operation) ?? []).filter((x): x is number => x !== undefined);
      if (opIds.length === 0) return [];
    }
    const hashes = [...(query.tags ?? new Map<string, string>())].map(([k, v]) => serviceTag(tagHash(k, v), svc.id));
    const tMin = query.startTimeMinUs ?? -Infinity;
    const tMax = query.startTimeMaxUs ?? Infinity;
    const dMin = query.durationMinUs ?? -Infinity;
    const dMax = query.durationMaxUs ?? Infinity;
    const out: StoredTrace[] = [];
    const list = svc.traces;
    for (let i = list.length - 1; i >= 0 && out.length < query.limit; i--) {
      const t = list[i] as Trace;
      if (t.dead || t.startMin > tMax || t.startMax < tMin || t.durMax < dMin || t.durMin > dMax) continue;
      if (opIds !== undefined && !opIds.some((id) => t.ops.includes(id))) continue;
      const tags = t.tags;
      if (tags !== null && !hashes.every((h) => tags.includes(h))) continue;
      const stored = this.materialize(t);
      if (matches(stored, query)) out.push(stored);
    }
    return out;
  }

  getServices(): string[] {
    return [...this.serviceByName.keys()].sort();
  }

  getOperations(service: string, spanKind?: string): OperationInfo[] {
    const svc = this.serviceByName.get(service);
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
    const from = endUs - lookbackUs;
    const counts = new Map<number, number>();
    for (let i = this.head; i < this.order.length; i++) {
      const t = this.order[i] as Trace;
      if (t.dead || t.startMax < from || t.startMin > endUs) continue;
      if (t.edgesSpans !== t.spanCount) {
        t.edges = this.edgesOf(t);
        t.edgesSpans = t.spanCount;
      }
      const edges = t.edges;
      for (let k = 0; k < edges.length; k += 2) {
        const key = (edges[k] as number) * EDGE_SHIFT + (edges[k + 1] as number);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    const out: DependencyLink[] = [];
    for (const [key, callCount] of counts) {
      const parent = this.services[Math.floor(key / EDGE_SHIFT)]?.name;
      const child = this.services[key % EDGE_SHIFT]?.name;
      if (parent !== undefined && child !== undefined) out.push({ parent, child, callCount });
    }
    return out;
  }

  /** A trace's calls between services: [parent service, child service] pairs, one per child span. */
  private edgesOf(t: Trace): number[] {
    const spanService = new Map<string, number>();
    const parents: [string, number][] = [];
    for (const chunk of chunkList(t)) {
      const r = new WireReader(chunk);
      while (r.pos < r.end) {
        const res = this.resources[r.uint32()] as Interned;
        r.uint32();
        const end = r.lenEnd();
        const [spanId, parentId] = spanIds(chunk, r.pos, end);
        r.pos = end;
        spanService.set(spanId, res.serviceId);
        if (parentId !== '') parents.push([parentId, res.serviceId]);
      }
    }
    const edges: number[] = [];
    for (const [parentId, child] of parents) {
      const parent = spanService.get(parentId);
      if (parent !== undefined && parent !== child) edges.push(parent, child);
    }
    return edges.length === 0 ? NO_EDGES : edges;
  }

  stats(): StoreStats {
    return { traces: this.traces.size, spans: this.totalSpans, bytes: this.totalBytes, evictedTraces: this.evicted };
  }
}

const SCRATCH_HASHES = new Array<number>(256).fill(0);

// One reader per nesting level of the ingest scan, reused (no allocation per span or attribute).
const R_SPAN = new WireReader(Buffer.alloc(0));
const R_KV = new WireReader(Buffer.alloc(0));
const R_VAL = new WireReader(Buffer.alloc(0));
const R_EVENT = new WireReader(Buffer.alloc(0));
const R_STATUS = new WireReader(Buffer.alloc(0));

function reader(r: WireReader, buf: Buffer, start: number, end: number): WireReader {
  r.buf = buf;
  r.pos = start;
  r.end = end;
  return r;
}

// Buffer's own slice methods, without toString's encoding lookup (hot on ingest).
const rawSlices = Buffer.prototype as unknown as {
  utf8Slice(this: Buffer, start: number, end: number): string;
  latin1Slice(this: Buffer, start: number, end: number): string;
};
const utf8 = (buf: Buffer, start: number, end: number): string => rawSlices.utf8Slice.call(buf, start, end);
const latin1 = (buf: Buffer, start: number, end: number): string => rawSlices.latin1Slice.call(buf, start, end);

function chunkList(t: Trace): readonly Buffer[] {
  const c = t.chunks;
  return c === undefined ? [] : Array.isArray(c) ? c : [c];
}

/** A tag hash bound to the service of the span that carries it. */
function serviceTag(h: number, serviceId: number): number {
  return Math.imul(h ^ (serviceId + 1), 0x9e3779b1) | 0;
}

/** A fixed64 of nanoseconds as whole microseconds, exactly (for times before the year 2255). */
function readMicros(r: WireReader): number {
  const lo = r.fixed32();
  const hi = r.fixed32();
  // ns = hi·2^32 + lo = hi·4294967·1000 + hi·296 + lo
  return hi * 4294967 + Math.floor((hi * 296 + lo) / 1000);
}

/** The tag hash of a KeyValue in `buf[start, end)`. */
function hashKeyValue(buf: Buffer, start: number, end: number): number {
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

/** Continues `h` over an AnyValue's string form (Jaeger's KeyValue.AsString). */
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

function slowHash(h: number, buf: Buffer, start: number, end: number): number {
  const s = Buffer.from(anyValueString(decodeAnyValue(buf, start, end)), 'utf8');
  return fnvBytes(h, s, 0, s.length);
}

function hashEvent(buf: Buffer, start: number, end: number, hashes: number[], nh: number): number {
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

function hashStatus(buf: Buffer, start: number, end: number, hashes: number[], nh: number): number {
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

/** A KeyValue as [key, value as Jaeger's AsString]. */
function readKeyValue(buf: Buffer, start: number, end: number): [string, string] {
  const r = new WireReader(buf, start, end);
  let key = '';
  let value = '';
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === T_KV_KEY) key = r.string();
    else if (tag === T_KV_VALUE) {
      const e = r.lenEnd();
      value = anyValueString(decodeAnyValue(buf, r.pos, e));
      r.pos = e;
    } else r.skip(tag & 7);
  }
  return [key, value];
}

/** A span's span_id and parent_span_id as latin1 keys ('' when absent). */
function spanIds(buf: Buffer, start: number, end: number): [string, string] {
  const r = new WireReader(buf, start, end);
  let id = '';
  let parent = '';
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === T_SPAN_SPAN_ID || tag === T_SPAN_PARENT) {
      const e = r.lenEnd();
      if (e - r.pos === 8) {
        if (tag === T_SPAN_SPAN_ID) id = buf.toString('latin1', r.pos, e);
        else parent = buf.toString('latin1', r.pos, e);
      }
      r.pos = e;
    } else r.skip(tag & 7);
  }
  return [id, parent];
}
