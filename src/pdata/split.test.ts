import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { arbSignalRequest } from '../../test/helpers/otlp-arbitrary.ts';
import { RESOURCE_FIELD, decodeRequest, encodeRequest } from '../../test/helpers/otlp-proto.ts';
import type { Signal } from '../contracts/signal.ts';
import { splitRequest } from './split.ts';

const SCOPE_FIELD: Record<Signal, string> = { traces: 'scopeSpans', metrics: 'scopeMetrics', logs: 'scopeLogs' };
const ITEM_FIELD: Record<Signal, string> = { traces: 'spans', metrics: 'metrics', logs: 'logRecords' };
const DATA_KINDS = ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'];

/** Every item with the context it sits in: [resource entry, scope entry, metric (metrics), item]. */
function flatten(signal: Signal, req: Record<string, any>): unknown[] {
  const out: unknown[] = [];
  for (const entry of req[RESOURCE_FIELD[signal]] ?? []) {
    const { [SCOPE_FIELD[signal]]: scopes, ...entryRest } = entry;
    for (const scope of scopes ?? []) {
      const { [ITEM_FIELD[signal]]: items, ...scopeRest } = scope;
      for (const item of items ?? []) {
        if (signal !== 'metrics') out.push([entryRest, scopeRest, item]);
        else for (const point of metricPoints(item)) out.push([entryRest, scopeRest, ...point]);
      }
    }
  }
  return out;
}

function metricPoints(metric: Record<string, any>): unknown[][] {
  const kind = DATA_KINDS.find((k) => metric[k] !== undefined);
  if (kind === undefined) return [];
  const { [kind]: data, ...metricRest } = metric;
  const { dataPoints, ...dataRest } = data as { dataPoints?: unknown[] };
  return (dataPoints ?? []).map((p) => [metricRest, kind, dataRest, p]);
}

test('parts hold at most N items and, together, the same items under the same resources and scopes', () => {
  fc.assert(
    fc.property(arbSignalRequest, fc.integer({ min: 1, max: 6 }), ({ signal, request }, max) => {
      const bytes = encodeRequest(signal, request);
      const original = flatten(signal, decodeRequest(signal, bytes));
      const parts = splitRequest(signal, bytes, max);
      const got: unknown[] = [];
      for (const part of parts) {
        const items = flatten(signal, decodeRequest(signal, part.bytes));
        assert.equal(part.items, items.length);
        assert.ok(part.items <= max, `part of ${part.items} items > ${max}`);
        got.push(...items);
      }
      assert.deepEqual(got, original);
      if (original.length <= max) assert.equal(parts[0]?.bytes, bytes);
      else
        assert.ok(
          parts.every((p, i) => p.items === max || i === parts.length - 1),
          'parts are filled up',
        );
    }),
    { numRuns: 200 },
  );
});

test('a request that fits is returned as it is, and max 0 means no limit', () => {
  const bytes = encodeRequest('traces', {
    resourceSpans: [{ scopeSpans: [{ spans: [{ name: 'a' }, { name: 'b' }] }] }],
  });
  assert.deepEqual(splitRequest('traces', bytes, 0), [{ bytes, items: 2 }]);
  assert.equal(splitRequest('traces', bytes, 2)[0]?.bytes, bytes);
});

test('a metric with more points than N is cut, keeping its name and temporality in every piece', () => {
  const points = Array.from({ length: 5 }, (_, i) => ({ asInt: String(i) }));
  const req = {
    resourceMetrics: [
      {
        scopeMetrics: [
          { metrics: [{ name: 'm', sum: { dataPoints: points, aggregationTemporality: 2, isMonotonic: true } }] },
        ],
      },
    ],
  };
  const parts = splitRequest('metrics', encodeRequest('metrics', req), 2);
  assert.deepEqual(
    parts.map((p) => p.items),
    [2, 2, 1],
  );
  for (const p of parts) {
    const m = decodeRequest('metrics', p.bytes).resourceMetrics[0].scopeMetrics[0].metrics[0];
    assert.equal(m.name, 'm');
    assert.equal(m.sum.aggregationTemporality, 2);
    assert.equal(m.sum.isMonotonic, true);
  }
});

test('empty entries and unknown top-level fields are kept', () => {
  const bytes = encodeRequest('logs', {
    resourceLogs: [{ schemaUrl: 'e' }, { scopeLogs: [{ logRecords: [{}, {}, {}] }] }],
  });
  const withUnknown = Buffer.concat([bytes, Buffer.from([0x78, 0x01])]);
  const parts = splitRequest('logs', withUnknown, 2);
  const all = Buffer.concat(parts.map((p) => p.bytes));
  assert.ok(all.includes(Buffer.from([0x78, 0x01])));
  assert.equal(decodeRequest('logs', parts[0]!.bytes).resourceLogs[0].schemaUrl, 'e');
});
