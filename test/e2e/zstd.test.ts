// zstd (Go's `compression: zstd`) end to end: the otlp and otlphttp exporters send it, the otlp receiver takes
// it over gRPC (grpc-encoding) and HTTP (Content-Encoding), byte for byte; a zstd bomb is refused from its
// frame headers, before it is inflated. grpc-js and the OpenTelemetry JS SDK offer no zstd, so the peers
// here are telegate's own exporters and raw clients.
// Against the Go collector's own zstd (klauspost/compress, through grpc-go): go-codecs.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { otlpExporterFactory } from '../../src/components/exporters/otlp/factory.ts';
import { otlpHttpExporterFactory } from '../../src/components/exporters/otlphttp/factory.ts';
import type { OtlpExporterConfig } from '../../src/components/exporters/otlp/config.ts';
import type { OtlpHttpExporterConfig } from '../../src/components/exporters/otlphttp/config.ts';
import { zstdAsync } from '../../src/transport/compression.ts';
import { hasZstd } from '../../src/transport/zstd.ts';
import { testSettings } from '../helpers/fakes.ts';
import { codecReceiver, valid } from '../helpers/codec-e2e.ts';

// 1 MiB limits, so that the bomb below is far over them.
const rx = codecReceiver('zstd', () => {
  assert.ok(hasZstd(), 'a zstd codec is installed (@mongodb-js/zstd or node:zlib)');
});
const REQUEST = rx.request;
const { sendThrough, grpcCall, httpPost } = rx;

test('the otlp exporter with compression: zstd → the otlp receiver over gRPC, byte for byte', async () => {
  const cfg = valid(
    otlpExporterFactory,
    { endpoint: rx.grpcEndpoint(), tls: { insecure: true }, compression: 'zstd' },
    'exporters.otlp',
  ) as OtlpExporterConfig;
  await sendThrough(otlpExporterFactory.create(testSettings('exporter', 'otlp'), cfg, 'traces'));
});

test('the otlphttp exporter with compression: zstd (level 9) → the otlp receiver over HTTP, byte for byte', async () => {
  const cfg = valid(
    otlpHttpExporterFactory,
    { endpoint: `http://${rx.httpEndpoint()}`, compression: 'zstd', compression_params: { level: 9 } },
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
  const headers = await grpcCall(bomb, 'zstd');
  assert.equal(headers['grpc-status'], '8');
  assert.match(decodeURIComponent(headers['grpc-message'] ?? ''), /after decompression larger than max/);
  const res = await httpPost(bomb, 'zstd');
  assert.equal(res.status, 413);
  // A real body still goes through on the same receiver.
  const ok = await httpPost(await zstdAsync(REQUEST, 0), 'zstd');
  assert.equal(ok.status, 200);
});
