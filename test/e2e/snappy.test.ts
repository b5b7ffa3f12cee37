// snappy (Go's `compression: snappy` / `x-snappy-framed`) end to end: the otlp exporter sends gRPC `snappy`
// (framed), the otlphttp exporter HTTP `snappy` (one block) and `x-snappy-framed`; the otlp receiver takes
// each byte for byte; a snappy bomb is refused from its headers, before it is inflated, and corrupt data
// gets the status gzip's gets. grpc-js and the OpenTelemetry JS SDK offer no snappy, so the peers here are
// telegate's own exporters and raw clients (Go's own bytes are decoded in src/transport/snappy-frame.test.ts;
// against the Go collector's own snappy through grpc-go: go-codecs.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { otlpExporterFactory } from '../../src/components/exporters/otlp/factory.ts';
import { otlpHttpExporterFactory } from '../../src/components/exporters/otlphttp/factory.ts';
import type { OtlpExporterConfig } from '../../src/components/exporters/otlp/config.ts';
import type { OtlpHttpExporterConfig } from '../../src/components/exporters/otlphttp/config.ts';
import { snappyAsync } from '../../src/transport/compression.ts';
import { hasSnappy } from '../../src/transport/snappy.ts';
import { testSettings } from '../helpers/fakes.ts';
import { codecReceiver, valid } from '../helpers/codec-e2e.ts';

// 1 MiB limits, so that the bomb below is far over them.
const rx = codecReceiver('snappy', () => {
  assert.ok(hasSnappy(), 'the snappy binding is installed (a dependency, prebuilt per platform)');
});
const REQUEST = rx.request;
const { sendThrough, grpcCall, httpPost } = rx;

test('the otlp exporter with compression: snappy → the otlp receiver over gRPC, byte for byte', async () => {
  const cfg = valid(
    otlpExporterFactory,
    { endpoint: rx.grpcEndpoint(), tls: { insecure: true }, compression: 'snappy' },
    'exporters.otlp',
  ) as OtlpExporterConfig;
  await sendThrough(otlpExporterFactory.create(testSettings('exporter', 'otlp'), cfg, 'traces'));
});

for (const compression of ['snappy', 'x-snappy-framed']) {
  test(`the otlphttp exporter with compression: ${compression} → the otlp receiver over HTTP, byte for byte`, async () => {
    const cfg = valid(
      otlpHttpExporterFactory,
      { endpoint: `http://${rx.httpEndpoint()}`, compression },
      'exporters.otlphttp',
    ) as OtlpHttpExporterConfig;
    await sendThrough(otlpHttpExporterFactory.create(testSettings('exporter', 'otlphttp'), cfg, 'traces'));
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
