import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStore } from '../store/memory-store.ts';
import { decodeSpan, toJaegerTrace, storedTraceMatches } from './otlp-to-jaeger.ts';
import { TAG, tag } from '../../pdata/fields.ts';
import { WIRE_LEN, WIRE_VARINT, varintSize, writeVarint } from '../../pdata/wire.ts';
import { NO_SERVICE_NAME } from '../store/trace-store.ts';
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

/** A field: its tag, then (for a length-delimited tag) the length, then `body` as given. */
function field(t: number, body: Buffer): Buffer {
  const head = Buffer.alloc(varintSize(t) + varintSize(body.length));
  const p = writeVarint(head, 0, t);
  if ((t & 7) === WIRE_LEN) writeVarint(head, p, body.length);
  return Buffer.concat([head.subarray(0, (t & 7) === WIRE_LEN ? head.length : p), body]);
}

test('a known field number with an unexpected wire type is skipped, never misread', () => {
  const span = Buffer.concat([
    field(TAG.Span.traceId, Buffer.from(tid(1), 'hex')),
    field(TAG.Span.spanId, Buffer.from(sid(1), 'hex')),
    // name (field 5) as a varint 3: read as a string it would take the next 3 bytes as the name.
    field(tag(5, WIRE_VARINT), Buffer.from([3])),
    field(TAG.Span.kind, Buffer.from([2])),
    // kind (field 6) as a length-delimited field, start time (field 7) as a varint.
    field(tag(6, WIRE_LEN), Buffer.from([4])),
    field(tag(7, WIRE_VARINT), Buffer.from([5])),
    field(TAG.Span.name, Buffer.from('GET')),
    // status (field 15) as a varint.
    field(tag(15, WIRE_VARINT), Buffer.from([1])),
  ]);
  const decoded = decodeSpan(span);
  assert.equal(decoded.name, 'GET');
  assert.equal(decoded.kind, 2);
  assert.equal(decoded.startNs, 0n);
  assert.equal(decoded.statusCode, 0);
  // A name varint 2 then a kind field of 2 bytes: misread, the name would be the kind field's bytes.
  const odd = decodeSpan(
    Buffer.concat([field(tag(5, WIRE_VARINT), Buffer.from([2])), field(TAG.Span.kind, Buffer.from([3]))]),
  );
  assert.deepEqual([odd.name, odd.kind], ['', 3]);

  const request = field(
    TAG.ExportTraceServiceRequest.resourceSpans,
    field(TAG.ResourceSpans.scopeSpans, field(TAG.ScopeSpans.spans, span)),
  );
  const store = new MemoryStore(opts);
  assert.equal(store.writeTraces(request), 1);
  const trace = toJaegerTrace(store.getTrace(Buffer.from(tid(1), 'hex'))!);
  assert.equal(trace.spans[0]!.operationName, 'GET');
  assert.deepEqual(trace.spans[0]!.tags, [{ key: 'span.kind', type: 'string', value: 'server' }]);
  assert.equal(trace.processes.p1!.serviceName, NO_SERVICE_NAME);
  assert.deepEqual(store.getOperations(NO_SERVICE_NAME), [{ name: 'GET', spanKind: 'server' }]);
});
