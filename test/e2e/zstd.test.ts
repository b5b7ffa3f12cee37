// zstd (Go's `compression: zstd`) end to end: the otlp and otlphttp exporters send it, the otlp receiver takes
// it over gRPC (grpc-encoding) and HTTP (Content-Encoding), byte for byte; a zstd bomb is refused from its
// frame headers, before it is inflated. grpc-js and the OpenTelemetry JS SDK offer no zstd, so the peers
// here are telegate's own exporters and raw clients.
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
import { zstdAsync } from '../../src/transport/compression.ts';
import { hasZstd } from '../../src/transport/zstd.ts';
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
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'zstd' } }] },
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
  assert.ok(hasZstd(), 'a zstd codec is installed (@mongodb-js/zstd or node:zlib)');
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

test('the otlp exporter with compression: zstd → the otlp receiver over gRPC, byte for byte', async () => {
  const cfg = valid(
    otlpExporterFactory,
    { endpoint: grpcEndpoint, tls: { insecure: true }, compression: 'zstd' },
    'exporters.otlp',
  ) as OtlpExporterConfig;
  await sendThrough(otlpExporterFactory.create(testSettings('exporter', 'otlp'), cfg, 'traces'));
});

test('the otlphttp exporter with compression: zstd (level 9) → the otlp receiver over HTTP, byte for byte', async () => {
  const cfg = valid(
    otlpHttpExporterFactory,
    { endpoint: `http://${httpEndpoint}`, compression: 'zstd', compression_params: { level: 9 } },
    'exporters.otlphttp',
  ) as OtlpHttpExporterConfig;
  await sendThrough(otlpHttpExporterFactory.create(testSettings('exporter', 'otlphttp'), cfg, 'traces'));
});

/** A zstd frame of `blocks` RLE blocks of 128 KiB each: 7 bytes per block inflating to 128 KiB. */
function zstdBomb(blocks: number): Buffer {
  const header = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x58]); // magic, no content size, 2 MiB window
  const out: Buffer[] = [header];
  for (let i = 0; i < blocks; i++) {
    const last = i === blocks - 1 ? 1 : 0;
    const h = last | (1 << 1) | ((128 * 1024) << 3); // RLE block of 128 KiB
    out.push(Buffer.from([h & 0xff, (h >> 8) & 0xff, (h >> 16) & 0xff, 0x41]));
  }
  return Buffer.concat(out);
}

test('a zstd bomb is refused from its headers: RESOURCE_EXHAUSTED over gRPC, 413 over HTTP', async () => {
  // 4,000 blocks: 16 KB on the wire, 500 MiB inflated.
  const bomb = zstdBomb(4000);
  assert.ok(bomb.length < 20_000);
  const session = connect(`http://${grpcEndpoint}`);
  session.on('error', () => undefined);
  try {
    const stream = session.request({
      ':method': 'POST',
      ':path': TRACES_PATH,
      'content-type': 'application/grpc',
      'grpc-encoding': 'zstd',
      te: 'trailers',
    });
    stream.end(frameMessage(bomb, true));
    stream.resume();
    const [headers] = (await once(stream, 'response')) as [Record<string, string>];
    assert.equal(headers['grpc-status'], '8');
    assert.match(decodeURIComponent(headers['grpc-message'] ?? ''), /after decompression larger than max/);
  } finally {
    session.close();
  }
  const res = await fetch(`http://${httpEndpoint}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'zstd' },
    body: bomb,
  });
  assert.equal(res.status, 413);
  // A real body still goes through on the same receiver.
  const ok = await fetch(`http://${httpEndpoint}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'zstd' },
    body: await zstdAsync(REQUEST, 0),
  });
  assert.equal(ok.status, 200);
});
