// The health_check extension in a real telegate process, probed as Kubernetes would: 200 with the
// status of every pipeline once the collector runs, data from the OpenTelemetry JS SDK flowing, 500
// while check_collector_pipeline sees the exporter failing, and 503 from the start of shutdown while
// the exporter still drains what it holds.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ExportResultCode } from '@opentelemetry/core';
import { OtlpGrpcServer } from '../helpers/otlp-grpc-server.ts';
import { sdkBatch, sdkExporter, sdkSend } from '../helpers/sdk.ts';
import { freePort, startTelegate, type TelegateProcess } from '../helpers/telegate-process.ts';

let sink: OtlpGrpcServer;
let telegate: TelegateProcess;
let health = '';
let otlpHttp = '';

before(async () => {
  sink = new OtlpGrpcServer();
  const sinkPort = await sink.start();
  const [healthPort, httpPort] = [await freePort(), await freePort()];
  health = `http://127.0.0.1:${healthPort}/healthz`;
  otlpHttp = `http://127.0.0.1:${httpPort}`;
  telegate = await startTelegate(`
extensions:
  health_check:
    endpoint: 127.0.0.1:${healthPort}
    path: /healthz
    check_collector_pipeline: { enabled: true, interval: 5m, exporter_failure_threshold: 0 }
receivers:
  otlp:
    protocols:
      http: { endpoint: 127.0.0.1:${httpPort} }
processors:
  batch: { timeout: 1ms }
exporters:
  otlp:
    endpoint: 127.0.0.1:${sinkPort}
    tls: { insecure: true }
    retry_on_failure: { enabled: false }
service:
  telemetry: { metrics: { level: none } }
  extensions: [health_check]
  pipelines:
    traces: { receivers: [otlp], processors: [batch], exporters: [otlp] }
`);
});

after(async () => {
  await telegate.stop('SIGKILL');
  await sink.stop();
});

async function probe(): Promise<{ code: number; doc: Record<string, any> }> {
  const res = await fetch(health);
  return { code: res.status, doc: (await res.json()) as Record<string, any> };
}

test('ready: 200 with the traces pipeline and its receiver, processor and exporter', async () => {
  const { code, doc } = await probe();
  assert.equal(code, 200);
  assert.equal(doc['status'], 'Server available');
  const traces = doc['components']['pipeline:traces'];
  assert.equal(traces['status'], 'StatusOK');
  assert.deepEqual(Object.keys(traces['components']).sort(), ['exporter:otlp', 'processor:batch', 'receiver:otlp']);
  assert.equal(doc['components']['extensions']['components']['extension:health_check']['status'], 'StatusOK');
});

test('an exporter failure makes the pipeline check answer 500; the SDK data reached the sink before', async () => {
  const batch = await sdkBatch('traces');
  const exporter = sdkExporter('traces', 'http/protobuf', { grpc: '', http: otlpHttp });
  try {
    assert.equal((await sdkSend(exporter, batch.items)).code, ExportResultCode.SUCCESS);
    await sink.waitForCalls(1);
    assert.equal((await probe()).code, 200);

    sink.fallback = { code: 3, message: 'refused by the sink' }; // INVALID_ARGUMENT: permanent
    await sdkSend(exporter, batch.items);
    // The failure is reported just before the exporter logs it.
    await telegate.waitFor(/Exporting failed/);
    const answer = await probe();
    assert.equal(answer.code, 500);
    const exp = answer.doc['components']['pipeline:traces']['components']['exporter:otlp'];
    assert.equal(exp['status'], 'StatusRecoverableError');
    assert.match(exp['error'], /refused by the sink/);
  } finally {
    await exporter.shutdown();
  }
});

test('shutdown: 503 while the exporter still drains', async () => {
  sink.fallback = { delayMs: 60_000 }; // the sink holds the next request: the exporter cannot finish
  const batch = await sdkBatch('traces');
  const exporter = sdkExporter('traces', 'http/protobuf', { grpc: '', http: otlpHttp });
  const calls = sink.calls.length;
  void sdkSend(exporter, batch.items);
  await sink.waitForCalls(calls + 1);
  telegate.child.kill('SIGTERM');
  await telegate.waitFor(/Starting shutdown/);
  const { code, doc } = await probe();
  assert.equal(code, 503);
  assert.equal(doc['status'], 'Server not available');
  void exporter.shutdown();
});
