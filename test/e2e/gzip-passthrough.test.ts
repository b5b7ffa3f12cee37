// A gateway forwards the gzip its edges sent without compressing again: requests that arrived gzip as Go
// writes it (Go's compress/gzip, what grpc-go's gzip sends; made here by the Go program itself) and were
// batched unchanged leave as their deflate data laid end to end inside ONE new gzip member. The next hop
// is grpc-go reading gzip as a one-member reader does (Rust's GzDecoder, gRPC C-core): anything after a
// first member would be an error there. Anything else is compressed afresh, still as one member: bodies
// zlib wrote (a final block with data), a body with bytes after its member, bytes a processor changed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { goGzip, startGatewayToGo, startGoSink, type GoMessage, type GoSink } from '../helpers/grpc-go-sink.ts';
import { rawGrpcExport, rawHttpPost } from '../helpers/codec-e2e.ts';
import { numberedRequest } from '../faults/fault-helpers.ts';

const SPANS = 10;
const REQUESTS = 3;

let sink: GoSink;
before(async () => {
  sink = await startGoSink({ singleMember: true });
});
after(() => {
  sink.stop();
});

/** One unary Export call with `body` as a gzip message; resolves with grpc-status. */
const exportGzip = async (port: number, body: Buffer): Promise<string> =>
  String((await rawGrpcExport(`127.0.0.1:${port}`, body, 'gzip'))['grpc-status']);

/** One OTLP/HTTP protobuf POST with `body` gzip-encoded; resolves with the HTTP status. */
async function postGzip(port: number, body: Buffer): Promise<number> {
  const res = await rawHttpPost(`127.0.0.1:${port}`, body, 'gzip');
  await res.arrayBuffer();
  return res.status;
}

/** The exporter's sending_queue batching one batch of the test's requests (Go's exporter-side batching). */
const QUEUE_BATCH = `sending_queue: { batch: { flush_timeout: 30s, min_size: ${SPANS * REQUESTS}, sizer: items } }`;

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** What one member holding the bodies' deflate data weighs on the wire: frame, header, data, final block, trailer. */
const stitchedWireLength = (bodies: readonly Buffer[]): number =>
  5 + 10 + bodies.reduce((n, b) => n + b.length - 18, 0) + 13;

/** How a batch is sent: each request gzipped by `gzip` (Go by default), then `tamper`ed, over gRPC or OTLP/HTTP. */
interface BatchOptions {
  readonly gzip?: (request: Buffer, i: number) => Buffer;
  readonly tamper?: (gz: Buffer, i: number) => Buffer;
  readonly http?: boolean;
  /** Extra settings of the otlp exporter. */
  readonly exporter?: string;
}

/** Sends REQUESTS numbered requests (from `first`) to a gateway running `processors`; what grpc-go received. */
async function batchThroughGateway(
  processors: string,
  first: number,
  { gzip = goGzip, tamper = (gz) => gz, http = false, exporter = '' }: BatchOptions = {},
): Promise<{ got: GoMessage; raw: Buffer[]; sent: Buffer[] }> {
  const { proc, port, httpPort } = await startGatewayToGo(sink, SPANS * REQUESTS, processors, exporter);
  try {
    const before = sink.messages.length;
    const raw: Buffer[] = [];
    const sent: Buffer[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const request = numberedRequest(first + i, SPANS);
      const body = tamper(gzip(request, i), i);
      if (http) assert.equal(await postGzip(httpPort, body), 200);
      else assert.equal(await exportGzip(port, body), '0');
      raw.push(request);
      sent.push(body);
    }
    await sink.waitForMessages(before + 1);
    const got = sink.messages[before];
    assert.ok(got);
    assert.deepEqual(sink.errors, []);
    return { got, raw, sent };
  } finally {
    await proc.stop();
  }
}

test("Go's gzip requests batched unchanged reach grpc-go inside one member, not compressed again", async () => {
  const { got, raw, sent } = await batchThroughGateway('batch', 0);
  assert.equal(got.sha256, sha256(Buffer.concat(raw)), 'grpc-go decoded exactly the batch of the three requests');
  assert.equal(
    got.wireLength,
    stitchedWireLength(sent),
    "on the wire: the three bodies' deflate data, not compressed again",
  );
});

test("batched by the exporter's sending_queue instead (the rendered gateway's way), still not compressed again", async () => {
  // The rendered gateway (src/k8s/gateway-config.ts) also sets wait_for_result, which changes when each
  // request is answered, not how the queue merges them; the requests here are sent one after another.
  const { got, raw, sent } = await batchThroughGateway('', 600, { exporter: QUEUE_BATCH });
  assert.equal(got.sha256, sha256(Buffer.concat(raw)));
  assert.equal(got.wireLength, stitchedWireLength(sent));
});

test('a gzip body with a zero byte after its member (zlib stops there, Go would fail) is compressed afresh', async () => {
  const tamper = (gz: Buffer, i: number): Buffer => (i === 1 ? Buffer.concat([gz, Buffer.from([0, 0x41])]) : gz);
  const { got, raw, sent } = await batchThroughGateway('batch', 100, { tamper });
  assert.equal(got.sha256, sha256(Buffer.concat(raw)));
  assert.notEqual(got.wireLength, stitchedWireLength(sent.map((b) => b.subarray(0, b.length - 2))));
});

test('gzip as zlib writes it (a final block with data) is compressed afresh, into one member', async () => {
  // One zlib body among Go bodies: the whole batch is compressed afresh.
  const gzip = (request: Buffer, i: number): Buffer => (i === 1 ? gzipSync(request, { level: 9 }) : goGzip(request));
  const { got, raw, sent } = await batchThroughGateway('batch', 400, { gzip });
  assert.equal(got.sha256, sha256(Buffer.concat(raw)));
  assert.notEqual(got.wireLength, stitchedWireLength(sent));
});

test('bytes a processor changed are compressed afresh, and grpc-go reads them', async () => {
  const { got, raw } = await batchThroughGateway('resource, batch', 200);
  assert.notEqual(got.sha256, sha256(Buffer.concat(raw)), 'the resource processor changed the bytes');
  assert.ok(got.length > Buffer.concat(raw).length);
});

test('OTLP/HTTP gzip requests batched unchanged leave over gRPC inside one member, not compressed again', async () => {
  const { got, raw, sent } = await batchThroughGateway('batch', 300, { http: true });
  assert.equal(got.sha256, sha256(Buffer.concat(raw)));
  assert.equal(got.wireLength, stitchedWireLength(sent));
});

test('the next hop here is strict: two gzip members in one message are refused, not read on', async () => {
  const status = await exportGzip(
    sink.port,
    Buffer.concat([goGzip(numberedRequest(500, 1)), goGzip(numberedRequest(501, 1))]),
  );
  assert.notEqual(status, '0');
  await sink.waitForErrors(1);
  assert.match(sink.errors.join('\n'), /bytes after the first gzip member/);
  sink.errors.length = 0;
});
