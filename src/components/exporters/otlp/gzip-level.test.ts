// The gzip level on the wire: a raw HTTP/2 server keeps the compressed request as sent, and the gzip
// header's XFL byte tells the level (4 = fastest, level 1; 0 = a middle level such as 6; 2 = best, 9).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { testHost, testSettings } from '../../../../test/helpers/fakes.ts';
import { encodeRequest } from '../../../../test/helpers/otlp-proto.ts';
import { defaultOtlpExporterConfig } from './config.ts';
import { createOtlpExporter } from './otlp-exporter.ts';

/** Sends one export at `level` (undefined: the config default) and returns the gRPC message as received. */
async function sentMessage(level: number | undefined): Promise<{ encoding: string; body: Buffer }> {
  const received: { encoding: string; body: Buffer }[] = [];
  const server = http2.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const framed = Buffer.concat(chunks);
      received.push({ encoding: String(req.headers['grpc-encoding']), body: framed.subarray(5) });
      res.writeHead(200, { 'content-type': 'application/grpc' });
      res.addTrailers({ 'grpc-status': '0' });
      res.end(Buffer.from([0, 0, 0, 0, 0]));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const cfg = defaultOtlpExporterConfig(`127.0.0.1:${(server.address() as AddressInfo).port}`);
  cfg.tls.insecure = true;
  if (level !== undefined) cfg.compression_params = { level };
  const exporter = createOtlpExporter(testSettings('exporter', 'otlp/gz'), cfg, 'traces');
  await exporter.start(testHost());
  const bytes = encodeRequest('traces', {
    resourceSpans: [
      { scopeSpans: [{ spans: [{ traceId: Buffer.alloc(16, 1), spanId: Buffer.alloc(8, 2), name: 'x' }] }] },
    ],
  });
  try {
    assert.equal((await exporter.consume({ signal: 'traces', bytes, items: 1, context: {} })).status, 'success');
  } finally {
    await exporter.shutdown();
    await new Promise((r) => server.close(r));
  }
  assert.equal(received.length, 1);
  assert.deepEqual(gunzipSync(received[0]!.body), bytes);
  return received[0]!;
}

test('unset level (0) gzips at level 1, telegate’s default; -1 is zlib’s default (6) and 9 is 9, as in Go', async () => {
  for (const [level, xfl] of [
    [undefined, 4],
    [0, 4],
    [-1, 0],
    [6, 0],
    [9, 2],
  ] as const) {
    const sent = await sentMessage(level);
    assert.equal(sent.encoding, 'gzip');
    assert.equal(sent.body[8], xfl, `XFL byte at level ${String(level)}`);
  }
});
