// probabilistic_sampler end to end. (1) The proof: two independent telegate processes with the
// same seed, fed the same 100,000 single-span traces, keep exactly the same trace ids — the ones Go's
// algorithm keeps (FNV-1a of seed ‖ trace id, low 14 bits < 1638, re-implemented here independently)
// — and keep 10 % ± 1 point of them. (2) The OpenTelemetry JS SDK → telegate → sink, one row per
// option: what arrives is what Go's processor forwards.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { ExportResultCode } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { OtlpGrpcServer, OTLP_PATHS } from '../helpers/otlp-grpc-server.ts';
import { decodeRequest, encodeRequest } from '../helpers/otlp-proto.ts';
import { sdkExporter, sdkResource, sdkSend } from '../helpers/sdk.ts';
import { freePort, startTelegate, type TelegateProcess } from '../helpers/telegate-process.ts';

const TRACES = 100_000;
const PER_REQUEST = 1_000;
const SEED = 22;

/** Go's hash_seed decision, written independently of src/: FNV-1a 32 over seed (LE) ‖ trace id. */
function goKeeps(traceId: Buffer, seed: number, percentage: number): boolean {
  let h = 0x811c9dc5;
  const bytes = Buffer.concat([
    Buffer.from([seed & 255, (seed >>> 8) & 255, (seed >>> 16) & 255, seed >>> 24]),
    traceId,
  ]);
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  // uint32(float32(pct) * float32(16384 / 100)), as Go computes it.
  const rate = Math.trunc(Math.fround(Math.fround(percentage) * Math.fround(16384 / 100)));
  return (h & 0x3fff) < rate;
}

interface Collector {
  readonly sink: OtlpGrpcServer;
  readonly telegate: TelegateProcess;
  readonly http: number;
  readonly grpc: number;
}

const processes: Collector[] = [];

async function startCollector(processors: string, pipelines: string, extraReceivers = ''): Promise<Collector> {
  const sink = new OtlpGrpcServer();
  const sinkPort = await sink.start();
  const http = await freePort();
  const grpc = await freePort();
  const metrics = await freePort();
  const telegate = await startTelegate(`
receivers:
  otlp:
    protocols:
      grpc: { endpoint: 127.0.0.1:${grpc} }
      http: { endpoint: 127.0.0.1:${http} }
${extraReceivers}
processors:
${processors}
exporters:
  otlp: { endpoint: 127.0.0.1:${sinkPort}, tls: { insecure: true } }
service:
  telemetry: { metrics: { address: 127.0.0.1:${metrics} } }
  pipelines:
${pipelines}
`);
  const c = { sink, telegate, http, grpc };
  processes.push(c);
  return c;
}

after(async () => {
  for (const c of processes) {
    await c.telegate.stop();
    await c.sink.stop();
  }
});

/** Trace ids of every span that reached a sink. */
function keptTraceIds(sink: OtlpGrpcServer): string[] {
  const ids: string[] = [];
  for (const call of sink.calls) {
    if (call.path !== OTLP_PATHS.traces) continue;
    for (const rs of decodeRequest('traces', call.bytes)['resourceSpans'] ?? [])
      for (const ss of rs.scopeSpans ?? []) for (const span of ss.spans ?? []) ids.push(span.traceId.toString('hex'));
  }
  return ids;
}

async function post(port: number, body: Buffer): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${port}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf' },
    body,
  });
  assert.equal(res.status, 200);
  await res.arrayBuffer();
}

test('two processes with the same seed keep the same trace ids: Go’s, and 10 % ± 1 point of 100,000', async () => {
  const sampler = `  probabilistic_sampler: { sampling_percentage: 10, hash_seed: ${SEED} }`;
  const pipeline = '    traces: { receivers: [otlp], processors: [probabilistic_sampler], exporters: [otlp] }';
  const [a, b] = await Promise.all([startCollector(sampler, pipeline), startCollector(sampler, pipeline)]);
  const expected = new Set<string>();
  for (let r = 0; r < TRACES / PER_REQUEST; r++) {
    const spans = [];
    for (let i = 0; i < PER_REQUEST; i++) {
      const traceId = randomBytes(16);
      if (goKeeps(traceId, SEED, 10)) expected.add(traceId.toString('hex'));
      spans.push({ traceId, spanId: randomBytes(8), name: `op-${i % 7}`, kind: 2 });
    }
    const body = encodeRequest('traces', { resourceSpans: [{ scopeSpans: [{ spans }] }] });
    await Promise.all([post(a.http, body), post(b.http, body)]);
  }
  // Every request keeps some spans (the chance one of 1,000 keeps none is 0.9^1000 ≈ 2e-46): one call each.
  await Promise.all([a.sink.waitForCalls(TRACES / PER_REQUEST), b.sink.waitForCalls(TRACES / PER_REQUEST)]);
  const keptA = keptTraceIds(a.sink);
  const keptB = keptTraceIds(b.sink);
  assert.deepEqual(new Set(keptA), new Set(keptB), 'both processes keep the same traces');
  assert.deepEqual(new Set(keptA), expected, 'the traces Go’s hash_seed mode keeps');
  const share = (100 * keptA.length) / TRACES;
  assert.ok(Math.abs(share - 10) <= 1, `kept ${share.toFixed(2)} %`);
});

/** Spans made by the SDK: one trace, `count` spans, attributes on each. */
function sdkSpanBatch(attributes: Record<string, number | string>[]) {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: sdkResource(),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('e2e-sampler', '1.0.0');
  for (const [i, attrs] of attributes.entries()) tracer.startSpan(`op-${i}`, { attributes: attrs }).end();
  const items = memory.getFinishedSpans();
  return {
    items,
    expected: decodeRequest('traces', Buffer.from(ProtobufTraceSerializer.serializeRequest(items) ?? [])),
  };
}

let sdkCollector: Collector;
const ports = { none: 0, proportional: 0 };

before(async () => {
  ports.none = await freePort();
  ports.proportional = await freePort();
  sdkCollector = await startCollector(
    `  probabilistic_sampler/all: { sampling_percentage: 100 }
  probabilistic_sampler/none: { sampling_percentage: 0 }
  probabilistic_sampler/proportional: { sampling_percentage: 100, mode: proportional }`,
    `    traces/all: { receivers: [otlp], processors: [probabilistic_sampler/all], exporters: [otlp] }
    traces/none: { receivers: [otlp/none], processors: [probabilistic_sampler/none], exporters: [otlp] }
    traces/proportional: { receivers: [otlp/proportional], processors: [probabilistic_sampler/proportional], exporters: [otlp] }`,
    `  otlp/none: { protocols: { grpc: { endpoint: 127.0.0.1:${ports.none} } } }
  otlp/proportional: { protocols: { grpc: { endpoint: 127.0.0.1:${ports.proportional} } } }`,
  );
});

/** Exports the SDK's spans over gRPC to `port`; the SDK must see success. */
async function sdkExport(port: number, items: unknown): Promise<void> {
  const url = `http://127.0.0.1:${port}`;
  const exporter = sdkExporter('traces', 'grpc', { grpc: url, http: url });
  try {
    const result = await sdkSend(exporter, items);
    assert.equal(result.code, ExportResultCode.SUCCESS, result.error?.message);
  } finally {
    await exporter.shutdown();
  }
}

/** Spans of the calls that reached the sink from `from` on. */
function arrivedSpans(sink: OtlpGrpcServer, from: number): Record<string, any>[] {
  const spans: Record<string, any>[] = [];
  for (const call of sink.calls.slice(from))
    for (const rs of decodeRequest('traces', call.bytes)['resourceSpans'] ?? [])
      for (const ss of rs.scopeSpans ?? []) spans.push(...(ss.spans ?? []));
  return spans;
}

test('SDK → telegate (hash_seed, 100 %) → sink: every span arrives unchanged but for Go’s tracestate', async () => {
  const { sink, grpc } = sdkCollector;
  const batch = sdkSpanBatch([{ 'http.route': '/cart' }, { retries: 3 }]);
  const from = sink.calls.length;
  await sdkExport(grpc, batch.items);
  await sink.waitForCalls(from + 1);
  const got = arrivedSpans(sink, from);
  const want = batch.expected['resourceSpans'][0].scopeSpans[0].spans as Record<string, any>[];
  assert.equal(got.length, want.length);
  for (const [i, span] of got.entries()) {
    const { traceState, ...rest } = span;
    assert.match(String(traceState), /^ot=rv:[0-9a-f]{14};th:0$/);
    assert.deepEqual(rest, want[i]);
  }
});

test('SDK → telegate at 0 %: the sender gets success, nothing is forwarded but sampling.priority > 0', async () => {
  const { sink } = sdkCollector;
  const dropped = sdkSpanBatch([{ 'http.route': '/a' }, { 'sampling.priority': 0 }]);
  const forced = sdkSpanBatch([{ 'http.route': '/b' }, { 'sampling.priority': 1 }, { 'sampling.priority': '2.5' }]);
  const from = sink.calls.length;
  await sdkExport(ports.none, dropped.items);
  // The pipeline forwards in order, so once the second export's spans arrive the first had its turn.
  await sdkExport(ports.none, forced.items);
  await sink.waitForCalls(from + 1);
  const got = arrivedSpans(sink, from);
  assert.deepEqual(
    got.map((s): unknown[] => [s['name'], s['traceState']]),
    [
      ['op-1', 'ot=th:0'],
      ['op-2', 'ot=th:0'],
    ],
  );
});

test('SDK → telegate (proportional, 100 %) → sink: spans carry ot=th:0 and nothing else changes', async () => {
  const { sink } = sdkCollector;
  const batch = sdkSpanBatch([{ 'http.route': '/c' }]);
  const from = sink.calls.length;
  await sdkExport(ports.proportional, batch.items);
  await sink.waitForCalls(from + 1);
  const want = batch.expected['resourceSpans'][0].scopeSpans[0].spans[0];
  assert.deepEqual(arrivedSpans(sink, from), [{ ...want, traceState: 'ot=th:0' }]);
});
