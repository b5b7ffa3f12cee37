// The otlphttp exporter between two real telegate processes: OpenTelemetry JS SDK → edge telegate
// (otlp receiver) → otlphttp (https, basicauth/client, proto+gzip or json) → gateway telegate (otlp
// receiver over HTTP with TLS and basicauth/server) → a gRPC sink. What arrives must be exactly what
// the SDK serialized, for every signal; with a wrong password nothing arrives and the edge says why.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { ExportResultCode } from '@opentelemetry/core';
import { SIGNALS, type Signal } from '../../src/contracts/signal.ts';
import { OtlpGrpcServer, OTLP_PATHS } from '../helpers/otlp-grpc-server.ts';
import { decodeRequest, RESOURCE_FIELD } from '../helpers/otlp-proto.ts';
import { sdkBatch, sdkExporter, sdkSend } from '../helpers/sdk.ts';
import { freePort, startTelegate, type TelegateProcess } from '../helpers/telegate-process.ts';
import { selfSignedCert, type TestCert } from '../helpers/tls.ts';

function gatewayConfig(port: number, sinkPort: number, cert: TestCert): string {
  return `
extensions:
  basicauth/server:
    htpasswd: { inline: "edge-1:s3cret-pass" }
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:${port}
        tls: { cert_file: ${cert.certFile}, key_file: ${cert.keyFile} }
        auth: { authenticator: basicauth/server }
exporters:
  otlp:
    endpoint: 127.0.0.1:${sinkPort}
    tls: { insecure: true }
service:
  extensions: [basicauth/server]
  telemetry: { metrics: { level: none } }
  pipelines:
    traces: { receivers: [otlp], exporters: [otlp] }
    metrics: { receivers: [otlp], exporters: [otlp] }
    logs: { receivers: [otlp], exporters: [otlp] }
`;
}

function edgeConfig(
  ports: { grpc: number; http: number },
  gateway: number,
  cert: TestCert,
  encoding: string,
  password: string,
): string {
  return `
extensions:
  basicauth/client:
    client_auth: { username: edge-1, password: "${password}" }
receivers:
  otlp:
    protocols:
      grpc: { endpoint: 127.0.0.1:${ports.grpc} }
      http: { endpoint: 127.0.0.1:${ports.http} }
exporters:
  otlphttp:
    endpoint: https://localhost:${gateway}
    encoding: ${encoding}
    tls: { ca_file: ${cert.certFile} }
    auth: { authenticator: basicauth/client }
    retry_on_failure: { enabled: false }
service:
  extensions: [basicauth/client]
  telemetry: { metrics: { level: none } }
  pipelines:
    traces: { receivers: [otlp], exporters: [otlphttp] }
    metrics: { receivers: [otlp], exporters: [otlphttp] }
    logs: { receivers: [otlp], exporters: [otlphttp] }
`;
}

function arrived(sink: OtlpGrpcServer, signal: Signal, from: number): unknown[] {
  return sink.calls
    .slice(from)
    .filter((c) => c.path === OTLP_PATHS[signal])
    .flatMap((c): unknown[] => decodeRequest(signal, c.bytes)[RESOURCE_FIELD[signal]] ?? []);
}

let cert: TestCert;
let sink: OtlpGrpcServer;
let gateway: TelegateProcess;
let gatewayPort: number;

before(async () => {
  cert = selfSignedCert();
  sink = new OtlpGrpcServer();
  const sinkPort = await sink.start();
  gatewayPort = await freePort();
  gateway = await startTelegate(gatewayConfig(gatewayPort, sinkPort, cert));
});

after(async () => {
  await gateway.stop();
  await sink.stop();
  rmSync(cert.dir, { recursive: true, force: true });
});

async function withEdge(
  encoding: string,
  password: string,
  fn: (urls: { grpc: string; http: string }, edge: TelegateProcess) => Promise<void>,
): Promise<void> {
  const ports = { grpc: await freePort(), http: await freePort() };
  const edge = await startTelegate(edgeConfig(ports, gatewayPort, cert, encoding, password));
  try {
    await fn({ grpc: `http://127.0.0.1:${ports.grpc}`, http: `http://127.0.0.1:${ports.http}` }, edge);
  } finally {
    await edge.stop();
  }
}

for (const encoding of ['proto', 'json']) {
  test(`SDK → edge → otlphttp (${encoding}, TLS, basicauth) → gateway → sink: every signal arrives exactly`, async () => {
    await withEdge(encoding, 's3cret-pass', async (urls) => {
      for (const signal of SIGNALS) {
        const batch = await sdkBatch(signal);
        const from = sink.calls.length;
        const exporter = sdkExporter(signal, 'http/protobuf', urls);
        try {
          const result = await sdkSend(exporter, batch.items);
          assert.equal(result.code, ExportResultCode.SUCCESS, result.error?.message);
        } finally {
          await exporter.shutdown();
        }
        await sink.waitForCalls(from + 1);
        const expected = decodeRequest(signal, Buffer.from(batch.expected));
        assert.deepEqual(arrived(sink, signal, from), expected[RESOURCE_FIELD[signal]], `${signal} over ${encoding}`);
      }
    });
  });
}

test('a wrong password: nothing arrives, the edge logs that the gateway refused user edge-1', async () => {
  await withEdge('proto', 'wrong-pass', async (urls, edge) => {
    const from = sink.calls.length;
    const batch = await sdkBatch('traces');
    const exporter = sdkExporter('traces', 'grpc', urls);
    try {
      await sdkSend(exporter, batch.items);
    } finally {
      await exporter.shutdown();
    }
    await edge.waitFor(/the gateway refused user edge-1/);
    assert.equal(sink.calls.length, from);
    assert.doesNotMatch(edge.output(), /wrong-pass/);
  });
});
