// Synthetic OTLP trace requests for the store benchmark: traces of 10 spans (5 in a `frontend-N`
// service, 5 in a `backend-N` service), ~300 bytes per span on the wire (ids, name, kind, times and
// six attributes like an HTTP client/server span), 50 traces per request. Each trace is a copy of one
// of a few templates with its trace id and times written in place, so generating is cheap.
import { randomFillSync } from 'node:crypto';
import { lenFieldSize, varintSize, writeLenHeader, writeVarint } from '../../src/pdata/wire.ts';

export const SPANS_PER_TRACE = 10;
export const TRACES_PER_REQUEST = 50;
export const SERVICES = 8;

function len(no: number, body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(lenFieldSize(no, body.length));
  body.copy(out, writeLenHeader(out, 0, no, body.length));
  return out;
}
const str = (no: number, s: string): Buffer => len(no, Buffer.from(s, 'utf8'));
function varint(no: number, v: number): Buffer {
  const out = Buffer.allocUnsafe(varintSize(no << 3) + varintSize(v));
  writeVarint(out, writeVarint(out, 0, no << 3), v);
  return out;
}
function fixed64(no: number): Buffer {
  const out = Buffer.alloc(1 + 8);
  out[0] = (no << 3) | 1;
  return out;
}
function kv(key: string, value: string | number): Buffer {
  const v = typeof value === 'string' ? str(1, value) : varint(3, value);
  return len(9, Buffer.concat([str(1, key), len(2, v)]));
}
function resource(service: string): Buffer {
  const attrs = [
    ['service.name', service],
    ['k8s.cluster.name', 'edge-1'],
    ['telemetry.sdk.language', 'nodejs'],
  ].map(([k, v]) => len(1, Buffer.concat([str(1, k!), len(2, str(1, v!))])));
  return Buffer.concat(attrs);
}

/** A span template: its bytes and where its trace id and times go. */
interface SpanTemplate {
  readonly bytes: Buffer;
  readonly traceIdAt: number;
  readonly startAt: number;
  readonly endAt: number;
  readonly offsetUs: number;
  readonly durationUs: number;
}

function spanTemplate(t: number, i: number, service: string): SpanTemplate {
  const spanId = Buffer.alloc(8);
  spanId.writeUInt32BE(t + 1, 0);
  spanId.writeUInt32BE(i + 1, 4);
  const parent = Buffer.alloc(8);
  parent.writeUInt32BE(t + 1, 0);
  parent.writeUInt32BE(i, 4);
  const status = 200 + (i === 9 && t % 10 === 0 ? 300 : 0);
  const head = Buffer.concat([len(1, Buffer.alloc(16)), len(2, spanId)]);
  const tail = Buffer.concat([
    i === 0 ? Buffer.alloc(0) : len(4, parent),
    str(5, `${i < 5 ? 'GET' : 'SELECT'} /api/v1/items/${(t + i) % 20}`),
    varint(6, i % 5 === 0 ? 2 : 3),
  ]);
  const times = Buffer.concat([fixed64(7), fixed64(8)]);
  const attrs = Buffer.concat([
    kv('http.method', 'GET'),
    kv('http.status_code', status),
    kv('http.route', `/api/v1/items/{id}`),
    kv('http.url', `https://${service}.example.com/api/v1/items/${1000 + t * 10 + i}?page=2`),
    kv('net.peer.name', `${service}.svc.cluster.local`),
    kv('component', 'http'),
  ]);
  const statusMsg = status >= 500 ? len(15, varint(3, 2)) : Buffer.alloc(0);
  const bytes = Buffer.concat([head, tail, times, attrs, statusMsg]);
  const startAt = head.length + tail.length + 1;
  return { bytes, traceIdAt: 2, startAt, endAt: startAt + 9, offsetUs: i * 100, durationUs: 1000 - i * 50 };
}

/** Makes requests: `next(firstTrace, startUs)` returns one request of TRACES_PER_REQUEST new traces. */
export class RequestGenerator {
  private readonly templates: SpanTemplate[][] = [];
  private readonly resources: Buffer[];
  private readonly scope = str(1, 'bench');
  private readonly ids = Buffer.alloc(16 * TRACES_PER_REQUEST);

  constructor() {
    for (let t = 0; t < 40; t++) {
      const row: SpanTemplate[] = [];
      for (let i = 0; i < SPANS_PER_TRACE; i++) row.push(spanTemplate(t, i, serviceOf(t, i)));
      this.templates.push(row);
    }
    this.resources = [];
    for (let s = 0; s < SERVICES; s++) this.resources.push(resource(`frontend-${s}`), resource(`backend-${s}`));
  }

  /** Mean bytes of a span on the wire. */
  spanBytes(): number {
    const all = this.templates.flat();
    return all.reduce((n, s) => n + s.bytes.length, 0) / all.length;
  }

  /** One request of 50 traces starting at trace number `first`, their spans starting around `startUs`. */
  next(first: number, startUs: number): { request: Buffer; traceIds: Buffer[] } {
    randomFillSync(this.ids);
    const traceIds: Buffer[] = [];
    // service index → spans of that service in this request
    const byResource = new Map<number, Buffer[]>();
    for (let k = 0; k < TRACES_PER_REQUEST; k++) {
      const t = first + k;
      const row = this.templates[t % this.templates.length]!;
      const id = this.ids.subarray(k * 16, k * 16 + 16);
      traceIds.push(Buffer.from(id));
      for (let i = 0; i < SPANS_PER_TRACE; i++) {
        const tpl = row[i]!;
        const span = Buffer.from(tpl.bytes);
        id.copy(span, tpl.traceIdAt);
        const start = BigInt(startUs + k + tpl.offsetUs) * 1000n;
        span.writeBigUInt64LE(start, tpl.startAt);
        span.writeBigUInt64LE(start + BigInt(tpl.durationUs) * 1000n, tpl.endAt);
        const r = resourceIndex(t, i);
        const list = byResource.get(r) ?? [];
        list.push(len(2, span));
        byResource.set(r, list);
      }
    }
    const parts: Buffer[] = [];
    for (const [r, spans] of byResource) {
      const ss = len(2, Buffer.concat([len(1, this.scope), ...spans]));
      parts.push(len(1, Buffer.concat([len(1, this.resources[r]!), ss])));
    }
    return { request: Buffer.concat(parts), traceIds };
  }
}

function resourceIndex(t: number, i: number): number {
  return (t % SERVICES) * 2 + (i < 5 ? 0 : 1);
}

function serviceOf(t: number, i: number): string {
  return `${i < 5 ? 'frontend' : 'backend'}-${t % SERVICES}`;
}
