/* eslint-disable @typescript-eslint/no-unsafe-return -- JSON answers are checked as plain values */
// Issue 17: a query can never stall ingestion or the process. Jaeger v2's memory config runs in a
// Service with a store of 100,000 traces (written straight in with the generator's encoder); a `limit=0`
// search, a too-large limit and 200 concurrent worst-case searches are answered within their caps (or
// refused 503 with Retry-After), while the official SDK's OTLP/gRPC exports sent meanwhile all succeed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ExportResultCode } from '@opentelemetry/core';
import { BUILTIN_FACTORIES } from '../../src/components/builtin.ts';
import { loadConfig, registryOf } from '../../src/config/load-config.ts';
import { graphSpecOf } from '../../src/cli/load.ts';
import { Service } from '../../src/service/service.ts';
import type { Host } from '../../src/contracts/component.ts';
import { findTraceStore } from '../../src/backend/store/storage-extension.ts';
import { RecordingLogger } from '../helpers/fakes.ts';
import { MetricsRegistry } from '../../src/service/telemetry/metrics-registry.ts';
import { MetricsServer } from '../../src/service/telemetry/metrics-server.ts';
import { sdkExporter, sdkResource, sdkSend, sdkSpans } from '../helpers/sdk.ts';
import { freePort } from '../helpers/telegate-process.ts';
import { fillStore } from '../helpers/fill-store.ts';

const CONFIG = new URL('../../src/components/extensions/jaeger_query/testdata/config-memory.yaml', import.meta.url);
const STORED_TRACES = 100_000;
const MAX_RESPONSE_BYTES = 1024 * 1024;
const MAX_CONCURRENT = 8;
const CONCURRENT_SEARCHES = 200;
const EXPORTS = 20;

let service: Service;
let metricsServer: MetricsServer;
let metricsUrl = '';
let api = '';
let urls = { grpc: '', http: '' };
const logger = new RecordingLogger();

interface Answer {
  status: number;
  body: any;
  bytes: number;
  retryAfter: string | null;
}

async function get(path: string): Promise<Answer> {
  const res = await fetch(`${api}${path}`);
  const text = await res.text();
  return {
    status: res.status,
    body: JSON.parse(text),
    bytes: Buffer.byteLength(text),
    retryAfter: res.headers.get('retry-after'),
  };
}

before(async () => {
  const [grpc, http, query] = await Promise.all([freePort(), freePort(), freePort()]);
  const env = {
    ...process.env,
    OTLP_GRPC_ENDPOINT: `127.0.0.1:${grpc}`,
    OTLP_HTTP_ENDPOINT: `127.0.0.1:${http}`,
    JAEGER_QUERY_ENDPOINT: `127.0.0.1:${query}`,
  };
  const { config } = await loadConfig({
    configs: [`yaml:${readFileSync(CONFIG, 'utf8')}`],
    sets: [
      'service::telemetry::metrics::level=none',
      'processors::batch::timeout=10ms',
      'extensions::jaeger_query::ui::log_access=false',
      `extensions::jaeger_query::limits::max_response_size_mib=${MAX_RESPONSE_BYTES / 1024 / 1024}`,
      `extensions::jaeger_query::limits::max_concurrent_queries=${MAX_CONCURRENT}`,
      `extensions::jaeger_storage::backends::some_store::memory::max_traces=${STORED_TRACES * 2}`,
    ],
    env,
    registry: registryOf(BUILTIN_FACTORIES),
  });
  const registry = new MetricsRegistry();
  metricsServer = new MetricsServer(registry, '127.0.0.1:0');
  metricsUrl = `http://${await metricsServer.start()}/metrics`;
  service = new Service(graphSpecOf(config!), { logger, telemetry: registry });
  await service.start();
  api = `http://127.0.0.1:${query}`;
  urls = { grpc: `http://127.0.0.1:${grpc}`, http: `http://127.0.0.1:${http}` };
  // The Service keeps its host private; the test reaches the store the way the query extension does.
  const host = (service as unknown as { host: Host }).host;
  const store = findTraceStore(host, 'test', 'storage.traces', 'some_store');
  fillStore(store, STORED_TRACES, 'loaded');
  assert.equal(store.stats().traces, STORED_TRACES);
});

after(async () => {
  await service.shutdown();
  await metricsServer.shutdown();
});

test('limit=0 gets Jaeger’s default of 100 traces, never the whole store; a limit over the maximum is a clear 400', async () => {
  const zero = await get('/api/traces?service=loaded&limit=0&lookback=1h');
  assert.equal(zero.status, 200);
  assert.equal(zero.body.data.length, 100);
  assert.equal(zero.body.total, 100);
  const huge = await get('/api/traces?service=loaded&limit=100000000');
  assert.equal(huge.status, 400);
  assert.deepEqual({ ...huge.body, errors: null }, { data: null, total: 0, limit: 0, offset: 0, errors: null });
  assert.match(
    huge.body.errors[0].msg,
    /100000000 is over the maximum search depth 1500 \(jaeger_query limits\.max_search_depth\)/,
  );
  const v3 = await get(
    `/api/v3/traces?query.service_name=loaded&query.start_time_min=${new Date(Date.now() - 3600_000).toISOString()}&query.start_time_max=${new Date().toISOString()}&query.search_depth=0`,
  );
  assert.equal(v3.status, 200);
  assert.equal(
    new Set(v3.body.result.resourceSpans.flatMap((r: any) => r.scopeSpans[0].spans.map((s: any) => s.traceId))).size,
    100,
  );
  assert.ok(
    logger.lines.some(
      (l) =>
        l.level === 'error' && l.msg === 'Query API request failed' && String(l.fields.url).includes('limit=100000000'),
    ),
  );
});

test('a search whose answer outgrows the byte budget stops there and says so', async () => {
  const big = await get('/api/traces?service=loaded&limit=1000&lookback=1h');
  assert.equal(big.status, 200);
  assert.ok(big.bytes <= MAX_RESPONSE_BYTES, `${big.bytes} bytes`);
  assert.ok(big.body.data.length > 0 && big.body.data.length < 1000);
  assert.equal(big.body.total, big.body.data.length);
  assert.match(big.body.warnings[0], /^results truncated at limits\.max_response_size_mib/);
});

test('200 concurrent worst-case searches: each answered within its caps or refused 503 with Retry-After, while SDK exports all succeed and /api/services and /metrics answer', async () => {
  const searches = Array.from({ length: CONCURRENT_SEARCHES }, (_, i) =>
    get(`/api/traces?service=loaded&limit=${i % 2 === 0 ? 0 : 1000}&lookback=2d`),
  );
  const exporter = sdkExporter('traces', 'grpc', urls);
  const exports: Promise<{ code: ExportResultCode }>[] = [];
  for (let i = 0; i < EXPORTS; i++)
    exports.push(sdkSend(exporter, sdkSpans(sdkResource({ 'service.name': 'during' })).items));
  const services = await get('/api/services');
  const metrics = await fetch(metricsUrl);
  const metricsText = await metrics.text();
  const results = await Promise.all(exports);
  const answers = await Promise.all(searches);
  await exporter.shutdown();
  assert.equal(services.status, 200);
  assert.ok(services.body.data.includes('loaded'));
  assert.equal(metrics.status, 200);
  assert.match(metricsText, /otelcol_receiver_accepted_spans/);
  assert.deepEqual(
    results.map((r) => r.code),
    Array.from({ length: EXPORTS }, () => ExportResultCode.SUCCESS),
  );
  const ok = answers.filter((a) => a.status === 200);
  const refused = answers.filter((a) => a.status === 503);
  assert.equal(ok.length + refused.length, CONCURRENT_SEARCHES);
  assert.ok(ok.length >= MAX_CONCURRENT, `${ok.length} answered`);
  assert.ok(refused.length > 0, 'more searches than the limit were in flight at once');
  for (const a of ok) {
    assert.ok(a.bytes <= MAX_RESPONSE_BYTES);
    assert.ok(a.body.data.length > 0 && a.body.data.length <= 1000);
  }
  for (const a of refused) {
    assert.equal(a.retryAfter, '1');
    assert.equal(a.body.errors[0].code, 503);
    assert.match(
      a.body.errors[0].msg,
      /^too many queries in flight \(limits\.max_concurrent_queries: 8\); retry later$/,
    );
  }
  // The process is alive and the spans sent meanwhile are stored.
  const during = await get('/api/traces?service=during&limit=100');
  assert.equal(during.status, 200);
  assert.equal(during.body.data.length, EXPORTS * 2);
});
