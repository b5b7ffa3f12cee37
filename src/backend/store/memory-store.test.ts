import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStore, TRACE_OVERHEAD_BYTES } from './memory-store.ts';
import { storedTraceMatches } from '../jaeger/otlp-to-jaeger.ts';
import { traceRequest, tid, sid } from '../../../test/helpers/traces.ts';
import type { TraceQuery } from './trace-store.ts';

const big = { maxTraces: 1_000_000, maxBytes: 1 << 30 };
const find = (s: MemoryStore, q: Partial<TraceQuery> & { service: string }) =>
  s.findTraces({ limit: 100, ...q }, storedTraceMatches).map((t) => t.traceId.toString('hex'));

test('stores spans as bytes and returns them by trace id, late spans joining their trace', () => {
  const s = new MemoryStore(big);
  assert.equal(s.writeTraces(traceRequest([{ traceId: tid(1), spanId: sid(1), name: 'root' }])), 1);
  s.writeTraces(traceRequest([{ traceId: tid(2), spanId: sid(2) }]));
  s.writeTraces(traceRequest([{ traceId: tid(1), spanId: sid(3), parentSpanId: sid(1), service: 'other' }]));
  const t = s.getTrace(Buffer.from(tid(1), 'hex'));
  assert.ok(t);
  assert.equal(t.spans.length, 2);
  assert.equal(t.traceId.toString('hex'), tid(1));
  assert.deepEqual(s.stats().traces, 2);
  assert.deepEqual(s.stats().spans, 3);
  assert.deepEqual(s.getServices(), ['other', 'svc']);
  assert.equal(s.getTrace(Buffer.from(tid(9), 'hex')), undefined);
});

test('evicts the oldest traces past max_traces, and their index entries with them', () => {
  const s = new MemoryStore({ maxTraces: 3, maxBytes: 1 << 30 });
  for (let i = 1; i <= 5; i++)
    s.writeTraces(traceRequest([{ traceId: tid(i), spanId: sid(i), service: `svc${i}`, name: `op${i}` }]));
  assert.equal(s.stats().traces, 3);
  assert.equal(s.stats().evictedTraces, 2);
  assert.equal(s.getTrace(Buffer.from(tid(1), 'hex')), undefined);
  assert.equal(s.getTrace(Buffer.from(tid(2), 'hex')), undefined);
  assert.ok(s.getTrace(Buffer.from(tid(3), 'hex')));
  assert.deepEqual(s.getServices(), ['svc3', 'svc4', 'svc5']);
  assert.deepEqual(s.getOperations('svc1'), []);
  assert.deepEqual(s.getOperations('svc4'), [{ name: 'op4', spanKind: 'internal' }]);
});

test('a late span keeps its trace where it was in the eviction order (oldest first)', () => {
  const s = new MemoryStore({ maxTraces: 2, maxBytes: 1 << 30 });
  s.writeTraces(traceRequest([{ traceId: tid(1), spanId: sid(1) }]));
  s.writeTraces(traceRequest([{ traceId: tid(2), spanId: sid(2) }]));
  s.writeTraces(traceRequest([{ traceId: tid(1), spanId: sid(3) }]));
  s.writeTraces(traceRequest([{ traceId: tid(3), spanId: sid(4) }]));
  assert.equal(s.getTrace(Buffer.from(tid(1), 'hex')), undefined);
  assert.equal(s.getTrace(Buffer.from(tid(2), 'hex'))?.spans.length, 1);
});

test('evicts the oldest traces past the byte budget', () => {
  const one = traceRequest([{ traceId: tid(1), spanId: sid(1), attributes: { pad: 'x'.repeat(1000) } }]);
  const s = new MemoryStore({ maxTraces: 1000, maxBytes: 3 * (1100 + TRACE_OVERHEAD_BYTES) });
  for (let i = 1; i <= 10; i++)
    s.writeTraces(traceRequest([{ traceId: tid(i), spanId: sid(i), attributes: { pad: 'x'.repeat(1000) } }]));
  assert.ok(one.length > 1000);
  const st = s.stats();
  assert.ok(st.bytes <= 3 * (1100 + TRACE_OVERHEAD_BYTES), `bytes ${st.bytes}`);
  assert.ok(st.traces >= 2 && st.traces <= 3, `traces ${st.traces}`);
  assert.ok(s.getTrace(Buffer.from(tid(10), 'hex')));
  assert.equal(s.getTrace(Buffer.from(tid(1), 'hex')), undefined);
});

test('service index lists stay bounded under churn', () => {
  const s = new MemoryStore({ maxTraces: 10, maxBytes: 1 << 30 });
  for (let i = 1; i <= 5000; i++) s.writeTraces(traceRequest([{ traceId: tid(i), spanId: sid(i) }]));
  const catalog = (s as unknown as { catalog: { services: { find(name: string): { traces: unknown[] } | undefined } } })
    .catalog;
  const svc = catalog.services.find('svc');
  assert.ok(svc && svc.traces.length < 200, `index holds ${svc?.traces.length}`);
  const order = s as unknown as { order: unknown[]; head: number };
  assert.ok(order.order.length - order.head <= 10);
  assert.ok(order.order.length < 10_000);
  assert.equal(find(s, { service: 'svc' }).length, 10);
});

test('finds traces by service, operation, tags, duration and time, newest first', () => {
  const s = new MemoryStore(big);
  const t0 = 1_700_000_000_000_000;
  s.writeTraces(
    traceRequest([
      {
        traceId: tid(1),
        spanId: sid(1),
        name: 'GET',
        startUs: t0,
        durationUs: 500,
        attributes: { 'http.status_code': 200 },
      },
      { traceId: tid(1), spanId: sid(2), name: 'SELECT', service: 'db', startUs: t0 + 10, durationUs: 100 },
    ]),
  );
  s.writeTraces(
    traceRequest([
      {
        traceId: tid(2),
        spanId: sid(3),
        name: 'GET',
        startUs: t0 + 1000,
        durationUs: 5000,
        attributes: { 'http.status_code': 500 },
        status: { code: 2 },
      },
    ]),
  );
  s.writeTraces(
    traceRequest([{ traceId: tid(3), spanId: sid(4), name: 'POST', startUs: t0 + 2000, resource: { region: 'eu' } }]),
  );
  assert.deepEqual(find(s, { service: 'svc' }), [tid(3), tid(2), tid(1)]);
  assert.deepEqual(find(s, { service: 'svc', limit: 2 }), [tid(3), tid(2)]);
  assert.deepEqual(find(s, { service: 'db' }), [tid(1)]);
  assert.deepEqual(find(s, { service: 'svc', operation: 'GET' }), [tid(2), tid(1)]);
  assert.deepEqual(find(s, { service: 'svc', operation: 'nope' }), []);
  assert.deepEqual(find(s, { service: 'nope' }), []);
  assert.deepEqual(find(s, { service: 'svc', tags: new Map([['http.status_code', '500']]) }), [tid(2)]);
  assert.deepEqual(find(s, { service: 'svc', tags: new Map([['error', 'true']]) }), [tid(2)]);
  assert.deepEqual(find(s, { service: 'svc', tags: new Map([['otel.status_code', 'ERROR']]) }), [tid(2)]);
  assert.deepEqual(find(s, { service: 'svc', tags: new Map([['span.kind', 'internal']]) }), [tid(3), tid(2), tid(1)]);
  assert.deepEqual(find(s, { service: 'svc', tags: new Map([['region', 'eu']]) }), [tid(3)]);
  assert.deepEqual(find(s, { service: 'svc', tags: new Map([['region', 'us']]) }), []);
  assert.deepEqual(find(s, { service: 'svc', durationMinUs: 1001 }), [tid(2)]);
  assert.deepEqual(find(s, { service: 'svc', durationMaxUs: 600, operation: 'GET' }), [tid(1)]);
  assert.deepEqual(find(s, { service: 'svc', startTimeMinUs: t0 + 500, startTimeMaxUs: t0 + 1500 }), [tid(2)]);
  // One span must match everything: the db span is short but is not the GET.
  assert.deepEqual(find(s, { service: 'svc', operation: 'GET', durationMaxUs: 100 }), []);
});

test('lists operations with their span kinds', () => {
  const s = new MemoryStore(big);
  s.writeTraces(
    traceRequest([
      { traceId: tid(1), spanId: sid(1), name: 'b', kind: 2 },
      { traceId: tid(1), spanId: sid(2), name: 'a', kind: 3 },
      { traceId: tid(1), spanId: sid(3), name: 'a', kind: 2 },
    ]),
  );
  assert.deepEqual(s.getOperations('svc'), [
    { name: 'a', spanKind: 'client' },
    { name: 'a', spanKind: 'server' },
    { name: 'b', spanKind: 'server' },
  ]);
  assert.deepEqual(s.getOperations('svc', 'server'), [
    { name: 'a', spanKind: 'server' },
    { name: 'b', spanKind: 'server' },
  ]);
});

test('computes dependencies from parent spans in other services', () => {
  const s = new MemoryStore(big);
  const t0 = 1_700_000_000_000_000;
  s.writeTraces(
    traceRequest([
      { traceId: tid(1), spanId: sid(1), service: 'front', startUs: t0 },
      { traceId: tid(1), spanId: sid(2), parentSpanId: sid(1), service: 'back', startUs: t0 },
      { traceId: tid(1), spanId: sid(3), parentSpanId: sid(1), service: 'back', startUs: t0 },
      { traceId: tid(1), spanId: sid(4), parentSpanId: sid(3), service: 'back', startUs: t0 },
    ]),
  );
  assert.deepEqual(s.getDependencies(t0 + 1000, 10_000), [{ parent: 'front', child: 'back', callCount: 2 }]);
  assert.deepEqual(s.getDependencies(t0 - 1_000_000, 10_000), []);
});

test('a malformed request keeps the spans before the bad one and throws', () => {
  const s = new MemoryStore(big);
  const good = traceRequest([{ traceId: tid(1), spanId: sid(1) }]);
  assert.throws(() => s.writeTraces(Buffer.concat([good, Buffer.from([0x0a, 0x7f])])));
  assert.equal(s.stats().spans, 1);
  assert.ok(s.getTrace(Buffer.from(tid(1), 'hex')));
});

test('a tag search wants the tag on a span of the searched service', () => {
  const s = new MemoryStore(big);
  s.writeTraces(
    traceRequest([
      { traceId: tid(1), spanId: sid(1), service: 'a', attributes: { code: 500 } },
      { traceId: tid(1), spanId: sid(2), service: 'b', attributes: { code: 200 } },
    ]),
  );
  assert.deepEqual(find(s, { service: 'a', tags: new Map([['code', '500']]) }), [tid(1)]);
  assert.deepEqual(find(s, { service: 'b', tags: new Map([['code', '500']]) }), []);
  assert.deepEqual(find(s, { service: 'b', tags: new Map([['code', '200']]) }), [tid(1)]);
});

test('spans without a valid trace id are skipped, and their resource does not outlive its service', () => {
  const s = new MemoryStore({ maxTraces: 1, maxBytes: 1 << 30 });
  const bad = traceRequest([{ traceId: tid(1), spanId: sid(1), service: 'x' }]);
  // Corrupt the trace id length: 16 → 15 bytes is not a trace id.
  const good = traceRequest([{ traceId: tid(2), spanId: sid(2), service: 'x' }]);
  assert.equal(s.writeTraces(good), 1);
  assert.equal(s.writeTraces(traceRequest([{ traceId: tid(3), spanId: sid(3), service: 'y' }])), 1);
  assert.deepEqual(s.getServices(), ['y']);
  assert.equal(s.writeTraces(bad), 1);
  assert.deepEqual(s.getServices(), ['x']);
  assert.equal(s.writeTraces(traceRequest([{ traceId: '', spanId: sid(4), service: 'z' }])), 0);
  assert.equal(s.writeTraces(traceRequest([{ traceId: tid(5), spanId: sid(5), service: 'w' }])), 1);
  assert.equal(s.writeTraces(traceRequest([{ traceId: tid(6), spanId: sid(6), service: 'z' }])), 1);
  assert.deepEqual(s.getServices(), ['z']);
  const t = s.getTrace(Buffer.from(tid(6), 'hex'));
  assert.equal(t?.spans.length, 1);
});

test('once every trace is evicted, every intern table is empty', () => {
  const s = new MemoryStore({ maxTraces: 3, maxBytes: 1 << 30 });
  for (let i = 1; i <= 20; i++)
    s.writeTraces(
      traceRequest([
        { traceId: tid(i), spanId: sid(i), service: `svc${i % 4}`, name: `op${i % 3}`, kind: i % 6 },
        { traceId: tid(i), spanId: sid(100 + i), parentSpanId: sid(i), service: 'db', resource: { zone: `z${i % 2}` } },
        { traceId: '', spanId: sid(200 + i), service: `orphan${i}` },
      ]),
    );
  // A late span of a trace still stored, then spans of evicted traces coming back.
  s.writeTraces(traceRequest([{ traceId: tid(20), spanId: sid(999), service: 'late' }]));
  s.writeTraces(traceRequest([{ traceId: tid(1), spanId: sid(998), service: 'again' }]));
  const live = s.internedSizes();
  assert.ok(live.services > 0 && live.resources > 0 && live.scopes > 0 && live.operations > 0);
  assert.ok(!s.getServices().some((name) => name.startsWith('orphan')), s.getServices().join());
  // A store with no room evicts every trace at the end of each write.
  const none = new MemoryStore({ maxTraces: 1000, maxBytes: 0 });
  none.writeTraces(
    traceRequest([
      { traceId: tid(1), spanId: sid(1) },
      { traceId: '', spanId: sid(2), service: 'x' },
    ]),
  );
  assert.deepEqual(none.stats().traces, 0);
  assert.deepEqual(none.internedSizes(), { resources: 0, scopes: 0, services: 0, operations: 0 });
  // Evicting the rest of the first store by filling it with traces of one small shape.
  for (let i = 0; i < 3; i++) s.writeTraces(traceRequest([{ traceId: tid(500 + i), spanId: sid(1), service: 'last' }]));
  assert.deepEqual(s.getServices(), ['last']);
  assert.deepEqual(s.internedSizes(), { resources: 1, scopes: 1, services: 1, operations: 1 });
});

test('a malformed request leaves no unreferenced entry behind', () => {
  const s = new MemoryStore({ maxTraces: 10, maxBytes: 0 });
  // A resource and a scope, then a span whose trace_id runs past the span's end: they were interned
  // before the span was found malformed.
  const span = [0x0a, 0x10, 0x01, 0x02];
  const scopeSpans = [0x0a, 0x00, 0x12, span.length, ...span];
  const resourceSpans = [0x0a, 0x00, 0x12, scopeSpans.length, ...scopeSpans];
  const bad = Buffer.from([0x0a, resourceSpans.length, ...resourceSpans]);
  assert.throws(() => s.writeTraces(bad), /runs past the end/);
  assert.deepEqual(s.internedSizes(), { resources: 0, scopes: 0, services: 0, operations: 0 });
  assert.deepEqual(s.getServices(), []);
});
