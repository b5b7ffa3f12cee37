// End to end through a real telegate process: the OpenTelemetry JS SDK sends traces, metrics and logs
// into `otlp → attributes → otlp`, forwarded to an independent gRPC peer. Each row of the config is
// one action or match rule; what arrives must be what the Go collector's documented semantics give:
// actions in order on the selected items only (include first, then exclude), a deletion moving the
// last attribute into the freed slot, everything else exactly as the SDK serialized it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { ExportResultCode } from '@opentelemetry/core';
import type { Signal } from '../../src/contracts/signal.ts';
import { OtlpGrpcServer, OTLP_PATHS } from '../helpers/otlp-grpc-server.ts';
import { decodeRequest } from '../helpers/otlp-proto.ts';
import { sdkBatch, sdkExporter, sdkSend, type Protocol } from '../helpers/sdk.ts';
import { freePort, startTelegate, type TelegateProcess } from '../helpers/telegate-process.ts';

type Obj = Record<string, any>;

function config(sinkPort: number, grpcPort: number, httpPort: number): string {
  return `
receivers:
  otlp:
    protocols:
      grpc: { endpoint: 127.0.0.1:${grpcPort}, include_metadata: true }
      http: { endpoint: 127.0.0.1:${httpPort}, include_metadata: true }
processors:
  attributes/server:
    include: { match_type: strict, services: [checkout] }
    exclude: { match_type: strict, span_kinds: [SPAN_KIND_CLIENT] }
    actions:
      - { key: tenant, from_context: metadata.x-tenant, action: upsert }
      - { key: http.method, pattern: '^(?P<verb_first>.)', action: extract }
      - { key: http.method, action: hash }
      - { key: ok, action: delete }
      - { key: retries, converted_type: string, action: convert }
  attributes/client:
    include: { match_type: regexp, span_names: ['^SELECT'] }
    actions:
      - { key: db.kind, value: sql, action: insert }
      - { key: tags, value: redacted, action: update }
      - { key: absent, value: x, action: update }
  attributes/logs:
    include: { log_severity_number: { min: WARN } }
    actions:
      - { key: alert, value: true, action: insert }
  attributes/metrics:
    include: { match_type: strict, metric_names: [requests] }
    actions:
      - { key: route, action: delete }
      - { key: env, value: e2e, action: upsert }
exporters:
  otlp:
    endpoint: 127.0.0.1:${sinkPort}
    tls: { insecure: true }
service:
  telemetry: { metrics: { level: none } }
  pipelines:
    traces: { receivers: [otlp], processors: [attributes/server, attributes/client], exporters: [otlp] }
    metrics: { receivers: [otlp], processors: [attributes/metrics], exporters: [otlp] }
    logs: { receivers: [otlp], processors: [attributes/logs], exporters: [otlp] }
`;
}

const str = (key: string, v: string) => ({ key, value: { stringValue: v } });

/** The attributes each item must have on arrival, by item name; items not listed arrive unchanged. */
const EXPECTED: Record<Signal, Record<string, Obj[]>> = {
  traces: {
    // upsert tenant, extract verb_first, hash http.method, delete ok (verb_first, last, takes its
    // slot), convert retries to a string.
    'GET /cart': [
      str('http.method', createHash('sha256').update('GET').digest('hex')),
      str('retries', '3'),
      str('verb_first', 'G'),
      { key: 'ratio', value: { doubleValue: 0.5 } },
      str('tenant', 'acme'),
    ],
    // A client span: excluded from attributes/server, selected by attributes/client by name.
    'SELECT cart': [str('tags', 'redacted'), str('db.kind', 'sql')],
  },
  logs: {
    // Only the ERROR record is at least WARN.
    ERROR: [{ key: 'alert', value: { boolValue: true } }],
  },
  metrics: {
    requests: [str('env', 'e2e')],
  },
};

/** Every item of a decoded request with its display name, and the holders of its attributes. */
function items(signal: Signal, req: Obj): [string, Obj[]][] {
  const out: [string, Obj[]][] = [];
  if (signal === 'traces')
    for (const rs of req.resourceSpans)
      for (const ss of rs.scopeSpans) for (const s of ss.spans) out.push([s.name, [s]]);
  if (signal === 'logs')
    for (const rl of req.resourceLogs)
      for (const sl of rl.scopeLogs) for (const l of sl.logRecords) out.push([l.severityText ?? 'ERROR', [l]]);
  if (signal === 'metrics')
    for (const rm of req.resourceMetrics)
      for (const sm of rm.scopeMetrics)
        for (const m of sm.metrics) {
          const data = m.sum ?? m.gauge ?? m.histogram;
          out.push([m.name, data.dataPoints]);
        }
  return out;
}

/** The SDK's own request with the documented edits applied. */
function expected(signal: Signal, bytes: Uint8Array): Obj {
  const req = decodeRequest(signal, Buffer.from(bytes));
  for (const [name, holders] of items(signal, req)) {
    const attrs = EXPECTED[signal][name];
    if (attrs !== undefined) for (const h of holders) h.attributes = attrs;
  }
  return req;
}

let sink: OtlpGrpcServer;
let telegate: TelegateProcess;
let grpcPort: number;
let httpPort: number;

before(async () => {
  sink = new OtlpGrpcServer();
  const sinkPort = await sink.start();
  grpcPort = await freePort();
  httpPort = await freePort();
  telegate = await startTelegate(config(sinkPort, grpcPort, httpPort));
});

after(async () => {
  await telegate.stop();
  await sink.stop();
});

const ROWS: [Signal, Protocol][] = [
  ['traces', 'grpc'],
  ['traces', 'http/json'],
  ['logs', 'grpc'],
  ['metrics', 'http/protobuf'],
];

for (const [signal, protocol] of ROWS) {
  test(`${signal} over ${protocol}: the attributes processor gives what Go's semantics give`, async () => {
    const batch = await sdkBatch(signal);
    const from = sink.calls.length;
    const urls = { grpc: `http://127.0.0.1:${grpcPort}`, http: `http://127.0.0.1:${httpPort}` };
    const exporter = sdkExporter(signal, protocol, urls, { headers: { 'x-tenant': 'acme' } });
    try {
      const result = await sdkSend(exporter, batch.items);
      assert.equal(result.code, ExportResultCode.SUCCESS, result.error?.message);
    } finally {
      await exporter.shutdown();
    }
    await sink.waitForCalls(from + 1);
    const calls = sink.calls.slice(from).filter((c) => c.path === OTLP_PATHS[signal]);
    assert.equal(calls.length, 1);
    assert.deepEqual(decodeRequest(signal, calls[0]!.bytes), expected(signal, batch.expected));
  });
}
