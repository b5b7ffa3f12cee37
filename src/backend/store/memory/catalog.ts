// Hot path: see bench/store/suite.ts.
// The store's four intern tables (resources, scopes, services, operations) and the references traces
// hold on them. Entries a request interned but no stored span uses are swept at its commit, so
// evicting every trace empties every table (README.md: invariants).
import { decodeAnyValue } from '../../../pdata/attributes.ts';
import { TAG } from '../../../pdata/fields.ts';
import { WireReader } from '../../../pdata/wire.ts';
import { anyValueString, tagHash } from '../tag-hash.ts';
import { NO_SERVICE_NAME, SPAN_KIND_NAMES } from '../trace-store.ts';
import { InternTable, type InternEntry } from './intern-table.ts';
import type { Trace } from './trace-entry.ts';

/** A Resource, keyed by its bytes. */
export interface ResourceEntry extends InternEntry {
  readonly bytes: Buffer;
  /** Tag hashes of its attributes (a span's process tags), service.name aside. */
  readonly hashes: readonly number[];
  readonly serviceId: number;
}

/** An InstrumentationScope, keyed by its bytes. */
export interface ScopeEntry extends InternEntry {
  readonly bytes: Buffer;
  /** Hashes of otel.scope.name / otel.scope.version, as the Jaeger mapping tags every span. */
  readonly hashes: readonly number[];
}

/** A service, keyed by its name; referenced by the traces that have a span of it. */
export interface ServiceEntry extends InternEntry {
  /** Traces that have a span of this service, oldest first; evicted ones are dropped lazily. */
  traces: Trace[];
  dead: number;
  /** Operation name → operation ids by span kind number. */
  readonly ops: Map<string, (number | undefined)[]>;
}

/** An operation: a span name and kind of one service. */
export interface OperationEntry extends InternEntry {
  readonly serviceId: number;
  readonly name: string;
  readonly kind: number;
}

const T_RES_ATTR = TAG.Resource.attributes;
const T_SCOPE_NAME = TAG.InstrumentationScope.name;
const T_SCOPE_VERSION = TAG.InstrumentationScope.version;
const T_KV_KEY = TAG.KeyValue.key;
const T_KV_VALUE = TAG.KeyValue.value;

/** How many entries each table holds (the invariant test wants all zero once every trace is evicted). */
export interface CatalogSizes {
  readonly resources: number;
  readonly scopes: number;
  readonly services: number;
  readonly operations: number;
}

/** The intern tables and the references traces hold on them. */
export class Catalog {
  readonly resources = new InternTable<ResourceEntry>();
  readonly scopes = new InternTable<ScopeEntry>();
  readonly services = new InternTable<ServiceEntry>();
  readonly operations = new InternTable<OperationEntry>();
  // Entries interned by the request being written: swept at commit if no span kept them.
  private readonly freshResources: ResourceEntry[] = [];
  private readonly freshScopes: ScopeEntry[] = [];
  private readonly freshServices: ServiceEntry[] = [];

  /** The resource of the bytes `buf[start, end)`, interned. */
  resource(buf: Buffer, start: number, end: number): ResourceEntry {
    const key = buf.toString('latin1', start, end);
    const found = this.resources.find(key);
    if (found !== undefined) return found;
    const [serviceName, hashes] = resourceTags(buf, start, end);
    const serviceId = this.service(serviceName ?? NO_SERVICE_NAME).id;
    const bytes = Buffer.from(buf.subarray(start, end));
    const id = this.resources.nextId();
    const entry = this.resources.insert({ id, key, refs: 0, bytes, hashes, serviceId });
    this.freshResources.push(entry);
    return entry;
  }

  /** The scope of the bytes `buf[start, end)`, interned. */
  scope(buf: Buffer, start: number, end: number): ScopeEntry {
    const key = buf.toString('latin1', start, end);
    const found = this.scopes.find(key);
    if (found !== undefined) return found;
    const hashes = scopeTags(buf, start, end);
    const bytes = Buffer.from(buf.subarray(start, end));
    const entry = this.scopes.insert({ id: this.scopes.nextId(), key, refs: 0, bytes, hashes });
    this.freshScopes.push(entry);
    return entry;
  }

  private service(name: string): ServiceEntry {
    const found = this.services.find(name);
    if (found !== undefined) return found;
    const id = this.services.nextId();
    const entry = this.services.insert({ id, key: name, refs: 0, traces: [], dead: 0, ops: new Map() });
    this.freshServices.push(entry);
    return entry;
  }

  /** The id of the operation (service, span name, kind); kinds out of range count as unspecified. */
  operation(serviceId: number, name: string, kind: number): number {
    const svc = this.services.at(serviceId);
    let kinds = svc.ops.get(name);
    if (kinds === undefined) {
      kinds = [];
      svc.ops.set(name, kinds);
    }
    const k = kind < SPAN_KIND_NAMES.length ? kind : 0;
    const found = kinds[k];
    if (found !== undefined) return found;
    const id = this.operations.nextId();
    this.operations.insert({ id, key: `${serviceId}\u0000${k}\u0000${name}`, refs: 0, serviceId, name, kind: k });
    kinds[k] = id;
    return id;
  }

  /** Takes the references a trace's spans need: true when `res` is new to the trace. */
  retain(t: Trace, res: ResourceEntry, scope: ScopeEntry, opId: number): boolean {
    let newResource = false;
    if (!t.resources.includes(res.id)) {
      // A trace's services are those of its resources.
      if (!this.hasService(t, res.serviceId)) {
        const svc = this.services.at(res.serviceId);
        svc.traces.push(t);
        this.services.retain(svc);
      }
      t.resources.push(res.id);
      this.resources.retain(res);
      newResource = true;
    }
    if (!t.scopes.includes(scope.id)) {
      t.scopes.push(scope.id);
      this.scopes.retain(scope);
    }
    if (!t.ops.includes(opId)) {
      t.ops.push(opId);
      this.operations.retain(this.operations.at(opId));
    }
    return newResource;
  }

  /** Drops what the request interned but no stored span uses (spans without a valid trace id). */
  sweep(): void {
    sweepUnreferenced(this.resources, this.freshResources);
    sweepUnreferenced(this.scopes, this.freshScopes);
    sweepUnreferenced(this.services, this.freshServices);
  }

  /** Releases every reference an evicted trace held. */
  release(t: Trace): void {
    for (const id of t.ops) {
      const op = this.operations.at(id);
      if (this.operations.release(op)) forgetOperation(this.services.at(op.serviceId), op);
    }
    for (const sid of this.servicesOf(t)) {
      const svc = this.services.at(sid);
      svc.dead++;
      if (this.services.release(svc)) continue;
      if (svc.dead > 64 && svc.dead * 2 > svc.traces.length) {
        svc.traces = svc.traces.filter((x) => !x.dead);
        svc.dead = 0;
      }
    }
    for (const id of t.resources) this.resources.release(this.resources.at(id));
    for (const id of t.scopes) this.scopes.release(this.scopes.at(id));
  }

  /** The ids of the services of a trace's resources. */
  servicesOf(t: Trace): number[] {
    const out: number[] = [];
    for (const rid of t.resources) {
      const sid = this.resources.at(rid).serviceId;
      if (!out.includes(sid)) out.push(sid);
    }
    return out;
  }

  private hasService(t: Trace, serviceId: number): boolean {
    for (const rid of t.resources) if (this.resources.at(rid).serviceId === serviceId) return true;
    return false;
  }

  sizes(): CatalogSizes {
    const { resources, scopes, services, operations } = this;
    return { resources: resources.size, scopes: scopes.size, services: services.size, operations: operations.size };
  }
}

function sweepUnreferenced<T extends InternEntry>(table: InternTable<T>, fresh: T[]): void {
  for (const e of fresh) if (e.refs === 0) table.drop(e);
  fresh.length = 0;
}

function forgetOperation(svc: ServiceEntry, op: OperationEntry): void {
  const kinds = svc.ops.get(op.name);
  if (kinds === undefined) return;
  kinds[op.kind] = undefined;
  if (kinds.every((k) => k === undefined)) svc.ops.delete(op.name);
}

/** A Resource's service.name (the first) and the distinct hashes of its other attributes. */
function resourceTags(buf: Buffer, start: number, end: number): [string | undefined, number[]] {
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
  return [serviceName, hashes];
}

/** The hashes of a scope's otel.scope.name and otel.scope.version tags (when not empty). */
function scopeTags(buf: Buffer, start: number, end: number): number[] {
  const hashes: number[] = [];
  const r = new WireReader(buf, start, end);
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === T_SCOPE_NAME || tag === T_SCOPE_VERSION) {
      const v = r.string();
      if (v !== '') hashes.push(tagHash(tag === T_SCOPE_NAME ? 'otel.scope.name' : 'otel.scope.version', v));
    } else r.skip(tag & 7);
  }
  return hashes;
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
