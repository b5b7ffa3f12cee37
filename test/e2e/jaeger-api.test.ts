/* eslint-disable @typescript-eslint/no-unsafe-return -- JSON answers are checked field by field as plain values */
// The Jaeger query API end to end: Jaeger v2's memory config (as Jaeger writes it) runs in a Service,
// the OpenTelemetry JS SDK sends traces over OTLP, and every answer is checked field by field against
// Jaeger's JSON shapes (model/json, the {data,total,limit,offset,errors} envelope, the error body).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { get } from 'node:http';
import { context, trace, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ExportResultCode } from '@opentelemetry/core';
import { BUILTIN_FACTORIES } from '../../src/components/builtin.ts';
import { loadConfig, registryOf } from '../../src/config/load-config.ts';
import { graphSpecOf } from '../../src/cli/load.ts';
import { Service } from '../../src/service/service.ts';
import { MemoryTelemetry, RecordingLogger } from '../helpers/fakes.ts';
import { sdkExporter, sdkResource, sdkSend, sdkSpans } from '../helpers/sdk.ts';
import { freePort } from '../helpers/telegate-process.ts';

const CONFIG = new URL('../../src/components/extensions/jaeger_query/testdata/config-memory.yaml', import.meta.url);

let service: Service;
let api = '';
let serverTraceId = '';
let clientTraceId = '';
let nestedTraceId = '';
const t0Us = Date.now() * 1000;

async function json(path: string): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(`${api}${path}`);
  return { status: res.status, body: await res.json(), headers: res.headers };
}

/** A trace of three spans across two services: front (server) → back (client, server, with an error). */
function nestedSpans() {
  const memory = new InMemorySpanExporter();
  const front = new BasicTracerProvider({
    resource: sdkResource({ 'service.name': 'front' }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const back = new BasicTracerProvider({
    resource: sdkResource({ 'service.name': 'back' }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const root = front.getTracer('web').startSpan('GET /checkout', { kind: SpanKind.SERVER });
  const ctx = trace.setSpan(context.active(), root);
  const call = front.getTracer('web').startSpan('POST /pay', { kind: SpanKind.CLIENT }, ctx);
  const server = back
    .getTracer('pay')
    .startSpan('pay', { kind: SpanKind.SERVER, attributes: { amount: 42 } }, trace.setSpan(ctx, call));
  server.setStatus({ code: SpanStatusCode.ERROR, message: 'card declined' });
  server.end();
  call.end();
  root.end();
  return { items: memory.getFinishedSpans(), traceId: root.spanContext().traceId };
}

async function until<T>(what: string, f: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await f();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

before(async () => {
  const [grpc, http, query] = await Promise.all([freePort(), freePort(), freePort()]);
  const env = {
    ...process.env,
    OTLP_GRPC_ENDPOINT: `127.0.0.1:${grpc}`,
    OTLP_HTTP_ENDPOINT: `127.0.0.1:${http}`,
    JAEGER_QUERY_ENDPOINT: `127.0.0.1:${query}`,
  };
  const { config, issues } = await loadConfig({
    configs: [`yaml:${readFileSync(CONFIG, 'utf8')}`],
    sets: ['service::telemetry::metrics::level=none', 'processors::batch::timeout=10ms'],
    env,
    registry: registryOf(BUILTIN_FACTORIES),
  });
  assert.deepEqual(
    issues.filter((i) => i.severity === 'error').map((i) => i.message),
    [],
  );
  service = new Service(graphSpecOf(config!), { logger: new RecordingLogger(), telemetry: new MemoryTelemetry() });
  await service.start();
  api = `http://127.0.0.1:${query}`;

  const urls = { grpc: `http://127.0.0.1:${grpc}`, http: `http://127.0.0.1:${http}` };
  const batch = sdkSpans();
  const exporter = sdkExporter('traces', 'http/protobuf', urls);
  assert.equal((await sdkSend(exporter, batch.items)).code, ExportResultCode.SUCCESS);
  const nested = nestedSpans();
  const grpcExporter = sdkExporter('traces', 'grpc', urls);
  assert.equal((await sdkSend(grpcExporter, nested.items)).code, ExportResultCode.SUCCESS);
  await exporter.shutdown();
  await grpcExporter.shutdown();
  nestedTraceId = nested.traceId;
  const items = batch.items as { name: string; spanContext(): { traceId: string } }[];
  serverTraceId = items.find((s) => s.name === 'GET /cart')!.spanContext().traceId;
  clientTraceId = items.find((s) => s.name === 'SELECT cart')!.spanContext().traceId;
  await until('the traces to be stored', async () => {
    const { body } = await json('/api/traces?service=back');
    return body.data?.length === 1 ? true : undefined;
  });
});

after(async () => {
  await service.shutdown();
});

const ENVELOPE_KEYS = ['data', 'total', 'limit', 'offset', 'errors'];

test('GET /api/services: the envelope with every service', async () => {
  const { status, body, headers } = await json('/api/services');
  assert.equal(status, 200);
  assert.match(headers.get('content-type') ?? '', /^application\/json/);
  assert.deepEqual(Object.keys(body), ENVELOPE_KEYS);
  assert.deepEqual(body, { data: ['back', 'checkout', 'front'], total: 3, limit: 0, offset: 0, errors: null });
});

test('GET /api/services/{service}/operations and /api/operations with spanKind', async () => {
  assert.deepEqual((await json('/api/services/checkout/operations')).body, {
    data: ['GET /cart', 'SELECT cart'],
    total: 2,
    limit: 0,
    offset: 0,
    errors: null,
  });
  assert.deepEqual((await json('/api/operations?service=checkout')).body.data, [
    { name: 'GET /cart', spanKind: 'server' },
    { name: 'SELECT cart', spanKind: 'client' },
  ]);
  assert.deepEqual((await json('/api/operations?service=checkout&spanKind=server')).body, {
    data: [{ name: 'GET /cart', spanKind: 'server' }],
    total: 1,
    limit: 0,
    offset: 0,
    errors: null,
  });
  assert.deepEqual((await json('/api/services/nope/operations')).body.data, []);
});

test('GET /api/traces/{id}: Jaeger JSON field by field for the SDK spans', async () => {
  const { status, body } = await json(`/api/traces/${serverTraceId}`);
  assert.equal(status, 200);
  assert.deepEqual(Object.keys(body), ENVELOPE_KEYS);
  assert.equal(body.total, 1);
  const [t] = body.data;
  assert.deepEqual(Object.keys(t), ['traceID', 'spans', 'processes', 'warnings']);
  assert.equal(t.traceID, serverTraceId);
  assert.equal(t.warnings, null);
  const [span] = t.spans;
  assert.deepEqual(Object.keys(span), [
    'traceID',
    'spanID',
    'operationName',
    'references',
    'startTime',
    'duration',
    'tags',
    'logs',
    'processID',
    'warnings',
  ]);
  assert.equal(span.traceID, serverTraceId);
  assert.match(span.spanID, /^[0-9a-f]{16}$/);
  assert.equal(span.operationName, 'GET /cart');
  assert.deepEqual(span.references, []);
  assert.ok(Number.isInteger(span.startTime) && span.startTime >= t0Us - 60e6 && span.startTime <= Date.now() * 1000);
  assert.ok(Number.isInteger(span.duration) && span.duration >= 0);
  assert.deepEqual(span.tags, [
    { key: 'otel.scope.name', type: 'string', value: 'e2e' },
    { key: 'otel.scope.version', type: 'string', value: '1.0.0' },
    { key: 'http.method', type: 'string', value: 'GET' },
    { key: 'ok', type: 'bool', value: true },
    { key: 'ratio', type: 'float64', value: 0.5 },
    { key: 'retries', type: 'int64', value: 3 },
    { key: 'span.kind', type: 'string', value: 'server' },
  ]);
  assert.equal(span.logs.length, 1);
  assert.deepEqual(Object.keys(span.logs[0]), ['timestamp', 'fields']);
  assert.ok(Number.isInteger(span.logs[0].timestamp) && span.logs[0].timestamp >= span.startTime);
  assert.deepEqual(span.logs[0].fields, [
    { key: 'event', type: 'string', value: 'cache.miss' },
    { key: 'key', type: 'string', value: 'cart:42' },
  ]);
  assert.equal(span.processID, 'p1');
  assert.equal(span.warnings, null);
  assert.deepEqual(Object.keys(t.processes), ['p1']);
  assert.equal(t.processes.p1.serviceName, 'checkout');
  const ptags = t.processes.p1.tags.map((kv: { key: string }) => kv.key);
  assert.deepEqual(ptags, [...ptags].sort());
  assert.ok(ptags.includes('deployment.environment') && ptags.includes('internal.secret'));
  assert.ok(!ptags.includes('service.name'));
});

test('links → FOLLOWS_FROM references; error status → otel.status_code, error, otel.status_description', async () => {
  const { body } = await json(`/api/traces/${clientTraceId}`);
  const [span] = body.data[0].spans;
  assert.deepEqual(span.references, [
    { refType: 'FOLLOWS_FROM', traceID: serverTraceId, spanID: span.references[0].spanID },
  ]);
  assert.deepEqual(span.tags.slice(-5), [
    { key: 'tags', type: 'string', value: '["a","b"]' },
    { key: 'span.kind', type: 'string', value: 'client' },
    { key: 'otel.status_code', type: 'string', value: 'ERROR' },
    { key: 'error', type: 'bool', value: true },
    { key: 'otel.status_description', type: 'string', value: 'timeout' },
  ]);
});

test('a trace across services: CHILD_OF references, one process per service', async () => {
  const { body } = await json(`/api/traces/${nestedTraceId}`);
  const t = body.data[0];
  assert.equal(t.spans.length, 3);
  const byName = new Map<string, any>(t.spans.map((s: any) => [s.operationName, s]));
  const root = byName.get('GET /checkout');
  const call = byName.get('POST /pay');
  const pay = byName.get('pay');
  assert.deepEqual(root.references, []);
  assert.deepEqual(call.references, [{ refType: 'CHILD_OF', traceID: nestedTraceId, spanID: root.spanID }]);
  assert.deepEqual(pay.references, [{ refType: 'CHILD_OF', traceID: nestedTraceId, spanID: call.spanID }]);
  assert.equal(t.processes[root.processID].serviceName, 'front');
  assert.equal(t.processes[pay.processID].serviceName, 'back');
  assert.equal(call.processID, root.processID);
  assert.deepEqual(Object.keys(t.processes).sort(), ['p1', 'p2']);
});

test('GET /api/traces searches by service, operation, tags (JSON and key:value), duration, time and limit', async () => {
  const ids = async (q: string) =>
    ((await json(`/api/traces?${q}`)).body.data as { traceID: string }[]).map((t) => t.traceID);
  const { body } = await json('/api/traces?service=checkout&limit=20');
  assert.deepEqual(Object.keys(body), ENVELOPE_KEYS);
  assert.equal(body.total, 2);
  assert.equal(body.limit, 0);
  assert.deepEqual(body.data.map((t: any) => t.traceID).sort(), [clientTraceId, serverTraceId].sort());
  assert.deepEqual(await ids('service=checkout&operation=GET%20/cart'), [serverTraceId]);
  assert.deepEqual(await ids(`service=checkout&tags=${encodeURIComponent('{"http.method":"GET"}')}`), [serverTraceId]);
  assert.deepEqual(await ids('service=checkout&tag=error:true'), [clientTraceId]);
  assert.deepEqual(await ids('service=back&tag=amount:42'), [nestedTraceId]);
  assert.deepEqual(await ids('service=back&tags=' + encodeURIComponent('{"amount":"41"}')), []);
  assert.deepEqual((await ids('service=checkout&limit=1')).length, 1);
  assert.deepEqual(await ids('service=checkout&minDuration=1h'), []);
  assert.deepEqual((await ids('service=checkout&maxDuration=1h')).length, 2);
  const now = Date.now() * 1000;
  assert.deepEqual(await ids(`service=checkout&start=${now + 60e6}&end=${now + 120e6}`), []);
  assert.equal((await ids(`service=checkout&start=${t0Us - 60e6}&end=${now}&lookback=1h`)).length, 2);
  // By trace id, as Jaeger's traceID parameter.
  const byId = await json(`/api/traces?traceID=${serverTraceId}&traceID=${'f'.repeat(32)}`);
  assert.deepEqual(
    byId.body.data.map((t: any) => t.traceID),
    [serverTraceId],
  );
  assert.deepEqual(byId.body.errors, [{ code: 404, msg: 'trace not found', traceID: 'f'.repeat(32) }]);
});

test('bad queries get 400 with Jaeger’s error body; an unknown trace 404', async () => {
  const bad = async (q: string, msg: RegExp) => {
    const { status, body } = await json(q);
    assert.equal(status, 400, q);
    assert.deepEqual(Object.keys(body), ENVELOPE_KEYS);
    assert.deepEqual({ ...body, errors: null }, { data: null, total: 0, limit: 0, offset: 0, errors: null });
    assert.equal(body.errors.length, 1);
    assert.equal(body.errors[0].code, 400);
    assert.match(body.errors[0].msg, msg, q);
  };
  await bad('/api/traces?service=checkout&start=yesterday', /^unable to parse param 'start'/);
  await bad('/api/traces?service=checkout&end=1.5', /^unable to parse param 'end'/);
  await bad('/api/traces?service=checkout&limit=-1', /^unable to parse param 'limit'/);
  await bad('/api/traces?service=checkout&limit=ten', /^unable to parse param 'limit'/);
  await bad('/api/traces?service=checkout&tags={bad', /^malformed 'tags' parameter, cannot unmarshal JSON/);
  await bad('/api/traces?service=checkout&tag=nocolon', /^malformed 'tag' parameter/);
  await bad('/api/traces?service=checkout&minDuration=fast', /^unable to parse param 'minDuration'/);
  await bad('/api/traces?service=checkout&minDuration=2s&maxDuration=1s', /'maxDuration' should be greater/);
  await bad('/api/traces', /^parameter 'service' is required$/);
  await bad('/api/traces/not-hex', /^cannot parse traceID param/);
  await bad('/api/dependencies?endTs=soon', /^unable to parse param 'endTs'/);
  const missing = await json(`/api/traces/${'0'.repeat(31)}1`);
  assert.equal(missing.status, 404);
  assert.deepEqual(missing.body, {
    data: null,
    total: 0,
    limit: 0,
    offset: 0,
    errors: [{ code: 404, msg: 'trace not found' }],
  });
});

test('GET /api/dependencies counts calls between services', async () => {
  const { status, body } = await json(`/api/dependencies?endTs=${Date.now() + 1000}&lookback=3600000`);
  assert.equal(status, 200);
  assert.deepEqual(body, {
    data: [{ parent: 'front', child: 'back', callCount: 1 }],
    total: 1,
    limit: 0,
    offset: 0,
    errors: null,
  });
});

test('the /api/v3/ endpoints answer OTLP JSON', async () => {
  assert.deepEqual((await json('/api/v3/services')).body, { services: ['back', 'checkout', 'front'] });
  assert.deepEqual((await json('/api/v3/operations?service=checkout&span_kind=client')).body, {
    operations: [{ name: 'SELECT cart', spanKind: 'client' }],
  });
  const one = await json(`/api/v3/traces/${nestedTraceId}`);
  assert.equal(one.status, 200);
  const rs = one.body.result.resourceSpans;
  assert.equal(rs.length, 2);
  const spans = rs.flatMap((r: any) => r.scopeSpans.flatMap((s: any) => s.spans));
  assert.equal(spans.length, 3);
  assert.ok(spans.every((s: any) => s.traceId === nestedTraceId));
  assert.ok(
    rs.some((r: any) =>
      r.resource.attributes.some((a: any) => a.key === 'service.name' && a.value.stringValue === 'back'),
    ),
  );
  const start = new Date(Date.now() - 3600_000).toISOString();
  const end = new Date(Date.now() + 60_000).toISOString();
  const found = await json(
    `/api/v3/traces?query.service_name=back&query.start_time_min=${start}&query.start_time_max=${end}`,
  );
  assert.equal(found.status, 200);
  assert.equal(found.body.result.resourceSpans.length, 2);
  const missing = await json(`/api/v3/traces/${'e'.repeat(32)}`);
  assert.equal(missing.status, 404);
  assert.deepEqual(missing.body, { error: { httpCode: 404, message: 'trace not found' } });
  const bad = await json('/api/v3/traces?query.service_name=back');
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.httpCode, 400);
});

test('large answers are gzipped for clients that accept it; the UI answers its own paths, anything else is 404', async () => {
  const res = await new Promise<{ status: number; encoding: string | undefined; type: string | undefined }>(
    (resolve, reject) => {
      get(`${api}/api/traces?service=checkout`, { headers: { 'accept-encoding': 'gzip' } }, (r) => {
        r.resume();
        resolve({
          status: r.statusCode ?? 0,
          encoding: r.headers['content-encoding'],
          type: r.headers['content-type'],
        });
      }).on('error', reject);
    },
  );
  assert.deepEqual(res, { status: 200, encoding: 'gzip', type: 'application/json' });
  const ui = await fetch(`${api}/search`);
  assert.equal(ui.status, 200);
  assert.match(ui.headers.get('content-type') ?? '', /^text\/html/);
  const notUi = await fetch(`${api}/no-such-page.txt`);
  assert.equal(notUi.status, 404);
  const unknownApi = await json('/api/nope');
  assert.equal(unknownApi.status, 404);
  assert.equal(unknownApi.body.errors[0].code, 404);
});

test('a malformed percent escape in a path is a 400, not a server error', async () => {
  const res = await json('/api/services/%E0%A4%A/operations');
  assert.equal(res.status, 400);
  assert.equal(res.body.errors[0].code, 400);
});
