// zstd and snappy between telegate and the Go collector's own codecs, configured as configgrpc configures
// them: klauspost/compress zstd (its default level, a 512 KiB window, one streaming frame per message; the
// decoder with concurrency 1) and golang/snappy's framing format; over HTTP, confighttp's one snappy block.
// A Go edge's requests go into telegate's otlp receiver over gRPC and OTLP/HTTP, are batched, and leave
// through the otlp exporter compressed the same way to grpc-go, which reads them with those decoders, as a
// Go gateway or backend would. The bytes are checked whole (sha256) at the far end.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  goSnappyBlock,
  goSnappyFramed,
  goZstd,
  startGatewayToGo,
  startGoSink,
  type GoMessage,
  type GoSink,
} from '../helpers/grpc-go-sink.ts';
import { rawGrpcExport, rawHttpPost } from '../helpers/codec-e2e.ts';
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

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** How the test's requests reach the gateway: Go's compression of each, and the transport and encoding name. */
interface Inbound {
  readonly compress: (request: Buffer) => Buffer;
  readonly http: boolean;
  readonly encoding: string;
}

/**
 * Runs a gateway (otlp → batch of all the test's spans → otlp with `exporter` settings), sends REQUESTS
 * numbered requests from `first` as `inbound` says, and returns what grpc-go received and the requests' bytes.
 */
async function throughGateway(
  first: number,
  inbound: Inbound,
  exporter: string,
): Promise<{ got: GoMessage; raw: Buffer }> {
  const { proc, port, httpPort } = await startGatewayToGo(sink, SPANS * REQUESTS, 'batch', exporter);
  try {
    const before = sink.messages.length;
    const raw: Buffer[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const request = numberedRequest(first + i, SPANS);
      const body = inbound.compress(request);
      if (inbound.http) {
        const res = await rawHttpPost(`127.0.0.1:${httpPort}`, body, inbound.encoding);
        await res.arrayBuffer();
        assert.equal(res.status, 200);
      } else {
        const status = await rawGrpcExport(`127.0.0.1:${port}`, body, inbound.encoding);
        assert.equal(status['grpc-status'], '0', status['grpc-message']);
      }
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

const ZSTD_GRPC: Inbound = { compress: goZstd, http: false, encoding: 'zstd' };

test("Go's zstd over gRPC → telegate → compression: zstd (default level) → grpc-go with klauspost's decoder", async () => {
  assert.equal(goZstd(Buffer.from('x')).readUInt32LE(0), 0xfd2fb528, 'Go writes a zstd frame');
  const { got, raw } = await throughGateway(0, ZSTD_GRPC, 'compression: zstd');
  assert.equal(got.encoding, 'zstd', 'the exporter sent zstd');
  assert.equal(got.sha256, sha256(raw), 'grpc-go decoded exactly the batch of the three requests');
  assert.ok(got.wireLength < got.length / 2, `compressed on the wire: ${got.wireLength} of ${got.length} bytes`);
});

test("Go's zstd over OTLP/HTTP (Content-Encoding: zstd) → telegate → grpc-go, byte for byte", async () => {
  const { got, raw } = await throughGateway(100, { ...ZSTD_GRPC, http: true }, 'compression: zstd');
  assert.equal(got.encoding, 'zstd');
  assert.equal(got.sha256, sha256(raw));
});

test('zstd compression_params.level 3 (Go’s default) and 19 (an 8 MiB window): grpc-go decodes both', async () => {
  const sizes: number[] = [];
  for (const level of [3, 19]) {
    // The same requests at both levels, so only the level can make the sizes differ.
    const { got, raw } = await throughGateway(
      200,
      ZSTD_GRPC,
      `compression: zstd, compression_params: { level: ${level} }`,
    );
    assert.equal(got.encoding, 'zstd');
    assert.equal(got.sha256, sha256(raw), `level ${level}`);
    sizes.push(got.wireLength);
  }
  assert.notEqual(sizes[0], sizes[1], 'the level reached the encoder');
});

test("Go's snappy over gRPC (framed) → telegate → compression: snappy → grpc-go with golang/snappy's reader", async () => {
  const inbound: Inbound = { compress: goSnappyFramed, http: false, encoding: 'snappy' };
  const { got, raw } = await throughGateway(300, inbound, 'compression: snappy');
  assert.equal(got.encoding, 'snappy', 'the exporter sent snappy');
  assert.equal(got.sha256, sha256(raw));
  assert.ok(got.wireLength < got.length, `compressed on the wire: ${got.wireLength} of ${got.length} bytes`);
});

test("Go's snappy over OTLP/HTTP (confighttp's one block) → telegate → grpc-go, byte for byte", async () => {
  const inbound: Inbound = { compress: goSnappyBlock, http: true, encoding: 'snappy' };
  const { got, raw } = await throughGateway(400, inbound, 'compression: snappy');
  assert.equal(got.encoding, 'snappy');
  assert.equal(got.sha256, sha256(raw));
});
