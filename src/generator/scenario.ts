// `--scenario shop`: realistic multi-service traces. A front end serves GET /api/checkout and calls
// each backend over gRPC one after another; every other backend queries PostgreSQL; checkout publishes
// an order that a later backend consumes (a CONSUMER span linked to the PRODUCER span). Latencies vary
// (some calls are slow), some payments fail with an exception event and the failure reaches the root;
// failures differ as real ones do: a declined card answers fast, a timeout late, each with its gRPC code.
// One resource per service. SCENARIO_VARIANTS templates with different latencies and errors rotate.
import { writeAttributes, type AttrValue } from './attributes.ts';
import { TAG } from '../pdata/fields.ts';
import type { GenOptions } from './options.ts';
import { ProtoWriter } from './proto-writer.ts';
import { resourceMessage, scopeMessage } from './resource.ts';
import { toTemplate, type Template } from './template.ts';
import { pickFailure, type Failure } from './scenario-failures.ts';

export const SCENARIO_VARIANTS = 8;
const BACKENDS = [
  'checkout',
  'cart',
  'payment',
  'shipping',
  'currency',
  'email',
  'product-catalog',
  'recommendation',
  'ad',
  'quote',
];
const KIND = { server: 2, client: 3, producer: 4, consumer: 5 } as const;
const MS = 1_000_000;
const ERROR_RATE = 0.08;

type Attrs = (readonly [string, AttrValue])[];

const S = TAG.Span;
const EV = TAG.SpanEvent;
/** Where a span goes: the spans of its service's ScopeSpans. */
const SPANS = TAG.ScopeSpans.spans;

/** A span's ids, name, kind and times; `parent` < 0 for a root. */
function spanHead(
  trace: number,
  key: number,
  parent: number,
  name: string,
  kind: number,
  start: number,
  end: number,
): ProtoWriter {
  const w = new ProtoWriter().mark(S.traceId, 'trace', trace).mark(S.spanId, 'span', key);
  if (parent >= 0) w.mark(S.parentSpanId, 'span', parent);
  w.string(S.name, name).varint(S.kind, kind);
  return w.mark(S.startTimeUnixNano, 'time', start).mark(S.endTimeUnixNano, 'time', end);
}

/** A Status of `code` (2: error) with `message`. */
function status(code: number, message: string): ProtoWriter {
  return new ProtoWriter().string(TAG.Status.message, message).varint(TAG.Status.code, code);
}

/** A SpanEvent at `at` ns. */
function event(at: number, name: string, attrs: Attrs): ProtoWriter {
  return writeAttributes(
    new ProtoWriter().mark(EV.timeUnixNano, 'time', at).string(EV.name, name),
    EV.attributes,
    attrs,
  );
}

/** Service names: the front end, then the backends (names beyond the list are numbered). */
export function scenarioServices(o: GenOptions): string[] {
  return ['frontend', ...Array.from({ length: o.services - 1 }, (_, i) => BACKENDS[i] ?? `backend-${i + 1}`)];
}

/** Spans per scenario trace: root, a client and a server span per backend, a query on every other backend, producer and consumer. */
export function scenarioSpansPerTrace(o: GenOptions): number {
  const backends = o.services - 1;
  return 1 + 2 * backends + Math.ceil(backends / 2) + 2;
}

/** Accumulates one template: the spans of each service, and the next span key. */
class Builder {
  readonly perService: ProtoWriter[];
  nextKey = 0;
  readonly o: GenOptions;
  readonly random: () => number;

  constructor(o: GenOptions, services: number, seed: number) {
    this.o = o;
    this.perService = Array.from({ length: services }, () => new ProtoWriter());
    this.random = rng(seed);
  }

  /** Adds a span to `service`; returns its key. */
  span(service: number, s: SpanSpec): number {
    const key = this.nextKey++;
    const w = spanHead(s.trace, key, s.parent, s.name, s.kind, s.start, s.end);
    writeAttributes(w, S.attributes, [...s.attrs, ...this.o.telemetryAttributes]);
    for (const e of s.events ?? []) w.message(S.events, event(e.at, e.name, e.attrs));
    if (s.link !== undefined) {
      const link = new ProtoWriter().mark(TAG.SpanLink.traceId, 'trace', s.trace);
      w.message(S.links, link.mark(TAG.SpanLink.spanId, 'span', s.link));
    }
    if (s.status !== 0) w.message(S.status, status(s.status, s.status === 2 ? (s.statusMessage ?? '') : ''));
    (this.perService[service] as ProtoWriter).message(SPANS, w);
    return key;
  }
}

interface SpanSpec {
  readonly trace: number;
  readonly parent: number;
  readonly name: string;
  readonly kind: number;
  readonly start: number;
  readonly end: number;
  readonly attrs: Attrs;
  readonly events?: readonly { readonly at: number; readonly name: string; readonly attrs: Attrs }[];
  readonly link?: number;
  readonly status: number;
  readonly statusMessage?: string;
}

/** A template of `traces` scenario traces; `variant` seeds the latencies and errors. */
export function buildScenarioTemplate(o: GenOptions, traces: number, variant: number): Template {
  const services = scenarioServices(o);
  const b = new Builder(o, services.length, variant * 7919 + 17);
  for (let t = 0; t < traces; t++) addTrace(b, services, t, t * 3 * MS);
  const request = new ProtoWriter();
  services.forEach((name, i) => {
    const scope = new ProtoWriter()
      .message(TAG.ScopeSpans.scope, scopeMessage('telegate-gen/scenario'))
      .append(b.perService[i] as ProtoWriter);
    const entry = new ProtoWriter()
      .message(TAG.ResourceSpans.resource, resourceMessage(withoutServiceName(o), name))
      .message(TAG.ResourceSpans.scopeSpans, scope);
    request.message(TAG.ExportTraceServiceRequest.resourceSpans, entry);
  });
  return toTemplate(request, traces * scenarioSpansPerTrace(o));
}

function withoutServiceName(o: GenOptions): GenOptions {
  return { ...o, resourceAttributes: o.resourceAttributes.filter(([k]) => k !== 'service.name') };
}

function addTrace(b: Builder, services: readonly string[], trace: number, t0: number): void {
  const failure = b.random() < ERROR_RATE ? pickFailure(b.random()) : undefined;
  const root = b.nextKey++;
  let cursor = t0 + Math.round(0.3 * MS);
  let producer = -1;
  for (let i = 1; i < services.length; i++) {
    const name = services[i] as string;
    const failed = name === (services[3] ?? services[1]) ? failure : undefined;
    const d = Math.round(callMs(b, failed) * MS);
    const client = b.nextKey++;
    const start = cursor;
    const serverStart = start + 200_000;
    const serverEnd = serverStart + d;
    const method = rpcMethod(name);
    const server = b.span(i, {
      trace,
      parent: client,
      name: `oteldemo.${method}`,
      kind: KIND.server,
      start: serverStart,
      end: serverEnd,
      attrs: rpcAttrs(name, method, failed?.grpcCode ?? 0),
      status: failed === undefined ? 0 : 2,
      ...(failed === undefined
        ? {}
        : { statusMessage: failed.message, events: [exceptionEvent(serverEnd - 50_000, failed)] }),
    });
    if ((i - 1) % 2 === 0)
      b.span(i, dbSpan(trace, server, name, serverStart + 100_000, serverStart + Math.round(d * 0.6)));
    if (i === 1) producer = b.span(i, producerSpan(trace, server, serverEnd - 300_000));
    if (i === services.length - 1) b.span(i, consumerSpan(trace, producer, serverStart + 50_000, serverEnd - 50_000));
    b.perService[0]?.message(
      SPANS,
      clientSpan(b, trace, root, client, name, method, start, serverEnd + 200_000, failed),
    );
    cursor = serverEnd + 250_000;
  }
  b.perService[0]?.message(SPANS, rootSpan(b, trace, root, t0, cursor + 500_000, failure));
}

/** A call's duration in ms: its failure's range, else usually fast and now and then slow. */
function callMs(b: Builder, failed: Failure | undefined): number {
  if (failed !== undefined) return failed.minMs + b.random() * (failed.maxMs - failed.minMs);
  return b.random() < 0.05 ? 150 + b.random() * 250 : 1 + b.random() * 25;
}

function rpcMethod(service: string): string {
  const svc = service
    .split('-')
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
  return `${svc}Service/${service === 'payment' ? 'Charge' : 'Get' + svc}`;
}

function rpcAttrs(service: string, method: string, grpcCode: number): Attrs {
  const [svc = '', m = ''] = method.split('/');
  return [
    ['rpc.system', 'grpc'],
    ['rpc.service', `oteldemo.${svc}`],
    ['rpc.method', m],
    ['server.address', service],
    ['rpc.grpc.status_code', grpcCode],
  ];
}

function exceptionEvent(at: number, failure: Failure): { at: number; name: string; attrs: Attrs } {
  return {
    at,
    name: 'exception',
    attrs: [
      ['exception.type', failure.exception],
      ['exception.message', failure.message],
    ],
  };
}

function dbSpan(trace: number, parent: number, service: string, start: number, end: number): SpanSpec {
  const table = service.replace(/-/g, '_');
  return {
    trace,
    parent,
    name: `SELECT shop.${table}`,
    kind: KIND.client,
    start,
    end,
    status: 0,
    attrs: [
      ['db.system', 'postgresql'],
      ['db.namespace', 'shop'],
      ['db.operation.name', 'SELECT'],
      ['db.query.text', `SELECT * FROM ${table} WHERE id = $1`],
      ['server.address', 'postgres'],
      ['server.port', 5432],
    ],
  };
}

function producerSpan(trace: number, parent: number, at: number): SpanSpec {
  return {
    trace,
    parent,
    name: 'orders publish',
    kind: KIND.producer,
    start: at,
    end: at + 150_000,
    status: 0,
    attrs: [
      ['messaging.system', 'kafka'],
      ['messaging.destination.name', 'orders'],
      ['messaging.operation.type', 'publish'],
    ],
  };
}

function consumerSpan(trace: number, producer: number, start: number, end: number): SpanSpec {
  return {
    trace,
    parent: producer,
    link: producer,
    name: 'orders process',
    kind: KIND.consumer,
    start,
    end,
    status: 0,
    attrs: [
      ['messaging.system', 'kafka'],
      ['messaging.destination.name', 'orders'],
      ['messaging.operation.type', 'process'],
    ],
  };
}

function clientSpan(
  b: Builder,
  trace: number,
  root: number,
  key: number,
  service: string,
  method: string,
  start: number,
  end: number,
  failed: Failure | undefined,
): ProtoWriter {
  const w = spanHead(trace, key, root, `oteldemo.${method}`, KIND.client, start, end);
  writeAttributes(w, S.attributes, [...rpcAttrs(service, method, failed?.grpcCode ?? 0), ...b.o.telemetryAttributes]);
  if (failed !== undefined) w.message(S.status, status(2, `payment failed: ${failed.message}`));
  return w;
}

function rootSpan(
  b: Builder,
  trace: number,
  key: number,
  start: number,
  end: number,
  failed: Failure | undefined,
): ProtoWriter {
  const w = spanHead(trace, key, -1, 'GET /api/checkout', KIND.server, start, end);
  writeAttributes(w, S.attributes, [
    ['http.request.method', 'GET'],
    ['url.path', '/api/checkout'],
    ['http.route', '/api/checkout'],
    ['http.response.status_code', failed?.httpStatus ?? 200],
    ['user_agent.original', 'Mozilla/5.0 (X11; Linux x86_64)'],
    ...b.o.telemetryAttributes,
  ]);
  w.message(S.events, event(start + 100_000, 'cart loaded', [['cart.items', 3]]));
  if (failed !== undefined) w.message(S.status, status(2, 'checkout failed'));
  return w;
}

/** A deterministic xorshift32 generator, so a variant is the same on every run. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x1_0000_0000;
  };
}
