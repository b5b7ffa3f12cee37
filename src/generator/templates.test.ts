import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeRequest, type PMessage } from '../pdata/decode.ts';
import { parseGenArgs } from './flags.ts';
import { buildLogTemplate } from './logs.ts';
import { buildMetricTemplate } from './metrics.ts';
import { buildScenarioTemplate, scenarioSpansPerTrace } from './scenario.ts';
import { Patcher, type Template } from './template.ts';
import { buildTraceTemplate } from './traces.ts';

const BASE = 1_764_000_000_123_456_789n;
const list = (m: PMessage, k: string): PMessage[] => (m[k] ?? []) as PMessage[];
const hex = (v: unknown): string => (v as Buffer).toString('hex');

function patched(t: Template, patcher: Patcher, signal: 'traces' | 'metrics' | 'logs'): PMessage {
  const buf = Buffer.from(t.bytes);
  patcher.patch(new DataView(buf.buffer, buf.byteOffset, buf.length), t, BASE);
  return decodeRequest(signal, buf);
}

function spansOf(req: PMessage): { service: string; span: PMessage }[] {
  return list(req, 'resourceSpans').flatMap((rs) => {
    const attrs = list(rs['resource'] as PMessage, 'attributes');
    const name = attrs.find((a) => a['key'] === 'service.name');
    const service = (name?.['value'] as PMessage | undefined)?.['stringValue'] as string;
    return list(rs, 'scopeSpans').flatMap((ss) => list(ss, 'spans').map((span) => ({ service, span })));
  });
}

test("traces: telemetrygen's spans, fresh ids per request, children under their parent, times from the base", () => {
  const o = parseGenArgs(['traces', '--child-spans', '2', '--otlp-attributes', 'env="prod"', '--status-code', 'Error']);
  const t = buildTraceTemplate(o, 3);
  assert.equal(t.items, 9);
  const patcher = new Patcher();
  const first = spansOf(patched(t, patcher, 'traces'));
  const second = spansOf(patched(t, patcher, 'traces'));
  assert.equal(first.length, 9);
  assert.deepEqual(
    first.slice(0, 3).map((s) => s.span['name']),
    ['lets-go', 'okey-dokey-0', 'okey-dokey-1'],
  );
  assert.equal(first[0]?.service, 'telemetrygen');
  const ids = new Set([...first, ...second].map((s) => hex(s.span['spanId'])));
  assert.equal(ids.size, 18, 'span ids are unique across requests');
  assert.equal(new Set(first.map((s) => hex(s.span['traceId']))).size, 3);
  for (let i = 0; i < 9; i += 3) {
    const [parent, a, b] = [first[i], first[i + 1], first[i + 2]].map((s) => s?.span as PMessage);
    assert.equal(hex(a?.['parentSpanId']), hex(parent?.['spanId']));
    assert.equal(hex(b?.['traceId']), hex(parent?.['traceId']));
    assert.equal(parent?.['kind'], 3);
    assert.deepEqual(a?.['status'], { code: 2 });
  }
  const child = first[2]?.span as PMessage;
  assert.equal(BigInt(child['startTimeUnixNano'] as string), BASE + 123_000n);
  assert.equal(BigInt(child['endTimeUnixNano'] as string), BASE + 246_000n);
});

test('scenario: one resource per service, a connected tree per trace, errors, events and span links', () => {
  const o = parseGenArgs(['traces', '--scenario', 'shop', '--services', '6']);
  const seen = { errors: 0, events: 0, links: 0 };
  for (let variant = 0; variant < 8; variant++) {
    const t = buildScenarioTemplate(o, 10, variant);
    assert.equal(t.items, 10 * scenarioSpansPerTrace(o));
    const req = patched(t, new Patcher(), 'traces');
    assert.equal(list(req, 'resourceSpans').length, 6);
    const spans = spansOf(req);
    assert.equal(spans.length, t.items);
    const byId = new Map(spans.map((s) => [hex(s.span['spanId']), s]));
    assert.equal(byId.size, spans.length);
    const roots = spans.filter((s) => s.span['parentSpanId'] === undefined);
    assert.equal(roots.length, 10, 'one root per trace');
    for (const { span } of spans) {
      const parent = span['parentSpanId'];
      if (parent !== undefined) {
        const p = byId.get(hex(parent))?.span;
        assert.ok(p !== undefined, 'every parent is in the request');
        assert.equal(hex(p['traceId']), hex(span['traceId']));
        assert.ok(BigInt(p['startTimeUnixNano'] as string) <= BigInt(span['startTimeUnixNano'] as string));
      }
      for (const link of list(span, 'links')) assert.ok(byId.has(hex(link['spanId'])), 'links point at real spans');
      seen.links += list(span, 'links').length;
      seen.events += list(span, 'events').length;
      if ((span['status'] as PMessage | undefined)?.['code'] === 2) seen.errors++;
    }
    assert.equal(new Set(spans.map((s) => s.service)).size, 6);
  }
  assert.ok(seen.errors > 0 && seen.events > 0 && seen.links > 0, JSON.stringify(seen));
});

test('metrics: gauge, sum and histogram points with counting values', () => {
  for (const type of ['Gauge', 'Sum', 'Histogram']) {
    const o = parseGenArgs(['metrics', '--metric-type', type, '--aggregation-temporality', 'delta']);
    const t = buildMetricTemplate(o, 3);
    const patcher = new Patcher();
    patched(t, patcher, 'metrics');
    const metrics = list(
      list(list(patched(t, patcher, 'metrics'), 'resourceMetrics')[0] as PMessage, 'scopeMetrics')[0] as PMessage,
      'metrics',
    );
    assert.equal(metrics.length, 3);
    const m = metrics[1] as PMessage;
    assert.equal(m['name'], 'gen');
    const body = m[type.toLowerCase()] as PMessage;
    const point = list(body, 'dataPoints')[0] as PMessage;
    assert.equal(BigInt(point['timeUnixNano'] as string), BASE);
    if (type === 'Histogram') {
      assert.equal(body['aggregationTemporality'], 1);
      assert.equal(
        Number(point['count']),
        (point['bucketCounts'] as string[]).reduce((a, b) => a + Number(b), 0),
      );
    } else assert.equal(Number(point['asInt']), 4, 'the second request continues the count');
    if (type === 'Sum') assert.equal(body['isMonotonic'], true);
  }
});

test('logs: body, severity, trace context', () => {
  const o = parseGenArgs([
    'logs',
    '--body',
    'hello',
    '--severity-text',
    'Error',
    '--severity-number',
    '17',
    '--trace-id',
    'ab'.repeat(16),
  ]);
  const req = patched(buildLogTemplate(o, 2), new Patcher(), 'logs');
  const records = list(list(list(req, 'resourceLogs')[0] as PMessage, 'scopeLogs')[0] as PMessage, 'logRecords');
  assert.equal(records.length, 2);
  const r = records[0] as PMessage;
  assert.deepEqual([r['severityText'], r['severityNumber'], r['body']], ['Error', 17, { stringValue: 'hello' }]);
  assert.equal(hex(r['traceId']), 'ab'.repeat(16));
  assert.equal(BigInt(r['observedTimeUnixNano'] as string), BASE);
});

test('trace and span ids are random in every byte (no shared prefix, no counter), never zero', () => {
  const t = buildTraceTemplate(parseGenArgs(['traces', '--child-spans', '1']), 200);
  const spans = [new Patcher(), new Patcher()].flatMap((p) => spansOf(patched(t, p, 'traces')));
  const traceIds = [...new Set(spans.map((s) => hex(s.span['traceId'])))];
  assert.equal(traceIds.length, 400);
  // With random ids, each of the 16 byte positions takes many values across 400 ids; a fixed prefix
  // or a counter's high bytes would take one.
  for (let pos = 0; pos < 32; pos += 2)
    assert.ok(new Set(traceIds.map((id) => id.slice(pos, pos + 2))).size > 100, `byte ${pos / 2}`);
  const spanIds = spans.map((s) => hex(s.span['spanId']));
  assert.equal(new Set(spanIds).size, spanIds.length);
  for (let pos = 0; pos < 16; pos += 2)
    assert.ok(new Set(spanIds.map((id) => id.slice(pos, pos + 2))).size > 100, `span byte ${pos / 2}`);
  assert.ok(!spanIds.includes('0000000000000000'));
});

test('scenario: failed payments differ in duration and carry a non-zero gRPC status code, as does the root', () => {
  const o = parseGenArgs(['traces', '--scenario', 'shop', '--services', '6']);
  const failed: { ms: number; code: unknown; message: unknown }[] = [];
  const rootStatuses = new Set<unknown>();
  for (let variant = 0; variant < 8; variant++) {
    const spans = spansOf(patched(buildScenarioTemplate(o, 200, variant), new Patcher(), 'traces'));
    for (const { span } of spans) {
      const st = span['status'] as PMessage | undefined;
      if (st?.['code'] !== 2) continue;
      const attr = (k: string) =>
        (list(span, 'attributes').find((a) => a['key'] === k)?.['value'] as PMessage | undefined)?.['intValue'];
      if (span['kind'] === 2 && span['name'] === 'oteldemo.PaymentService/Charge') {
        const ms =
          Number(BigInt(span['endTimeUnixNano'] as string) - BigInt(span['startTimeUnixNano'] as string)) / 1e6;
        failed.push({ ms, code: attr('rpc.grpc.status_code'), message: st['message'] });
      }
      if (span['parentSpanId'] === undefined) rootStatuses.add(attr('http.response.status_code'));
    }
  }
  assert.ok(failed.length >= 8, `${failed.length} failed payments`);
  assert.ok(
    failed.every((f) => Number(f.code) !== 0),
    JSON.stringify(failed),
  );
  assert.ok(new Set(failed.map((f) => Number(f.code))).size >= 2, 'more than one kind of failure');
  const ms = failed.map((f) => f.ms).sort((a, b) => a - b);
  assert.ok((ms.at(-1) ?? 0) > 10 * (ms[0] ?? Infinity), `durations vary: ${ms.join(', ')}`);
  assert.ok([...rootStatuses].every((s) => Number(s) >= 500));
});
