import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { arbTracesRequest } from '../../../../test/helpers/otlp-arbitrary.ts';
import { decodeRequest, encodeRequest } from '../../../../test/helpers/otlp-proto.ts';
import { RecordingConsumer, testSettings } from '../../../../test/helpers/fakes.ts';
import { EMPTY_CONTEXT } from '../../../contracts/payload.ts';
import type { ProbabilisticSamplerConfig } from './config.ts';
import { probabilisticSamplerFactory } from './factory.ts';
import { parseGoFloat } from './priority.ts';
import { makeSampler } from './sampler.ts';
import {
  PRIORITY_DEFER,
  PRIORITY_DO_NOT_SAMPLE,
  PRIORITY_MUST_SAMPLE,
  decideSpan,
  type Priority,
} from './span-decision.ts';

const BASE: ProbabilisticSamplerConfig = {
  sampling_percentage: 50,
  hash_seed: 0,
  fail_closed: true,
  sampling_precision: 4,
  attribute_source: 'traceID',
  from_attribute: '',
  sampling_priority: '',
};

function makeProcessor(over: Partial<ProbabilisticSamplerConfig>) {
  const next = new RecordingConsumer();
  const settings = testSettings('processor', 'probabilistic_sampler');
  const p = probabilisticSamplerFactory.create(settings, { ...BASE, ...over }, 'traces', next);
  return { p, next, settings };
}

const payload = (bytes: Buffer) => ({ signal: 'traces' as const, bytes, items: 0, context: EMPTY_CONTEXT });

// ---- the reference: Go's processTraces over the fully decoded request ----

/** Go's parseSpanSamplingPriority over a decoded span's attributes. */
function referencePriority(attributes: { key?: string; value?: Record<string, unknown> }[] | undefined): Priority {
  const attr = (attributes ?? []).find((a) => (a.key ?? '') === 'sampling.priority');
  if (attr === undefined) return PRIORITY_DEFER;
  const v = attr.value ?? {};
  let n = Number.NaN;
  if (v['intValue'] !== undefined) n = Number(v['intValue']);
  else if (v['doubleValue'] !== undefined) n = v['doubleValue'] as number;
  else if (v['stringValue'] !== undefined) n = parseGoFloat(v['stringValue'] as string);
  if (n === 0) return PRIORITY_DO_NOT_SAMPLE;
  return n > 0 ? PRIORITY_MUST_SAMPLE : PRIORITY_DEFER;
}

function referenceFilter(request: Record<string, any>, cfg: ProbabilisticSamplerConfig): Record<string, any> {
  const sampler = makeSampler(cfg);
  const resourceSpans = [];
  for (const rs of request['resourceSpans'] ?? []) {
    const scopeSpans = [];
    for (const ss of rs.scopeSpans ?? []) {
      const spans = [];
      for (const span of ss.spans ?? []) {
        const tid: Buffer = span.traceId ?? Buffer.alloc(0);
        const d = decideSpan(sampler, cfg.fail_closed, {
          buf: tid,
          traceIdStart: tid.length === 16 && tid.some((b) => b !== 0) ? 0 : -1,
          traceState: span.traceState ?? '',
          priority: referencePriority(span.attributes),
        });
        if (!d.sampled) continue;
        spans.push(d.traceState === undefined ? span : { ...span, traceState: d.traceState });
      }
      if (spans.length > 0) scopeSpans.push({ ...ss, spans });
    }
    if (scopeSpans.length > 0) resourceSpans.push({ ...rs, scopeSpans });
  }
  return resourceSpans.length > 0 ? { resourceSpans } : {};
}

const TRACE_STATES = [
  '',
  '',
  'ot=th:8',
  'ot=rv:90000000000000;th:c',
  'ot=rv:10000000000000',
  'congo=t61rcWkgMzE,ot=th:fd7',
  'ot=th:zz',
  'Bad Tracestate',
];
const PRIORITIES: Record<string, unknown>[] = [
  { intValue: 0 },
  { intValue: 3 },
  { doubleValue: 0.5 },
  { stringValue: '0' },
  { stringValue: 'x' },
];

/** Puts tracestates and sampling.priority attributes the sampler reads onto some spans. */
function withSamplingFields(request: Record<string, any>, seed: number): Record<string, any> {
  let i = seed;
  for (const rs of request['resourceSpans'] ?? [])
    for (const ss of rs.scopeSpans ?? [])
      for (const span of ss.spans ?? []) {
        i++;
        span.traceState = TRACE_STATES[i % TRACE_STATES.length];
        if (i % 3 === 0)
          span.attributes = [
            { key: 'sampling.priority', value: PRIORITIES[i % PRIORITIES.length] },
            ...(span.attributes ?? []),
          ];
      }
  return request;
}

const arbConfig = fc.record({
  sampling_percentage: fc.constantFrom(0, 10, 50, 99, 100),
  hash_seed: fc.constantFrom(0, 22),
  mode: fc.constantFrom<ProbabilisticSamplerConfig['mode']>(undefined, 'hash_seed', 'proportional', 'equalizing'),
  fail_closed: fc.boolean(),
  sampling_precision: fc.constantFrom(1, 4, 14),
});

test('the byte-level sampler equals Go’s processTraces over the decoded request (property)', async () => {
  await fc.assert(
    fc.asyncProperty(arbTracesRequest, fc.nat(), arbConfig, async (raw, seed, over) => {
      const { mode, ...rest } = over;
      const cfg: ProbabilisticSamplerConfig = mode === undefined ? { ...BASE, ...rest } : { ...BASE, ...rest, mode };
      const bytes = encodeRequest('traces', withSamplingFields(structuredClone(raw), seed));
      const expected = referenceFilter(decodeRequest('traces', bytes), cfg);
      const { p, next } = makeProcessor(cfg);
      const result = await p.consume(payload(bytes));
      assert.equal(result.status, 'success');
      if (expected['resourceSpans'] === undefined) {
        assert.equal(next.payloads.length, 0);
        return;
      }
      assert.equal(next.payloads.length, 1);
      const got = next.payloads[0]!;
      assert.deepEqual(decodeRequest('traces', got.bytes), expected);
      let spans = 0;
      for (const rs of expected['resourceSpans']) for (const ss of rs.scopeSpans) spans += ss.spans.length as number;
      if (got.bytes !== bytes) assert.equal(got.items, spans);
    }),
    { numRuns: 300 },
  );
});

const span = (traceId: string, extra: Record<string, unknown> = {}) => ({
  traceId: Buffer.from(traceId, 'hex'),
  spanId: Buffer.alloc(8, 1),
  name: 's',
  ...extra,
});
const request = (spans: object[]) => ({ resourceSpans: [{ scopeSpans: [{ spans }] }] });

test('nothing kept: nothing is forwarded and the sender gets success', async () => {
  const { p, next } = makeProcessor({ sampling_percentage: 0 });
  const bytes = encodeRequest('traces', request([span('0102030405060708090a0b0c0d0e0f10')]));
  assert.deepEqual(await p.consume(payload(bytes)), { status: 'success' });
  assert.equal(next.payloads.length, 0);
});

test('a request nothing changes in is forwarded as the same buffer', async () => {
  // hash_seed leaves a span with an arriving rv alone; fail-open keeps it unchanged.
  const { p, next } = makeProcessor({ hash_seed: 5, fail_closed: false });
  const bytes = encodeRequest(
    'traces',
    request([span('0102030405060708090a0b0c0d0e0f10', { traceState: 'ot=rv:12345678901234' })]),
  );
  await p.consume(payload(bytes));
  assert.equal(next.payloads[0]?.bytes, bytes);
});

test('kept spans are counted by policy, as Go’s count_traces_sampled', async () => {
  const { p, settings } = makeProcessor({ mode: 'proportional', sampling_percentage: 50 });
  const bytes = encodeRequest(
    'traces',
    request([
      span('000000000000000000ffffffffffffff'),
      span('00000000000000000000000000000001'),
      span('00000000000000000000000000000001', { attributes: [{ key: 'sampling.priority', value: { intValue: 1 } }] }),
    ]),
  );
  await p.consume(payload(bytes));
  const v = (policy: string, sampled: string) =>
    settings.telemetry.values.get(
      `otelcol_processor_probabilistic_sampler_count_traces_sampled{policy=${policy},processor=probabilistic_sampler,sampled=${sampled}}`,
    );
  assert.equal(v('trace_id_w3c', 'true'), 1);
  assert.equal(v('trace_id_w3c', 'false'), 1);
  assert.equal(v('sampling_priority', 'true'), 1);
});

test('malformed bytes are refused for good, and the processor keeps serving', async () => {
  const { p, next } = makeProcessor({ sampling_percentage: 100 });
  const result = await p.consume(payload(Buffer.from([0x0a, 0x05, 0x12])));
  assert.ok(result.status === 'failure');
  assert.match(result.error.message, /probabilistic_sampler/);
  const ok = encodeRequest('traces', request([span('0102030405060708090a0b0c0d0e0f10')]));
  assert.equal((await p.consume(payload(ok))).status, 'success');
  assert.equal(next.payloads.length, 1);
  await p.start({ getExtension: () => undefined });
  await p.shutdown();
});
