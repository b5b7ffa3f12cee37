// The rendered timeouts nest (issue 16): an edge gives up on an attempt only after the gateway, answering
// end to end, has had its batch's flush_timeout and its whole attempt timeout. Otherwise a backend that
// answers just inside the gateway's timeout gets every batch again at each of the edge's retries, and the
// edge's queue never drains (seen in test/faults with a backend slower than the edge's timeout).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDuration } from '../config/units.ts';
import { NO_EXISTING } from './credentials.ts';
import { parseSpec } from './load-spec.ts';
import { render, type RenderedCollector } from './render.ts';

const SPEC =
  'gateway: { cluster: gw, host: t.example.com }\nedges: [{ cluster: e1, zone: z }, { cluster: e2, zone: z }]\n';

function collectors(runtime: 'telegate' | 'otelcol-contrib', operator: boolean): readonly RenderedCollector[] {
  const loaded = parseSpec(SPEC, 'spec.yaml');
  if ('issues' in loaded) throw new Error('bad spec');
  return render(loaded.spec, { runtime, operator, existing: NO_EXISTING, generate: () => 'pw' }).collectors;
}

/** Milliseconds of a rendered duration (the exporter default, 5 s, when absent). */
function ms(value: unknown): number {
  if (value === undefined) return 5000;
  if (typeof value !== 'string') return assert.fail(`a duration is a string, got ${JSON.stringify(value)}`);
  const parsed = parseDuration(value);
  assert.ok(parsed.ok, value);
  return parsed.value;
}

/** The one exporter of a rendered collector. */
function exporterOf(c: RenderedCollector): Record<string, unknown> {
  const exporters = Object.values((c.config as Record<string, Record<string, unknown>>)['exporters'] ?? {});
  assert.equal(exporters.length, 1, c.cluster);
  return exporters[0] as Record<string, unknown>;
}

for (const runtime of ['telegate', 'otelcol-contrib'] as const) {
  for (const operator of [false, true]) {
    test(`${runtime}${operator ? ' (operator)' : ''}: each edge's attempt timeout outlasts the gateway's slowest answer`, () => {
      const all = collectors(runtime, operator);
      const gateway = exporterOf(all.find((c) => c.role === 'gateway') ?? assert.fail('no gateway'));
      const queue = gateway['sending_queue'] as { wait_for_result?: boolean; batch?: { flush_timeout?: string } };
      assert.equal(queue.wait_for_result, true, 'the gateway answers end to end');
      const slowestAnswerMs = ms(queue.batch?.flush_timeout) + ms(gateway['timeout']);
      const edges = all.filter((c) => c.role === 'edge');
      assert.equal(edges.length, 2);
      for (const edge of edges) {
        const edgeTimeoutMs = ms(exporterOf(edge)['timeout']);
        // A margin for the hop itself (ingress, TLS, a gateway busy with other edges' requests).
        assert.ok(
          edgeTimeoutMs >= slowestAnswerMs + 1000,
          `${edge.cluster}: timeout ${edgeTimeoutMs} ms, gateway's slowest answer ${slowestAnswerMs} ms`,
        );
      }
    });
  }
}
