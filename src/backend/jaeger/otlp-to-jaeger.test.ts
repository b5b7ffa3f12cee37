import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStore } from '../store/memory-store.ts';
import { toJaegerTrace, storedTraceMatches } from './otlp-to-jaeger.ts';
import { jaegerTraceId, parseTraceId } from './model.ts';
import { sdkSpans } from '../../../test/helpers/sdk.ts';
import { traceRequest, tid, sid } from '../../../test/helpers/traces.ts';

const opts = { maxTraces: 100, maxBytes: 1 << 20 };

test('maps SDK spans as Jaeger does: kinds, status, events, links, scope, process', () => {
  const batch = sdkSpans();
  const store = new MemoryStore(opts);
  assert.equal(store.writeTraces(Buffer.from(batch.expected)), 2);
  // The SDK's two spans are roots of two traces (the second links to the first).
  const ids = store.findTraces({ service: 'checkout', limit: 10 }, storedTraceMatches).map((t) => t.traceId);
  assert.equal(ids.length, 2);
  const traces = ids.map((id) => toJaegerTrace(store.getTrace(id)!));
  const trace = traces.find((t) => t.spans[0]?.operationName === 'GET /cart')!;
  const clientTrace = traces.find((t) => t.spans[0]?.operationName === 'SELECT cart')!;
  assert.deepEqual(Object.keys(trace), ['traceID', 'spans', 'processes', 'warnings']);
  assert.equal(trace.warnings, null);
  assert.match(trace.traceID, /^[0-9a-f]{32}$/);
  assert.deepEqual(Object.keys(trace.processes), ['p1']);
  const p1 = trace.processes.p1!;
  assert.equal(p1.serviceName, 'checkout');
  const keys = p1.tags.map((t) => t.key);
  assert.deepEqual(keys, [...keys].sort());
  assert.ok(p1.tags.some((t) => t.key === 'deployment.environment' && t.type === 'string' && t.value === 'dev'));
  assert.ok(!p1.tags.some((t) => t.key === 'service.name'));

  const server = trace.spans.find((s) => s.operationName === 'GET /cart')!;
  const client = clientTrace.spans.find((s) => s.operationName === 'SELECT cart')!;
  assert.deepEqual(Object.keys(server), [
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
  assert.equal(server.processID, 'p1');
  assert.match(server.spanID, /^[0-9a-f]{16}$/);
  assert.equal(typeof server.startTime, 'number');
  assert.ok(server.startTime > 1_600_000_000_000_000 && server.startTime < 4_000_000_000_000_000);
  assert.equal(server.references.length, 0);
  const tag = (s: typeof server, k: string) => s.tags.find((t) => t.key === k);
  assert.deepEqual(tag(server, 'otel.scope.name'), { key: 'otel.scope.name', type: 'string', value: 'e2e' });
  assert.deepEqual(tag(server, 'otel.scope.version'), { key: 'otel.scope.version', type: 'string', value: '1.0.0' });
  assert.deepEqual(tag(server, 'span.kind'), { key: 'span.kind', type: 'string', value: 'server' });
  assert.deepEqual(tag(server, 'http.method'), { key: 'http.method', type: 'string', value: 'GET' });
  assert.deepEqual(tag(server, 'retries'), { key: 'retries', type: 'int64', value: 3 });
  assert.deepEqual(tag(server, 'ok'), { key: 'ok', type: 'bool', value: true });
  assert.deepEqual(tag(server, 'ratio'), { key: 'ratio', type: 'float64', value: 0.5 });
  assert.equal(tag(server, 'otel.status_code'), undefined);
  assert.equal(tag(server, 'error'), undefined);
  assert.equal(server.logs.length, 1);
  assert.deepEqual(server.logs[0]!.fields, [
    { key: 'event', type: 'string', value: 'cache.miss' },
    { key: 'key', type: 'string', value: 'cart:42' },
  ]);
  assert.ok(server.logs[0]!.timestamp >= server.startTime);

  assert.deepEqual(tag(client, 'span.kind'), { key: 'span.kind', type: 'string', value: 'client' });
  assert.deepEqual(tag(client, 'otel.status_code'), { key: 'otel.status_code', type: 'string', value: 'ERROR' });
  assert.deepEqual(tag(client, 'error'), { key: 'error', type: 'bool', value: true });
  assert.deepEqual(tag(client, 'otel.status_description'), {
    key: 'otel.status_description',
    type: 'string',
    value: 'timeout',
  });
  assert.deepEqual(tag(client, 'tags'), { key: 'tags', type: 'string', value: '["a","b"]' });
  // The client span is a root span (no parent) with a link to the server span: FOLLOWS_FROM.
  assert.deepEqual(client.references, [{ refType: 'FOLLOWS_FROM', traceID: server.traceID, spanID: server.spanID }]);
  // Synthesized tags come after the attributes, in Jaeger's order.
  const ck = client.tags.map((t) => t.key);
  assert.deepEqual(ck.slice(-4), ['span.kind', 'otel.status_code', 'error', 'otel.status_description']);
  assert.deepEqual(ck.slice(0, 2), ['otel.scope.name', 'otel.scope.version']);
});

test('parent → CHILD_OF first; a link to the parent with opentracing.ref_type overrides its type', () => {
  const store = new MemoryStore(opts);
  store.writeTraces(
    traceRequest([
      {
        traceId: tid(1),
        spanId: sid(2),
        parentSpanId: sid(1),
        links: [
          { traceId: tid(5), spanId: sid(5) },
          { traceId: tid(6), spanId: sid(6), attributes: { 'opentracing.ref_type': 'child_of' } },
        ],
      },
      { traceId: tid(1), spanId: sid(3), parentSpanId: sid(1), links: [{ traceId: tid(1), spanId: sid(1) }] },
    ]),
  );
  const trace = toJaegerTrace(store.getTrace(Buffer.from(tid(1), 'hex'))!);
  assert.deepEqual(trace.spans[0]!.references, [
    { refType: 'CHILD_OF', traceID: tid(1), spanID: sid(1) },
    { refType: 'FOLLOWS_FROM', traceID: tid(5), spanID: sid(5) },
    { refType: 'CHILD_OF', traceID: tid(6), spanID: sid(6) },
  ]);
  assert.deepEqual(trace.spans[1]!.references, [{ refType: 'FOLLOWS_FROM', traceID: tid(1), spanID: sid(1) }]);
});

test('processes are deduplicated and numbered p1, p2 in span order; times in µs', () => {
  const store = new MemoryStore(opts);
  store.writeTraces(
    traceRequest([
      { traceId: tid(1), spanId: sid(1), service: 'b', startUs: 1_700_000_000_123_456, durationUs: 789 },
      { traceId: tid(1), spanId: sid(2), service: 'a' },
    ]),
  );
  store.writeTraces(traceRequest([{ traceId: tid(1), spanId: sid(3), service: 'b' }]));
  const trace = toJaegerTrace(store.getTrace(Buffer.from(tid(1), 'hex'))!);
  assert.deepEqual(
    trace.spans.map((s) => s.processID),
    ['p1', 'p2', 'p1'],
  );
  assert.deepEqual(trace.processes, { p1: { serviceName: 'b', tags: [] }, p2: { serviceName: 'a', tags: [] } });
  assert.equal(trace.spans[0]!.startTime, 1_700_000_000_123_456);
  assert.equal(trace.spans[0]!.duration, 789);
});

test('trace ids: 16 hex digits when the high half is zero, as Jaeger prints them', () => {
  assert.equal(jaegerTraceId(Buffer.from('0000000000000000' + 'abcdef0123456789', 'hex')), 'abcdef0123456789');
  assert.equal(jaegerTraceId(Buffer.from(tid(7), 'hex')), tid(7));
  assert.equal(parseTraceId('abc')?.toString('hex'), '00000000000000000000000000000abc');
  assert.equal(parseTraceId('xyz'), undefined);
  assert.equal(parseTraceId('1'.repeat(33)), undefined);
});
