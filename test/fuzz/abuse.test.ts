// Hostile clients against a real telegate's OTLP receiver: too many streams on one HTTP/2 connection,
// rapid reset (CVE-2023-44487), slowloris on both transports (headers and bodies dribbled, gRPC frames
// announcing a large message and never sending it). Each time the process stays alive, other clients are
// served, and the offender gets the answer HTTP/2 gives (RST_STREAM or GOAWAY), never a crash.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { freePort, startTelegate, type TelegateProcess } from '../helpers/telegate-process.ts';
import { buildCorpus, type Corpus } from './body-cases.ts';
import { GrpcSender, HttpSender } from './fuzz-send.ts';
import { data, grpcHeaders, RawH2Connection, rstStream } from './h2-raw.ts';
import { controlInput } from './input-cases.ts';

const MAX_STREAMS = 8;
const TRACES = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
// RFC 9113 §7 error codes.
const PROTOCOL_ERROR = 1;
const INTERNAL_ERROR = 2;
const REFUSED_STREAM = 7;
const ENHANCE_YOUR_CALM = 11;

let telegate: TelegateProcess;
let ports: { grpc: number; http: number };
let corpus: Corpus;

before(async () => {
  ports = { grpc: await freePort(), http: await freePort() };
  telegate = await startTelegate(`
receivers:
  otlp:
    protocols:
      grpc: { endpoint: 127.0.0.1:${ports.grpc}, max_recv_msg_size_mib: 1, max_concurrent_streams: ${MAX_STREAMS} }
      http: { endpoint: 127.0.0.1:${ports.http}, max_request_body_size: 1048576 }
    # The gRPC slowloris below announces 16 × 8 × 1 MiB, exactly the default budget (128 MiB): reserved
    # at the frame header, it would refuse the control calls UNAVAILABLE until body_timeout. This file
    # tests the connection and stream defences; the budget has its own tests (receiver-memory, transport).
    admission: { request_limit_mib: 512 }
exporters:
  debug: { verbosity: basic, sampling_initial: 1, sampling_thereafter: 100000 }
service:
  telemetry: { metrics: { level: none } }
  pipelines:
    traces: { receivers: [otlp], exporters: [debug] }
`);
  corpus = await buildCorpus(1, 3);
});

after(async () => {
  await telegate.stop('SIGKILL');
});

/** Valid requests on fresh connections of both transports are all accepted. */
async function othersAreServed(): Promise<void> {
  process.kill(telegate.child.pid as number, 0);
  const grpc = new GrpcSender(ports.grpc, 1);
  const http = new HttpSender(ports.http, 2);
  try {
    // controlInput(…, 0) is a traces call over gRPC, (…, 3) traces over HTTP.
    for (const i of [0, 3, 6, 9]) {
      const input = controlInput(corpus, i);
      const a = await (input.transport === 'grpc' ? grpc.send(input) : http.send(input));
      const code = a.kind === 'grpc' ? a.grpcStatus : a.kind === 'http' ? a.status : undefined;
      assert.equal(code, input.expect[0], `${input.label}: ${JSON.stringify(a)}`);
    }
  } finally {
    grpc.close();
    http.close();
  }
}

test('more streams than max_concurrent_streams on one connection: the extra are refused, others served', async () => {
  const c = await RawH2Connection.open(ports.grpc);
  try {
    for (let i = 0; i < MAX_STREAMS * 4; i++) c.write(grpcHeaders(1 + 2 * i, TRACES));
    await c.until(() => c.goaway !== undefined || c.resets.size >= MAX_STREAMS * 3);
    // nghttp2 (under node:http2) treats a HEADERS past the acknowledged limit as a connection error: the
    // connection ends with GOAWAY; a server that refuses the stream alone answers REFUSED_STREAM.
    const refused = [...c.resets.values()].filter((code) => code === REFUSED_STREAM).length;
    assert.ok(
      c.goaway === PROTOCOL_ERROR || c.goaway === INTERNAL_ERROR || refused >= MAX_STREAMS * 3,
      `goaway ${c.goaway}, resets ${JSON.stringify([...c.resets])}`,
    );
  } finally {
    c.close();
  }
  await othersAreServed();
});

test('rapid reset: streams opened and cancelled in a burst end the connection, others served', async () => {
  const c = await RawH2Connection.open(ports.grpc);
  try {
    for (let i = 0; i < 20_000 && !c.closed && c.goaway === undefined; i += 100) {
      const burst: Buffer[] = [];
      for (let j = i; j < i + 100; j++) burst.push(grpcHeaders(1 + 2 * j, TRACES), rstStream(1 + 2 * j, 8));
      c.write(Buffer.concat(burst));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await c.until(() => c.goaway !== undefined);
    assert.ok([INTERNAL_ERROR, ENHANCE_YOUR_CALM].includes(c.goaway ?? -1), `goaway ${c.goaway}`);
  } finally {
    c.close();
  }
  await othersAreServed();
});

test('gRPC slowloris: calls announcing 1 MiB that never send it do not starve other clients', async () => {
  const conns = await Promise.all(Array.from({ length: 16 }, () => RawH2Connection.open(ports.grpc)));
  try {
    const header = Buffer.from([0, 0, 0x0f, 0xff, 0xff]);
    for (const c of conns)
      for (let i = 0; i < MAX_STREAMS; i++)
        c.write(Buffer.concat([grpcHeaders(1 + 2 * i, TRACES), data(1 + 2 * i, header, false)]));
    await othersAreServed();
    assert.ok(
      conns.every((c) => !c.closed && c.answered.size === 0),
      'the slow calls are still open, unanswered',
    );
  } finally {
    for (const c of conns) c.close();
  }
  await othersAreServed();
});

test('HTTP slowloris: connections dribbling headers or bodies do not starve other clients', async () => {
  const sockets: net.Socket[] = [];
  try {
    for (let i = 0; i < 200; i++) {
      const s = net.connect(ports.http, '127.0.0.1');
      s.on('error', () => undefined);
      const head =
        i % 2 === 0
          ? 'POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Ty'
          : 'POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"resourceSpans":[';
      s.write(head);
      sockets.push(s);
    }
    await Promise.all(sockets.map((s) => new Promise((resolve) => s.once('ready', resolve))));
    await othersAreServed();
    assert.ok(
      sockets.every((s) => !s.destroyed),
      'the slow connections are still open',
    );
  } finally {
    for (const s of sockets) s.destroy();
  }
  await othersAreServed();
});
