// zstd between telegate and the Go collector's own zstd: klauspost/compress, configured as configgrpc
// configures it (its default level, a 512 KiB window, one streaming frame per message; the decoder's
// defaults). A Go edge's zstd requests go into telegate's otlp receiver over gRPC and OTLP/HTTP, are batched,
// and leave through the otlp exporter with `compression: zstd` to grpc-go, which reads them with klauspost's
// decoder, as a Go gateway or backend would. The bytes are checked whole (sha256) at the far end.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import http2 from 'node:http2';
import { goZstd, startGoSink, type GoMessage, type GoSink } from '../helpers/grpc-go-sink.ts';
import { freePort, startTelegate } from '../helpers/telegate-process.ts';
import { OTLP_PATHS } from '../helpers/otlp-grpc-server.ts';
import { numberedRequest } from '../faults/fault-helpers.ts';

const SPANS = 50;
const REQUESTS = 3;

let sink: GoSink;
before(async () => {
  sink = await startGoSink();
});
after(() => {
  sink.stop();
});

/** One unary Export call carrying `body` as a zstd message; resolves with grpc-status. */
function exportZstd(port: number, body: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    session.on('error', reject);
    const frame = Buffer.alloc(5);
    frame[0] = 1;
    frame.writeUInt32BE(body.length, 1);
    const stream = session.request({
      ':method': 'POST',
      ':path': OTLP_PATHS.traces,
      'content-type': 'application/grpc',
      te: 'trailers',
      'grpc-encoding': 'zstd',
    });
    let status = '';
    stream.on('response', (headers) => {
      status = String(headers['grpc-status'] ?? status);
    });
    stream.on('trailers', (trailers) => {
      status = String(trailers['grpc-status'] ?? status);
    });
    stream.on('data', () => undefined);
    stream.on('close', () => {
      session.close();
      resolve(status);
    });
    stream.end(Buffer.concat([frame, body]));
  });
}

/** One OTLP/HTTP protobuf POST of `body` with Content-Encoding: zstd; resolves with the HTTP status. */
async function postZstd(port: number, body: Buffer): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'zstd' },
    body,
  });
  await res.arrayBuffer();
  return res.status;
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/**
 * Runs a gateway (otlp → batch of all the test's spans → otlp with `compression: zstd` and `exporterExtra`),
 * sends REQUESTS numbered requests from `first`, each compressed by Go's zstd, over gRPC or OTLP/HTTP, and
 * returns what grpc-go received and the requests' plain bytes.
 */
async function throughGateway(
  first: number,
  http: boolean,
  exporterExtra = '',
): Promise<{ got: GoMessage; raw: Buffer }> {
  const [port, httpPort] = [await freePort(), await freePort()];
  const proc = await startTelegate(`
receivers:
  otlp:
    protocols:
      grpc: { endpoint: 127.0.0.1:${port} }
      http: { endpoint: 127.0.0.1:${httpPort} }
processors:
  batch: { send_batch_size: ${SPANS * REQUESTS}, timeout: 30s }
exporters:
  otlp: { endpoint: 127.0.0.1:${sink.port}, tls: { insecure: true }, compression: zstd${exporterExtra} }
service:
  telemetry: { metrics: { level: none } }
  pipelines:
    traces: { receivers: [otlp], processors: [batch], exporters: [otlp] }
`);
  try {
    const before = sink.messages.length;
    const raw: Buffer[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const request = numberedRequest(first + i, SPANS);
      const body = goZstd(request);
      assert.equal(body.readUInt32LE(0), 0xfd2fb528, 'Go wrote a zstd frame');
      if (http) assert.equal(await postZstd(httpPort, body), 200);
      else assert.equal(await exportZstd(port, body), '0');
      raw.push(request);
    }
    await sink.waitForMessages(before + 1);
    const got = sink.messages[before];
    assert.ok(got);
    assert.deepEqual(sink.errors, []);
    return { got, raw: Buffer.concat(raw) };
  } finally {
    await proc.stop();
  }
}

test("Go's zstd over gRPC → telegate → compression: zstd (default level) → grpc-go with klauspost's decoder", async () => {
  const { got, raw } = await throughGateway(0, false);
  assert.equal(got.encoding, 'zstd', 'the exporter sent zstd');
  assert.equal(got.sha256, sha256(raw), 'grpc-go decoded exactly the batch of the three requests');
  assert.ok(got.wireLength < got.length / 2, `compressed on the wire: ${got.wireLength} of ${got.length} bytes`);
});

test("Go's zstd over OTLP/HTTP (Content-Encoding: zstd) → telegate → grpc-go, byte for byte", async () => {
  const { got, raw } = await throughGateway(100, true);
  assert.equal(got.encoding, 'zstd');
  assert.equal(got.sha256, sha256(raw));
});

test('compression_params.level 3 (Go’s default) and 19 (an 8 MiB window): grpc-go decodes both', async () => {
  const sizes: number[] = [];
  for (const level of [3, 19]) {
    // The same requests at both levels, so only the level can make the sizes differ.
    const { got, raw } = await throughGateway(200, false, `, compression_params: { level: ${level} }`);
    assert.equal(got.encoding, 'zstd');
    assert.equal(got.sha256, sha256(raw), `level ${level}`);
    sizes.push(got.wireLength);
  }
  assert.notEqual(sizes[0], sizes[1], 'the level reached the encoder');
});
