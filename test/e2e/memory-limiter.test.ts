// memory_limiter under a load that would exceed its limit, in a real telegate process whose
// exporter cannot deliver (the peer answers UNAVAILABLE, so everything accepted piles up in the
// sending queue): the memory the limiter measures stays under limit_mib, senders get 503 with
// Retry-After once the soft limit is reached, and when the peer recovers every span that was
// accepted arrives. Finally the OpenTelemetry JS SDK's exporter gets through again.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ExportResultCode } from '@opentelemetry/core';
import { OtlpGrpcServer } from '../helpers/otlp-grpc-server.ts';
import { decodeRequest } from '../helpers/otlp-proto.ts';
import { sdkBatch, sdkExporter, sdkSend } from '../helpers/sdk.ts';
import { freePort, startTelegate, type TelegateProcess } from '../helpers/telegate-process.ts';
import { traceRequest } from '../helpers/traces.ts';

const MIB = 1024 * 1024;
const LIMIT_MIB = 160;
const SPIKE_MIB = 40;
/** Each request carries one span with a 512 KiB attribute: 320 of them would be 160 MiB of Buffers. */
const MAX_REQUESTS = 320;
const FILLER = 'x'.repeat(512 * 1024);
/** Unique ids per request (the helpers' tid/sid pad with hex digits, so they can collide). */
const spanId = (n: number): string => n.toString(16).padStart(16, '0');
const traceId = (n: number): string => n.toString(16).padStart(32, '0');

let sink: OtlpGrpcServer;
let telegate: TelegateProcess;
let http = '';
let metrics = '';

before(async () => {
  sink = new OtlpGrpcServer();
  sink.fallback = { code: 14, message: 'peer down' }; // UNAVAILABLE: the exporter keeps retrying
  const sinkPort = await sink.start();
  const [httpPort, metricsPort] = [await freePort(), await freePort()];
  http = `http://127.0.0.1:${httpPort}`;
  metrics = `http://127.0.0.1:${metricsPort}/metrics`;
  telegate = await startTelegate(`
receivers:
  otlp:
    protocols:
      http: { endpoint: 127.0.0.1:${httpPort} }
processors:
  memory_limiter: { check_interval: 20ms, limit_mib: ${LIMIT_MIB}, spike_limit_mib: ${SPIKE_MIB} }
exporters:
  otlp:
    endpoint: 127.0.0.1:${sinkPort}
    tls: { insecure: true }
    retry_on_failure: { initial_interval: 20ms, max_interval: 100ms, max_elapsed_time: 0s }
    sending_queue: { sizer: bytes, queue_size: 1073741824, num_consumers: 2 }
service:
  telemetry:
    metrics: { address: 127.0.0.1:${metricsPort} }
  pipelines:
    traces: { receivers: [otlp], processors: [memory_limiter], exporters: [otlp] }
`);
});

after(async () => {
  await telegate.stop('SIGKILL');
  await sink.stop();
});

async function metric(name: string): Promise<number> {
  const text = await (await fetch(metrics)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes('processor="memory_limiter"'));
  return Number(line?.split(' ').at(-1));
}

function spanIdsOf(bytes: Buffer): string[] {
  const req = decodeRequest('traces', bytes);
  return (req['resourceSpans'] as any[]).flatMap((rs) =>
    (rs.scopeSpans as any[]).flatMap((ss) => (ss.spans as any[]).map((s) => (s.spanId as Buffer).toString('hex'))),
  );
}

test('refuses with 503 + Retry-After above the soft limit, stays under the limit, loses nothing accepted', async () => {
  const accepted = new Set<string>();
  let refusals = 0;
  let retryAfter: string | null = null;
  let peakBytes = 0;
  for (let n = 0; n < MAX_REQUESTS && refusals < 20; n++) {
    const body = traceRequest([{ traceId: traceId(n + 1), spanId: spanId(n + 1), attributes: { filler: FILLER } }]);
    const res = await fetch(`${http}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body,
    });
    await res.arrayBuffer();
    if (res.status === 200) accepted.add(spanId(n + 1));
    else {
      assert.equal(res.status, 503, 'a refusal is retryable');
      retryAfter = res.headers.get('retry-after');
      refusals++;
    }
    peakBytes = Math.max(peakBytes, await metric('telegate_processor_memory_limiter_usage_bytes'));
    sink.calls.length = 0; // the failing retries are not kept
  }
  assert.ok(refusals > 0, `refused once the soft limit was reached (accepted ${accepted.size})`);
  assert.ok(accepted.size < MAX_REQUESTS);
  assert.ok(retryAfter !== null && Number(retryAfter) >= 1, `Retry-After: ${retryAfter}`);
  assert.ok(peakBytes < LIMIT_MIB * MIB, `measured ${Math.round(peakBytes / MIB)} MiB, limit ${LIMIT_MIB} MiB`);
  assert.equal(await metric('otelcol_processor_refused_spans_total'), refusals);
  assert.equal(await metric('otelcol_processor_accepted_spans_total'), accepted.size);

  // The peer recovers: every accepted span arrives, once; nothing refused does.
  sink.calls.length = 0;
  sink.fallback = {};
  const delivered = new Set<string>();
  while (delivered.size < accepted.size) {
    await sink.waitForCalls(1);
    for (const c of sink.calls.splice(0)) for (const id of spanIdsOf(c.bytes)) delivered.add(id);
  }
  // At least once: an attempt that timed out while the peer was busy may arrive twice, never not at all.
  assert.deepEqual(delivered, accepted);
});

test('once memory falls the SDK exporter gets through again', async () => {
  const batch = await sdkBatch('traces');
  const exporter = sdkExporter('traces', 'http/protobuf', { grpc: '', http });
  try {
    let result = await sdkSend(exporter, batch.items);
    // The SDK retries 503 itself; bounded: the queue has drained, memory is falling.
    for (let i = 0; i < 50 && result.code !== ExportResultCode.SUCCESS; i++)
      result = await sdkSend(exporter, batch.items);
    assert.equal(result.code, ExportResultCode.SUCCESS);
  } finally {
    await exporter.shutdown();
  }
});
