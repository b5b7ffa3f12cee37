// The bounds of the query API on a memory store: URL length, admission, byte budgets on searches and
// single traces, HEAD, clients that leave mid-answer, v3's time parameters, and the error log.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MemoryStore } from '../store/memory-store.ts';
import { queryApiHandler } from './query-api.ts';
import { QueryScheduler } from './query-scheduler.ts';
import { DEFAULT_QUERY_LIMITS } from './query-limits.ts';
import { traceRequest, tid, sid } from '../../../test/helpers/traces.ts';
import { fillStore } from '../../../test/helpers/fill-store.ts';
import { MemoryTelemetry, RecordingLogger } from '../../../test/helpers/fakes.ts';

const MAX_BYTES = 64 * 1024;
const store = new MemoryStore({ maxTraces: 100_000, maxBytes: 1 << 30 });
const scheduler = new QueryScheduler({ ...DEFAULT_QUERY_LIMITS, maxConcurrent: 2 });
const logger = new RecordingLogger();
const telemetry = new MemoryTelemetry();
let server: Server;
let base = '';

before(async () => {
  fillStore(store, 2000, 'many');
  // One trace of 2,000 spans: larger than the byte budget.
  const big = Array.from({ length: 2000 }, (_, i) => ({
    traceId: tid(7),
    spanId: sid(i + 1),
    service: 'big',
    startUs: Date.now() * 1000 - 1e6,
    attributes: { filler: 'x'.repeat(40) },
  }));
  store.writeTraces(traceRequest(big));
  const handler = queryApiHandler({
    store,
    scheduler,
    logger,
    telemetry,
    limits: { maxResponseBytes: MAX_BYTES, maxUrlBytes: 1024, maxConcurrent: 2 },
  });
  server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server.close();
});

async function get(path: string, init?: RequestInit): Promise<{ status: number; text: string; headers: Headers }> {
  const res = await fetch(`${base}${path}`, init);
  return { status: res.status, text: await res.text(), headers: res.headers };
}

test('a URL over the limit gets 414 with Jaeger’s error body, logged at error', async () => {
  const res = await get(`/api/traces?service=${'s'.repeat(2000)}`);
  assert.equal(res.status, 414);
  const body = JSON.parse(res.text);
  assert.equal(body.errors[0].code, 414);
  assert.match(body.errors[0].msg, /^request URL of \d+ bytes is over the limit of 1024 bytes$/);
  const line = logger.lines.find((l) => l.level === 'error' && l.fields.status === 414);
  assert.ok(line);
  assert.equal(line.fields.method, 'GET');
  assert.ok(String(line.fields.url).endsWith('…'));
});

test('beyond max_concurrent_queries a search is refused 503 with Retry-After; a released slot serves again', async () => {
  const a = scheduler.admit();
  const b = scheduler.admit();
  try {
    const refused = await get('/api/traces?service=many');
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get('retry-after'), '1');
    assert.equal(JSON.parse(refused.text).errors[0].code, 503);
    const v3 = await get(`/api/v3/traces/${tid(7)}`);
    assert.equal(v3.status, 503);
    assert.equal(JSON.parse(v3.text).error.httpCode, 503);
    assert.equal((await get('/api/dependencies')).status, 503);
    assert.equal((await get('/api/services')).status, 200);
    assert.equal(telemetry.get('telegate_query_errors', { status: '503' }), 3);
  } finally {
    a?.release();
    b?.release();
  }
  assert.equal((await get('/api/traces?service=many&limit=1')).status, 200);
});

test('a trace larger than the byte budget is cut, with a warning, in v1 and v3 reads', async () => {
  const v1 = await get(`/api/traces/${tid(7)}`);
  assert.equal(v1.status, 200);
  assert.ok(v1.text.length <= MAX_BYTES);
  const trace = JSON.parse(v1.text).data[0];
  assert.ok(trace.spans.length > 0 && trace.spans.length < 2000);
  assert.match(trace.warnings[0], /^trace truncated: \d+ of 2000 spans left out/);
  const byIds = await get(`/api/traces?traceID=${tid(7)}&traceID=${tid(8)}`);
  const body = JSON.parse(byIds.text);
  assert.equal(body.data.length, 1);
  assert.deepEqual(body.errors, [{ code: 404, msg: 'trace not found', traceID: tid(8) }]);
  const v3 = await get(`/api/v3/traces/${tid(7)}`);
  assert.equal(v3.status, 200);
  assert.ok(v3.text.length <= MAX_BYTES);
  assert.match(JSON.parse(v3.text).warnings[0], /^trace truncated: \d+ of 2000 spans/);
});

test('a search stops at the byte budget and says so in v1 and v3', async () => {
  const v1 = JSON.parse((await get('/api/traces?service=many&limit=1000&lookback=2d')).text);
  assert.ok(v1.data.length > 0 && v1.data.length < 1000);
  assert.match(v1.warnings[0], /^results truncated/);
  const min = new Date(Date.now() - 86400_000).toISOString();
  const max = new Date(Date.now() + 60_000).toISOString();
  const v3 = await get(
    `/api/v3/traces?query.serviceName=many&query.startTimeMin=${min}&query.startTimeMax=${max}&query.searchDepth=1000`,
  );
  assert.equal(v3.status, 200);
  assert.match(JSON.parse(v3.text).warnings[0], /^results truncated/);
});

test('HEAD answers a search without a body', async () => {
  const res = await fetch(`${base}/api/traces?service=many&limit=5`, { method: 'HEAD' });
  assert.equal(res.status, 200);
  assert.equal(await res.text(), '');
});

test('a client that leaves mid-answer frees its slot', async () => {
  await new Promise<void>((resolve, reject) => {
    const req = request(`${base}/api/traces?service=many&limit=1000&lookback=2d`, (res) => {
      res.once('data', () => {
        req.destroy();
        resolve();
      });
    });
    req.on('error', () => undefined);
    req.once('close', () => {
      resolve();
    });
    req.end();
    setTimeout(() => {
      reject(new Error('no answer'));
    }, 10_000).unref();
  });
  for (let i = 0; i < 100 && scheduler.active > 0; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(scheduler.active, 0);
});

test('v3 rejects a malformed start_time, end_time or raw_traces as Jaeger does, and a too-deep search', async () => {
  const bad = async (q: string, msg: RegExp) => {
    const res = await get(q);
    assert.equal(res.status, 400, q);
    const body = JSON.parse(res.text);
    assert.equal(body.error.httpCode, 400);
    assert.match(body.error.message, msg);
  };
  await bad(
    `/api/v3/traces/${tid(7)}?start_time=yesterday`,
    /^malformed parameter start_time: parsing time "yesterday"/,
  );
  await bad(`/api/v3/traces/${tid(7)}?endTime=2024-01-01`, /^malformed parameter endTime: parsing time/);
  await bad(`/api/v3/traces/${tid(7)}?raw_traces=maybe`, /^malformed parameter raw_traces: strconv.ParseBool/);
  const min = new Date(Date.now() - 86400_000).toISOString();
  const max = new Date().toISOString();
  await bad(
    `/api/v3/traces?query.service_name=many&query.start_time_min=${max}&query.start_time_max=${min}`,
    /^query.startTimeMin must be before query.startTimeMax$/,
  );
  await bad(
    `/api/v3/traces?query.service_name=many&query.start_time_min=${min}&query.start_time_max=${max}&query.num_traces=5000`,
    /^malformed parameter query.num_traces: 5000 is over the maximum search depth 1500/,
  );
  const ok = await get(`/api/v3/traces/${tid(7)}?startTime=${min}&rawTraces=true`);
  assert.equal(ok.status, 200);
  const none = await get(
    `/api/v3/traces?query.service_name=nobody&query.start_time_min=${min}&query.start_time_max=${max}`,
  );
  assert.equal(none.status, 404);
  assert.deepEqual(JSON.parse(none.text), { error: { httpCode: 404, message: 'No traces found' } });
});
