// countSpans agrees with protobufjs on the benchmark payload, on concatenated requests (what batching
// sends) and on an empty request; rejects truncated bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countSpans } from './span-count.ts';
import { buildPayload } from './payload.ts';
import { ExportTraceServiceRequest } from './otlp-types.ts';

function fullCount(bytes: Buffer): number {
  const o = ExportTraceServiceRequest.toObject(ExportTraceServiceRequest.decode(bytes)) as {
    resourceSpans?: { scopeSpans?: { spans?: unknown[] }[] }[];
  };
  return (o.resourceSpans ?? []).flatMap((rs) => rs.scopeSpans ?? []).reduce((n, ss) => n + (ss.spans?.length ?? 0), 0);
}

test('the payload has the asked span count, ~300 bytes per span, and countSpans agrees with a full decode', () => {
  const p = buildPayload(200);
  assert.equal(p.spans, 200);
  assert.ok(p.bytesPerSpan > 270 && p.bytesPerSpan < 330, `bytes/span ${p.bytesPerSpan}`);
  assert.equal(countSpans(p.bytes), fullCount(p.bytes));
  assert.equal(countSpans(p.bytes), 200);
});

test('concatenated requests count as the sum; empty counts 0', () => {
  const a = buildPayload(3).bytes;
  const b = buildPayload(5).bytes;
  assert.equal(countSpans(Buffer.concat([a, b])), 8);
  assert.equal(countSpans(Buffer.alloc(0)), 0);
});

test('truncated bytes throw', () => {
  const p = buildPayload(2).bytes;
  assert.throws(() => countSpans(p.subarray(0, p.length - 10)));
});
