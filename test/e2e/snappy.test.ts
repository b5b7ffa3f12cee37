// snappy (Go's `compression: snappy` / `x-snappy-framed`) end to end: the otlp exporter sends gRPC `snappy`
// (framed), the otlphttp exporter HTTP `snappy` (one block) and `x-snappy-framed`; the otlp receiver takes
// each byte for byte; a snappy bomb is refused from its headers, before it is inflated, and corrupt data
// gets the status gzip's gets. grpc-js and the OpenTelemetry JS SDK offer no snappy, so the peers here are
// telegate's own exporters and raw clients (Go's own bytes are decoded in src/transport/snappy-frame.test.ts).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fromPlain } from '../../src/config/node.ts';
import { validateConfig } from '../../src/config/validate.ts';
import type { Component } from '../../src/contracts/component.ts';
import type { Consumer } from '../../src/contracts/consumer.ts';
import type { ExporterFactory, ReceiverFactory } from '../../src/contracts/component.ts';
import { otlpExporterFactory } from '../../src/components/exporters/otlp/factory.ts';
import { otlpHttpExporterFactory } from '../../src/components/exporters/otlphttp/factory.ts';
import type { OtlpExporterConfig } from '../../src/components/exporters/otlp/config.ts';
import type { OtlpHttpExporterConfig } from '../../src/components/exporters/otlphttp/config.ts';
import type { OtlpReceiverConfig } from '../../src/components/receivers/otlp/config.ts';
import { otlpReceiverFactory } from '../../src/components/receivers/otlp/factory.ts';
import { connect } from 'node:http2';
import { once } from 'node:events';
import { frameMessage } from '../../src/transport/grpc-framing.ts';
import { snappyAsync } from '../../src/transport/compression.ts';
import { hasSnappy } from '../../src/transport/snappy.ts';
import { MemoryTelemetry, RecordingConsumer, RecordingLogger, testHost, testSettings } from '../helpers/fakes.ts';
import { encodeRequest } from '../helpers/otlp-proto.ts';

const TRACES_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

function valid(factory: ReceiverFactory | ExporterFactory, plain: Record<string, unknown>, at: string): unknown {
  const r = validateConfig(factory.configSchema, fromPlain(plain, undefined), at, undefined);
  assert.deepEqual(r.issues, []);
  return r.value;
}

const REQUEST = encodeRequest('traces', {
  resourceSpans: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'snappy' } }] },
      scopeSpans: [
        {
          spans: Array.from({ length: 200 }, (_, i) => ({
            traceId: Buffer.alloc(16, 3),
            spanId: Buffer.alloc(8, i + 1),
            name: `span-${i % 7}`,
          })),
        },
      ],
    },
  ],
});

const traces = new RecordingConsumer();
const logger = new RecordingLogger();
let receiver: Component;
let grpcEndpoint = '';
let httpEndpoint = '';

before(async () => {
  assert.ok(hasSnappy(), 'the snappy binding is installed (a dependency, prebuilt per platform)');
  receiver = otlpReceiverFactory.create(
    testSettings('receiver', 'otlp', new MemoryTelemetry(), logger),
    valid(
      otlpReceiverFactory,
      // 1 MiB limits, so that the bomb below is far over them.
      {
        protocols: {
          grpc: { endpoint: '127.0.0.1:0', max_recv_msg_size_mib: 1 },
          http: { endpoint: '127.0.0.1:0', max_request_body_size: 1048576 },
        },
      },
      'receivers.otlp',
    ) as OtlpReceiverConfig,
    { traces },
  );
  await receiver.start(testHost());
  grpcEndpoint = String(logger.lines.find((l) => l.msg === 'Starting GRPC server')?.fields['endpoint']);
  httpEndpoint = String(logger.lines.find((l) => l.msg === 'Starting HTTP server')?.fields['endpoint']);
});
after(async () => {
  await receiver.shutdown();
});

async function sendThrough(exporter: Component & Consumer): Promise<void> {
  await exporter.start(testHost());
  const before = traces.items();
  assert.equal(
    (await exporter.consume({ signal: 'traces', bytes: REQUEST, items: 200, context: {} })).status,
    'success',
  );
  await traces.waitForItems(before + 200);
  await exporter.shutdown();
  assert.deepEqual(traces.payloads.at(-1)?.bytes, REQUEST);
}

test('the otlp exporter with compression: snappy → the otlp receiver over gRPC, byte for byte', async () => {
  const cfg = valid(
    otlpExporterFactory,
    { endpoint: grpcEndpoint, tls: { insecure: true }, compression: 'snappy' },
    'exporters.otlp',
  ) as OtlpExporterConfig;
  await sendThrough(otlpExporterFactory.create(testSettings('exporter', 'otlp'), cfg, 'traces'));
});

for (const compression of ['snappy', 'x-snappy-framed']) {
  test(`the otlphttp exporter with compression: ${compression} → the otlp receiver over HTTP, byte for byte`, async () => {
    const cfg = valid(
      otlpHttpExporterFactory,
      { endpoint: `http://${httpEndpoint}`, compression },
      'exporters.otlphttp',
    ) as OtlpHttpExporterConfig;
    await sendThrough(otlpHttpExporterFactory.create(testSettings('exporter', 'otlphttp'), cfg, 'traces'));
  });
}

/** One raw gRPC call; its response (or trailers-only) headers. */
async function grpcCall(message: Buffer, encoding: string): Promise<Record<string, string>> {
  const session = connect(`http://${grpcEndpoint}`);
  session.on('error', () => undefined);
  try {
    const stream = session.request({
      ':method': 'POST',
      ':path': TRACES_PATH,
      'content-type': 'application/grpc',
      'grpc-encoding': encoding,
      te: 'trailers',
    });
    stream.end(frameMessage(message, true));
    stream.resume();
    const [headers] = (await once(stream, 'response')) as [Record<string, string>];
    if (headers['grpc-status'] !== undefined) return headers;
    const [trailers] = (await once(stream, 'trailers')) as [Record<string, string>];
    return trailers;
  } finally {
    session.close();
  }
}

function httpPost(body: Buffer, encoding: string): Promise<Response> {
  return fetch(`http://${httpEndpoint}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf', 'content-encoding': encoding },
    body,
  });
}

test('a snappy bomb is refused from its headers: RESOURCE_EXHAUSTED over gRPC, 413 over HTTP', async () => {
  // 16 MiB of zeros: ~0.8 MB as one block, ~0.8 MB framed; the limits are 1 MiB.
  const zeros = Buffer.alloc(16 << 20);
  const framed = await snappyAsync(zeros, true);
  const block = await snappyAsync(zeros, false);
  assert.ok(framed.length < 1 << 20 && block.length < 1 << 20);
  const h = await grpcCall(framed, 'snappy');
  assert.equal(h['grpc-status'], '8');
  assert.match(decodeURIComponent(h['grpc-message'] ?? ''), /after decompression larger than max/);
  for (const [body, encoding] of [
    [block, 'snappy'],
    [framed, 'snappy'],
    [framed, 'x-snappy-framed'],
  ] as const) {
    assert.equal((await httpPost(body, encoding)).status, 413, encoding);
  }
  // Real bodies still go through on the same receiver, both ways.
  assert.equal((await grpcCall(await snappyAsync(REQUEST, true), 'snappy'))['grpc-status'], '0');
  assert.equal((await httpPost(await snappyAsync(REQUEST, false), 'snappy')).status, 200);
});

test('corrupt snappy is refused as corrupt gzip is: INTERNAL over gRPC, 400 over HTTP', async () => {
  const framed = await snappyAsync(REQUEST, true);
  const broken = Buffer.from(framed);
  broken[broken.length - 1] = (broken[broken.length - 1] ?? 0) ^ 0xff;
  const h = await grpcCall(broken, 'snappy');
  assert.equal(h['grpc-status'], '13');
  assert.match(decodeURIComponent(h['grpc-message'] ?? ''), /failed to decompress/);
  // gRPC's snappy is the framed stream only, as golang/snappy's Reader: a bare block is corrupt there.
  assert.equal((await grpcCall(await snappyAsync(REQUEST, false), 'snappy'))['grpc-status'], '13');
  const res = await httpPost(broken, 'x-snappy-framed');
  assert.equal(res.status, 400);
  assert.equal((await httpPost(Buffer.from('not snappy'), 'snappy')).status, 400);
});
