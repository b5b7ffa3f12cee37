// GET /api/monitor over a memory store: per-service and per-operation request rate, error rate and
// latency percentiles from stored spans, the span-kind filter, the time window, the bound on the traces
// read (and its visibility), and 400 for bad parameters.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MemoryStore } from '../store/memory-store.ts';
import { computeSpanMetrics, quantile, type SpanMetrics } from '../monitor/span-metrics.ts';
import { traceRequest, sid, tid, type TestSpan } from '../../../test/helpers/traces.ts';
import { queryApiHandler } from './query-api.ts';

const NOW_US = 1_700_000_000_000_000;
const store = new MemoryStore({ maxTraces: 1000, maxBytes: 1 << 30 });
let server: Server;
let base = '';

/** Trace i: a front SERVER span (i ms; every 4th fails) calling back (a CLIENT and a SERVER span). */
function shopTrace(i: number, startUs: number): TestSpan[] {
  const traceId = tid(i + 1);
  return [
    {
      traceId,
      spanId: sid(3 * i + 1),
      service: 'front',
      name: 'GET /',
      kind: 2,
      startUs,
      durationUs: (i + 1) * 1000,
      status: { code: i % 4 === 0 ? 2 : 0 },
    },
    {
      traceId,
      spanId: sid(3 * i + 2),
      parentSpanId: sid(3 * i + 1),
      service: 'front',
      name: 'call back',
      kind: 3,
      startUs,
      durationUs: 500,
    },
    {
      traceId,
      spanId: sid(3 * i + 3),
      parentSpanId: sid(3 * i + 2),
      service: 'back',
      name: i % 2 ? 'get' : 'put',
      kind: 2,
      startUs,
      durationUs: 400,
    },
  ];
}

before(async () => {
  // 20 traces in the last 20 s, and one two hours ago (outside a 1 h window).
  // Written oldest first, as they arrive.
  store.writeTraces(traceRequest(shopTrace(99, NOW_US - 7200 * 1_000_000)));
  for (let i = 19; i >= 0; i--) store.writeTraces(traceRequest(shopTrace(i, NOW_US - (i + 1) * 1_000_000)));
  server = createServer((req, res) => void queryApiHandler({ store, nowUs: () => NOW_US })(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.close();
});

async function monitor(query: string): Promise<{ status: number; data: SpanMetrics; errors: unknown }> {
  const res = await fetch(`${base}/api/monitor${query}`);
  const body = (await res.json()) as { data: SpanMetrics; errors: unknown };
  return { status: res.status, data: body.data, errors: body.errors };
}

test('per service: SERVER spans in the last hour, with rate, error rate and percentiles', async () => {
  const { status, data } = await monitor('');
  assert.equal(status, 200);
  assert.equal(data.truncated, false);
  assert.equal(data.scannedTraces, 40, 'each service reads its 20 traces in the window');
  const front = data.rows.find((r) => r.service === 'front');
  assert.deepEqual(
    { ...front, ratePerSec: Number(front?.ratePerSec.toFixed(6)) },
    {
      service: 'front',
      operation: '',
      calls: 20,
      errors: 5,
      ratePerSec: Number((20 / 3600).toFixed(6)),
      errorRate: 0.25,
      p50Us: 10_000,
      p75Us: 15_000,
      p95Us: 19_000,
      p99Us: 20_000,
    },
  );
  assert.deepEqual(
    data.rows.map((r) => r.service),
    ['back', 'front'],
  );
});

test('per operation of one service, any span kind, and a chosen window', async () => {
  const { data } = await monitor('?service=front&spanKind=&lookback=10500');
  assert.deepEqual(
    data.rows.map((r) => [r.operation, r.calls]),
    [
      ['call back', 10],
      ['GET /', 10],
    ],
  );
  const back = await monitor('?service=back&endTs=' + String(NOW_US / 1000 - 7200 * 1000 + 1));
  assert.deepEqual(
    back.data.rows.map((r) => [r.operation, r.calls]),
    [['get', 1]],
    'the old trace, seen from two hours ago',
  );
});

test('the traces read are bounded, and a truncated answer says what it covers', async () => {
  const m = await computeSpanMetrics(store, {
    service: 'front',
    spanKind: 'server',
    endUs: NOW_US,
    lookbackUs: 3600 * 1e6,
    maxTraces: 5,
    yieldEvery: 2,
  });
  assert.equal(m.scannedTraces, 5);
  assert.equal(m.truncated, true);
  assert.equal(m.coveredUs, 5_000_000, 'the newest five traces started in the last 5 s');
  const [row] = m.rows;
  assert.ok(row);
  assert.equal(row.calls, 5);
  assert.equal(row.ratePerSec, 1);
});

test('bad parameters are answered 400 with Jaeger’s error body', async () => {
  for (const q of ['?lookback=0', '?lookback=abc', '?spanKind=sideways', '?endTs=x']) {
    const r = await monitor(q);
    assert.equal(r.status, 400, q);
    assert.ok(Array.isArray(r.errors), q);
  }
});

test('quantile is nearest-rank', () => {
  assert.equal(quantile([], 0.5), 0);
  assert.equal(quantile([1, 2, 3, 4], 0.5), 2);
  assert.equal(quantile([1, 2, 3, 4], 0.99), 4);
  assert.equal(quantile([7], 0), 7);
});
