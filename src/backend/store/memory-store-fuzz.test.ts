// Arbitrary OTLP trace requests (fast-check, encoded by protobufjs): the store keeps every span whose
// trace id is valid, byte for byte, and every stored trace maps to Jaeger JSON and back to OTLP; once
// everything is evicted, every intern table is empty.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MemoryStore } from './memory-store.ts';
import { toJaegerTrace } from '../jaeger/otlp-to-jaeger.ts';
import { tracesToOtlp } from '../api/otlp-json.ts';
import { decodeRequest } from '../../pdata/decode.ts';
import * as proto from '../../../test/helpers/otlp-proto.ts';
import { arbTracesRequest } from '../../../test/helpers/otlp-arbitrary.ts';

interface Span {
  traceId?: Buffer;
}

function spansOf(request: Record<string, unknown>): Span[] {
  const out: Span[] = [];
  for (const rs of (request.resourceSpans ?? []) as { scopeSpans?: { spans?: Span[] }[] }[])
    for (const ss of rs.scopeSpans ?? []) for (const s of ss.spans ?? []) out.push(s);
  return out;
}

test('every span with a 16-byte trace id is stored as its bytes and maps to Jaeger JSON', () => {
  fc.assert(
    fc.property(arbTracesRequest, (request) => {
      const bytes = proto.encodeRequest('traces', request);
      const store = new MemoryStore({ maxTraces: 1000, maxBytes: 1 << 26 });
      const valid = spansOf(decodeRequest('traces', bytes) as never).filter((s) => s.traceId?.length === 16);
      assert.equal(store.writeTraces(bytes), valid.length);
      const ids = new Set(valid.map((s) => s.traceId!.toString('hex')));
      assert.equal(store.stats().traces, ids.size);
      let spans = 0;
      for (const id of ids) {
        const trace = store.getTrace(Buffer.from(id, 'hex'));
        assert.ok(trace);
        spans += trace.spans.length;
        const jaeger = toJaegerTrace(trace);
        assert.equal(jaeger.spans.length, trace.spans.length);
        for (const s of jaeger.spans) assert.ok(jaeger.processes[s.processID]);
        // Back to OTLP: the same spans, decodable.
        const again = decodeRequest('traces', tracesToOtlp([trace]));
        assert.equal(spansOf(again as never).length, trace.spans.length);
      }
      assert.equal(spans, valid.length);
      for (const service of store.getServices()) store.getOperations(service);
      // Invariant: a store with no room evicts everything it was given, and every intern table empties.
      const none = new MemoryStore({ maxTraces: 1000, maxBytes: 0 });
      none.writeTraces(bytes);
      assert.deepEqual(none.internedSizes(), { resources: 0, scopes: 0, services: 0, operations: 0 });
    }),
    { numRuns: 150 },
  );
});
