// A stand-in for the Jaeger query API, answering from canned traces in Jaeger's exact JSON (as
// jaeger's model/json and the query service write it) and serving the UI through serveUi, so the
// browser test runs before the real trace store exists. Times are relative to when it starts.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveUi } from '../../src/backend/ui/serve-ui.ts';

interface Kv {
  key: string;
  type: string;
  value: unknown;
}
interface Ref {
  refType: 'CHILD_OF' | 'FOLLOWS_FROM';
  traceID: string;
  spanID: string;
}
export interface FixtureSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references: Ref[];
  startTime: number;
  duration: number;
  tags: Kv[];
  logs: { timestamp: number; fields: Kv[] }[];
  processID: string;
  warnings: string[] | null;
}
export interface FixtureTrace {
  traceID: string;
  spans: FixtureSpan[];
  processes: Record<string, { serviceName: string; tags: Kv[] }>;
  warnings: string[] | null;
}

const str = (key: string, value: string): Kv => ({ key, type: 'string', value });
const int = (key: string, value: number): Kv => ({ key, type: 'int64', value });
const bool = (key: string, value: boolean): Kv => ({ key, type: 'bool', value });

const PROCESSES = {
  p1: {
    serviceName: 'frontend',
    tags: [
      str('k8s.cluster.name', 'edge-eu-1'),
      str('cloud.availability_zone', 'eu-west-1a'),
      str('k8s.namespace.name', 'shop'),
      str('telemetry.sdk.language', 'nodejs'),
    ],
  },
  p2: {
    serviceName: 'checkout',
    tags: [
      str('k8s.cluster.name', 'central-us-1'),
      str('cloud.availability_zone', 'us-east-1b'),
      str('k8s.namespace.name', 'orders'),
    ],
  },
};

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/** A random-looking trace id that differs in its first characters, as real ones do. */
function traceId(n: number): string {
  return hex(Math.imul(n, 0x9e3779b1) >>> 0, 8) + '77b34da6a3ce929d0e0e4736';
}

function span(
  traceID: string,
  id: number,
  parent: number | undefined,
  op: string,
  pid: 'p1' | 'p2',
  startUs: number,
  durationUs: number,
  tags: Kv[] = [],
): FixtureSpan {
  const spanID = hex(id, 16);
  const references: Ref[] = parent === undefined ? [] : [{ refType: 'CHILD_OF', traceID, spanID: hex(parent, 16) }];
  return {
    traceID,
    spanID,
    operationName: op,
    references,
    startTime: startUs,
    duration: durationUs,
    tags,
    logs: [],
    processID: pid,
    warnings: null,
  };
}

/** The checkout trace: two services across clusters, events, a link and a failed span. */
function checkoutTrace(t0: number, n: number): FixtureTrace {
  const id = traceId(0xc0ffee00 + n);
  const root = span(id, n * 100 + 1, undefined, 'GET /checkout', 'p1', t0, 182_000, [
    str('span.kind', 'server'),
    str('http.method', 'GET'),
    int('http.status_code', 500),
    str('otel.status_code', 'ERROR'),
    bool('error', true),
  ]);
  const render = span(id, n * 100 + 2, n * 100 + 1, 'render cart', 'p1', t0 + 2_000, 15_000, [
    str('span.kind', 'internal'),
  ]);
  const call = span(id, n * 100 + 3, n * 100 + 1, 'POST /orders', 'p2', t0 + 20_000, 150_000, [
    str('span.kind', 'server'),
    str('http.method', 'POST'),
    str('http.route', '/orders'),
    str('user_agent.original', '<img src=x onerror="document.title=1">'),
    int('http.status_code', 503),
    str('otel.status_code', 'ERROR'),
    str('otel.status_description', 'payment backend unavailable'),
    bool('error', true),
  ]);
  call.logs = [
    { timestamp: t0 + 30_000, fields: [str('event', 'order.validated'), int('order.items', 3)] },
    {
      timestamp: t0 + 160_000,
      fields: [
        str('event', 'exception'),
        str('exception.type', 'PaymentError'),
        str('exception.message', 'payment backend unavailable'),
      ],
    },
  ];
  call.references.push({ refType: 'FOLLOWS_FROM', traceID: hex(0xbadcafe, 32), spanID: hex(0xfeed, 16) });
  const db = span(id, n * 100 + 4, n * 100 + 3, 'SELECT orders', 'p2', t0 + 25_000, 40_000, [
    str('span.kind', 'client'),
    str('db.system', 'postgresql'),
  ]);
  const pay = span(id, n * 100 + 5, n * 100 + 3, 'charge card', 'p2', t0 + 70_000, 95_000, [
    str('span.kind', 'client'),
  ]);
  return { traceID: id, spans: [root, render, call, db, pay], processes: PROCESSES, warnings: null };
}

function homeTrace(t0: number, n: number): FixtureTrace {
  const id = traceId(0xabc00000 + n);
  const root = span(id, n * 100 + 1, undefined, 'GET /', 'p1', t0, 8_000 + n * 1_500, [
    str('span.kind', 'server'),
    int('http.status_code', 200),
    str('otel.status_code', 'OK'),
  ]);
  const child = span(id, n * 100 + 2, n * 100 + 1, 'render home', 'p1', t0 + 500, 5_000 + n * 1_000, [
    str('span.kind', 'internal'),
  ]);
  return { traceID: id, spans: [root, child], processes: { p1: PROCESSES.p1 }, warnings: null };
}

/** A trace of `count` spans in one long chain of fan-outs, to check the timeline stays virtualised. */
export function bigTrace(t0: number, count: number): FixtureTrace {
  const id = traceId(0xb16);
  const spans: FixtureSpan[] = [];
  for (let i = 1; i <= count; i++) {
    const parent = i === 1 ? undefined : Math.max(1, Math.floor(i / 4));
    spans.push(
      span(id, i, parent, `step ${i}`, i % 2 === 0 ? 'p2' : 'p1', t0 + i * 10, Math.max(50, 5_000_000 - i * 400)),
    );
  }
  return { traceID: id, spans, processes: PROCESSES, warnings: null };
}

/** The canned traces, newest first: checkout traces with errors, home page traces, one 10,000-span trace. */
export function fixtureTraces(nowUs: number): FixtureTrace[] {
  const out: FixtureTrace[] = [];
  for (let n = 0; n < 3; n++) out.push(checkoutTrace(nowUs - (n + 1) * 60_000_000, n));
  for (let n = 0; n < 5; n++) out.push(homeTrace(nowUs - (n + 1) * 37_000_000, n));
  out.push(bigTrace(nowUs - 30 * 60_000_000, 10_000));
  return out;
}

const GO_DURATION = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)$/;
const UNIT_US: Record<string, number> = { ns: 0.001, us: 1, µs: 1, ms: 1000, s: 1e6, m: 6e7, h: 3.6e9 };

function parseDuration(v: string): number | undefined {
  const m = GO_DURATION.exec(v);
  return m ? Number(m[1]) * (UNIT_US[m[2]!] ?? 1) : undefined;
}

class BadRequest extends Error {}

function reply(res: ServerResponse, status: number, data: unknown, msg?: string): true {
  const body =
    msg === undefined
      ? { data, total: Array.isArray(data) ? data.length : 0, limit: 0, offset: 0, errors: null }
      : { data: null, total: 0, limit: 0, offset: 0, errors: [{ code: status, msg }] };
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
  return true;
}

function serviceOf(t: FixtureTrace, s: FixtureSpan): string {
  return t.processes[s.processID]?.serviceName ?? '';
}

function findTraces(traces: FixtureTrace[], q: URLSearchParams): FixtureTrace[] {
  const service = q.get('service');
  if (!service) throw new BadRequest("parameter 'service' is required");
  const op = q.get('operation');
  let tags: Record<string, string> = {};
  if (q.get('tags')) {
    try {
      tags = JSON.parse(q.get('tags')!);
    } catch {
      throw new BadRequest(`malformed 'tags' parameter, cannot unmarshal JSON: ${q.get('tags')}`);
    }
  }
  const dur = (name: string): number | undefined => {
    const v = q.get(name);
    if (!v) return undefined;
    const us = parseDuration(v);
    if (us === undefined) throw new BadRequest(`unable to parse param '${name}': time: invalid duration "${v}"`);
    return us;
  };
  const min = dur('minDuration') ?? 0;
  const max = dur('maxDuration') ?? Infinity;
  const start = Number(q.get('start') ?? 0);
  const end = Number(q.get('end') ?? Infinity);
  const limit = Number(q.get('limit') ?? 20) || 20;
  return traces
    .filter((t) =>
      t.spans.some((s) => {
        if (serviceOf(t, s) !== service || (op && s.operationName !== op)) return false;
        if (s.duration < min || s.duration > max || s.startTime < start || s.startTime > end) return false;
        const all = [...s.tags, ...(t.processes[s.processID]?.tags ?? [])];
        return Object.entries(tags).every(([k, v]) => all.some((kv) => kv.key === k && String(kv.value) === v));
      }),
    )
    .slice(0, limit);
}

function dependencies(traces: FixtureTrace[]): { parent: string; child: string; callCount: number }[] {
  const counts = new Map<string, number>();
  for (const t of traces) {
    const byId = new Map(t.spans.map((s) => [s.spanID, s]));
    for (const s of t.spans) {
      const p = s.references.find((r) => r.refType === 'CHILD_OF');
      const parent = p && byId.get(p.spanID);
      if (!parent || serviceOf(t, parent) === serviceOf(t, s)) continue;
      const key = `${serviceOf(t, parent)}\n${serviceOf(t, s)}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return [...counts].map(([k, callCount]) => {
    const [parent = '', child = ''] = k.split('\n');
    return { parent, child, callCount };
  });
}

function answerApi(traces: FixtureTrace[], url: URL, res: ServerResponse): true {
  const path = url.pathname;
  const ops = (service: string): string[] => [
    ...new Set(traces.flatMap((t) => t.spans.filter((s) => serviceOf(t, s) === service).map((s) => s.operationName))),
  ];
  if (path === '/api/services')
    return reply(res, 200, [...new Set(traces.flatMap((t) => t.spans.map((s) => serviceOf(t, s))))]);
  const opsMatch = /^\/api\/services\/([^/]+)\/operations$/.exec(path);
  if (opsMatch) return reply(res, 200, ops(decodeURIComponent(opsMatch[1]!)));
  if (path === '/api/operations')
    return reply(
      res,
      200,
      ops(url.searchParams.get('service') ?? '').map((name) => ({ name, spanKind: '' })),
    );
  if (path === '/api/dependencies') return reply(res, 200, dependencies(traces));
  if (path === '/api/traces') return reply(res, 200, findTraces(traces, url.searchParams));
  const one = /^\/api\/traces\/([0-9a-fA-F]+)$/.exec(path);
  if (one) {
    const t = traces.find((x) => x.traceID === one[1]!.toLowerCase().padStart(32, '0'));
    return t ? reply(res, 200, [t]) : reply(res, 404, null, 'trace not found');
  }
  if (path.startsWith('/api/traces/')) return reply(res, 400, null, `malformed parameter traceID: ${path.slice(12)}`);
  return reply(res, 404, null, '404 page not found');
}

/** A running fixture server. */
export interface JaegerFixture {
  readonly url: string;
  readonly traces: readonly FixtureTrace[];
  close(): Promise<void>;
}

/**
 * Starts the fixture on 127.0.0.1 (a free port); with `basePath` ('/jaeger') everything is served
 * below it, as the query extension does with Jaeger's `base_path`, and `url` includes it.
 */
export async function startJaegerFixture(basePath = ''): Promise<JaegerFixture> {
  const traces = fixtureTraces(Date.now() * 1000);
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (basePath !== '' && url.pathname.startsWith(`${basePath}/api/`))
      url.pathname = url.pathname.slice(basePath.length);
    if (url.pathname.startsWith('/api/')) {
      try {
        answerApi(traces, url, res);
      } catch (err) {
        if (err instanceof BadRequest) reply(res, 400, null, err.message);
        else throw err;
      }
      return;
    }
    if (!serveUi(req, res, basePath)) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('404 page not found\n');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${basePath}`,
    traces,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
