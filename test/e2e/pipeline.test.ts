// End to end through a real telegate process: the OpenTelemetry JS SDK's exporters (gRPC,
// HTTP/protobuf, HTTP/JSON) send traces, metrics and logs into `otlp → resource → batch → otlp`,
// which forwards to an independent gRPC peer (grpc-js). What arrives must be exactly what the SDK
// serialized, with the resource edits applied; the self-metrics must count it; SIGTERM must
// deliver what is still batched before the process exits 0.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ExportResultCode } from '@opentelemetry/core';
import { SIGNALS, type Signal } from '../../src/contracts/signal.ts';
import { OtlpGrpcServer, OTLP_PATHS } from '../helpers/otlp-grpc-server.ts';
import { decodeRequest, RESOURCE_FIELD } from '../helpers/otlp-proto.ts';
import { PROTOCOLS, sdkBatch, sdkExporter, sdkSend } from '../helpers/sdk.ts';
import { freePort, startTelegate, type TelegateProcess } from '../helpers/telegate-process.ts';

interface Ports {
  grpc: number;
  http: number;
  metrics: number;
}

function config(sinkPort: number, ports: Ports, batchTimeout: string): string {
  return `
receivers:
  otlp:
    protocols:
      grpc: { endpoint: 127.0.0.1:${ports.grpc} }
      http: { endpoint: 127.0.0.1:${ports.http} }
processors:
  resource:
    attributes:
      - { key: k8s.cluster.name, value: edge-cluster-1, action: insert }
      - { key: service.name, value: ignored, action: insert }
      - { key: deployment.environment, value: prod, action: update }
      - { key: internal.secret, action: delete }
  batch:
    timeout: ${batchTimeout}
exporters:
  otlp:
    endpoint: 127.0.0.1:${sinkPort}
    tls: { insecure: true }
service:
  telemetry:
    metrics: { address: 127.0.0.1:${ports.metrics} }
  pipelines:
    traces: { receivers: [otlp], processors: [resource, batch], exporters: [otlp] }
    metrics: { receivers: [otlp], processors: [resource, batch], exporters: [otlp] }
    logs: { receivers: [otlp], processors: [resource, batch], exporters: [otlp] }
`;
}

/** The resource edits above, applied to a decoded request object. */
function applyEdits(signal: Signal, request: Record<string, any>): Record<string, any> {
  for (const entry of request[RESOURCE_FIELD[signal]] ?? []) {
    const attrs: { key: string; value: unknown }[] = entry.resource.attributes;
    const kept = attrs.filter((a) => a.key !== 'internal.secret');
    for (const a of kept) if (a.key === 'deployment.environment') a.value = { stringValue: 'prod' };
    if (!kept.some((a) => a.key === 'k8s.cluster.name'))
      kept.push({ key: 'k8s.cluster.name', value: { stringValue: 'edge-cluster-1' } });
    entry.resource.attributes = kept;
  }
  return request;
}

/** All resource entries that reached the sink for a signal since `from`. */
function arrived(sink: OtlpGrpcServer, signal: Signal, from: number): unknown[] {
  return sink.calls
    .slice(from)
    .filter((c) => c.path === OTLP_PATHS[signal])
    .flatMap((c): unknown[] => decodeRequest(signal, c.bytes)[RESOURCE_FIELD[signal]] ?? []);
}

let sink: OtlpGrpcServer;
let telegate: TelegateProcess;
let ports: Ports;

before(async () => {
  sink = new OtlpGrpcServer();
  const sinkPort = await sink.start();
  ports = { grpc: await freePort(), http: await freePort(), metrics: await freePort() };
  telegate = await startTelegate(config(sinkPort, ports, '20ms'));
});

after(async () => {
  await telegate.stop();
  await sink.stop();
});

const urls = (): { grpc: string; http: string } => ({
  grpc: `http://127.0.0.1:${ports.grpc}`,
  http: `http://127.0.0.1:${ports.http}`,
});

for (const signal of SIGNALS) {
  for (const protocol of PROTOCOLS) {
    test(`${signal} over ${protocol} arrive exactly as the SDK sent them, with the resource edits applied`, async () => {
      const batch = await sdkBatch(signal);
      const from = sink.calls.length;
      const exporter = sdkExporter(signal, protocol, urls());
      try {
        const result = await sdkSend(exporter, batch.items);
        assert.equal(result.code, ExportResultCode.SUCCESS, result.error?.message);
      } finally {
        await exporter.shutdown();
      }
      await sink.waitForCalls(from + 1);
      const expected = applyEdits(signal, decodeRequest(signal, Buffer.from(batch.expected)));
      assert.deepEqual(arrived(sink, signal, from), expected[RESOURCE_FIELD[signal]]);
    });
  }
}

test('self-metrics count what was accepted and sent, with the Go collector names', async () => {
  const text = await (await fetch(`http://127.0.0.1:${ports.metrics}/metrics`)).text();
  const value = (name: string, labels: string): number => {
    const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
    return line === undefined ? NaN : Number(line.split(' ').at(-1));
  };
  // 3 protocols × 2 spans; 2 of the 3 protocols went through gRPC-or-HTTP transports.
  assert.equal(value('otelcol_receiver_accepted_spans_total', 'transport="grpc"'), 2);
  assert.equal(value('otelcol_receiver_accepted_spans_total', 'transport="http"'), 4);
  assert.equal(value('otelcol_exporter_sent_spans_total', 'exporter="otlp"'), 6);
  assert.equal(value('otelcol_exporter_sent_log_records_total', 'exporter="otlp"'), 6);
  assert.equal(value('otelcol_exporter_sent_metric_points_total', 'exporter="otlp"'), 9);
  assert.equal(value('otelcol_exporter_queue_capacity', 'data_type="traces"'), 1000);
});

test('SIGTERM delivers what is still batched, then exits 0', async () => {
  const sink2 = new OtlpGrpcServer();
  const sinkPort = await sink2.start();
  const p: Ports = { grpc: await freePort(), http: await freePort(), metrics: await freePort() };
  // A batch timeout far longer than the test: only the shutdown flush can deliver the spans.
  const proc = await startTelegate(config(sinkPort, p, '1h'));
  try {
    const batch = await sdkBatch('traces');
    const exporter = sdkExporter('traces', 'grpc', { grpc: `http://127.0.0.1:${p.grpc}`, http: '' });
    assert.equal((await sdkSend(exporter, batch.items)).code, ExportResultCode.SUCCESS);
    await exporter.shutdown();
    assert.equal(sink2.calls.length, 0, 'still held by the batch processor');
    assert.equal(await proc.stop('SIGTERM'), 0);
    assert.equal(arrived(sink2, 'traces', 0).length, 1);
    assert.match(proc.output(), /Shutdown complete/);
  } finally {
    await proc.stop('SIGKILL');
    await sink2.stop();
  }
});
