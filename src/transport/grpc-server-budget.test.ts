// The gRPC server under a byte budget, against a raw HTTP/2 client sending half messages: a message's
// declared size is reserved at its frame header, a call past the budget waits unread and is admitted or
// refused (UNAVAILABLE with RetryInfo), a stalled body times out, and every way a call ends returns its bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, constants as h2, type ClientHttp2Session, type ClientHttp2Stream } from 'node:http2';
import { once } from 'node:events';
import { RecordingLogger } from '../../test/helpers/fakes.ts';
import { ByteBudget } from './byte-budget.ts';
import { frameMessage, GRPC_FRAME_HEADER } from './grpc-framing.ts';
import { GrpcServer, type GrpcServerOptions } from './grpc-server.ts';
import { decodeRetryAfterMs } from './grpc-status-details.ts';
import { parseEndpoint, type ListenTarget } from './http-server-listen.ts';

const LOCAL = parseEndpoint('127.0.0.1:0') as ListenTarget;
const KIB = 1024;
const PATH = '/pkg.Svc/Export';

interface Setup {
  server: GrpcServer;
  session: ClientHttp2Session;
  budget: ByteBudget;
  refused: { count: number };
}

async function start(limitBytes: number, extra: Partial<GrpcServerOptions> = {}, maxWaitMs = 60_000): Promise<Setup> {
  const budget = new ByteBudget(limitBytes, 4 * limitBytes);
  const refused = { count: 0 };
  const server = new GrpcServer({
    owner: 'receivers.test',
    target: LOCAL,
    methods: new Map([[PATH, () => Promise.resolve({ code: 0 as const, response: Buffer.from('ok') })]]),
    maxRecvMsgBytes: 4 * 1024 * KIB,
    maxConcurrentStreams: 0,
    logger: new RecordingLogger(),
    budget: { budget, maxWaitMs, retryAfterMs: 1000, onRefused: () => (refused.count += 1) },
    ...extra,
  });
  const addr = await server.start();
  const session = connect(`http://${addr}`);
  session.on('error', () => undefined);
  await once(session, 'remoteSettings');
  return { server, session, budget, refused };
}

async function stop(s: Setup): Promise<void> {
  s.session.destroy();
  await s.server.shutdown();
}

/** Opens a call announcing `declared` bytes and sends only `sent` of them. */
function halfSent(session: ClientHttp2Session, declared: number, sent: number, headers = {}): ClientHttp2Stream {
  const req = session.request({ ':method': 'POST', ':path': PATH, 'content-type': 'application/grpc', ...headers });
  req.on('error', () => undefined);
  const head = Buffer.alloc(GRPC_FRAME_HEADER);
  head.writeUInt32BE(declared, 1);
  req.write(Buffer.concat([head, Buffer.alloc(sent, 7)]));
  return req;
}

/** The grpc-status (and headers) the call gets; resolves when its response headers arrive. */
async function statusOf(req: ClientHttp2Stream): Promise<{ status: number; headers: Record<string, unknown> }> {
  const [headers] = (await once(req, 'response')) as [Record<string, unknown>];
  if (headers['grpc-status'] !== undefined) return { status: Number(headers['grpc-status']), headers };
  const [trailers] = (await once(req, 'trailers')) as [Record<string, unknown>];
  return { status: Number(trailers['grpc-status']), headers: trailers };
}

/** Waits until `check` holds: the budget changes on I/O events this test cannot listen to directly. */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}

test('a half-sent message holds its declared size; a call past the budget waits unread, then goes on', async () => {
  const s = await start(1024 * KIB);
  try {
    const a = halfSent(s.session, 600 * KIB, 10 * KIB);
    await until(() => s.budget.heldBytes === 600 * KIB);
    const b = halfSent(s.session, 600 * KIB, 10 * KIB);
    await until(() => s.budget.waitingBytes === 600 * KIB);
    // The first client cancels: its reservation comes back and the waiting call is admitted.
    a.close(h2.NGHTTP2_CANCEL);
    await until(() => s.budget.waitingBytes === 0 && s.budget.heldBytes === 600 * KIB);
    b.end(Buffer.alloc(590 * KIB, 7));
    assert.equal((await statusOf(b)).status, 0);
    await until(() => s.budget.heldBytes === 0);
    assert.equal(s.refused.count, 0);
  } finally {
    await stop(s);
  }
});

test('a call that finds no room within the wait is refused UNAVAILABLE with RetryInfo, and counted', async () => {
  const s = await start(100 * KIB, {}, 20);
  try {
    const a = halfSent(s.session, 100 * KIB, KIB);
    await until(() => s.budget.heldBytes === 100 * KIB);
    const b = halfSent(s.session, 50 * KIB, KIB);
    const { status, headers } = await statusOf(b);
    assert.equal(status, 14);
    assert.match(String(headers['grpc-message']), /request_limit_mib/);
    const details = Buffer.from(String(headers['grpc-status-details-bin']), 'base64');
    assert.equal(decodeRetryAfterMs(details), 1000);
    assert.equal(s.refused.count, 1);
    assert.equal(s.budget.heldBytes, 100 * KIB);
    a.close(h2.NGHTTP2_CANCEL);
    await until(() => s.budget.heldBytes === 0 && s.budget.waitingBytes === 0);
  } finally {
    await stop(s);
  }
});

test("the wait ends before the call's own deadline, with UNAVAILABLE rather than DEADLINE_EXCEEDED", async () => {
  const s = await start(100 * KIB);
  try {
    halfSent(s.session, 100 * KIB, KIB);
    await until(() => s.budget.heldBytes === 100 * KIB);
    const b = halfSent(s.session, 50 * KIB, KIB, { 'grpc-timeout': '200m' });
    assert.equal((await statusOf(b)).status, 14);
    assert.equal(s.refused.count, 1);
  } finally {
    await stop(s);
  }
});

test('every way a call ends returns its bytes: success, protocol error, reset, client gone', async () => {
  const s = await start(1024 * KIB);
  try {
    const ok = halfSent(s.session, 8 * KIB, 4 * KIB);
    ok.end(Buffer.alloc(4 * KIB));
    assert.equal((await statusOf(ok)).status, 0);
    await until(() => s.budget.heldBytes === 0);

    // A second message after the first is a protocol violation (unary).
    const twice = halfSent(s.session, 4, 0);
    twice.end(Buffer.concat([Buffer.alloc(4), frameMessage(Buffer.alloc(4), false)]));
    assert.equal((await statusOf(twice)).status, 13);
    await until(() => s.budget.heldBytes === 0);

    // The stream ends before the announced bytes arrived.
    const short = halfSent(s.session, 8 * KIB, KIB);
    short.end();
    assert.equal((await statusOf(short)).status, 13);
    await until(() => s.budget.heldBytes === 0);

    const reset = halfSent(s.session, 300 * KIB, KIB);
    await until(() => s.budget.heldBytes === 300 * KIB);
    reset.close(h2.NGHTTP2_CANCEL);
    await until(() => s.budget.heldBytes === 0);

    for (let i = 0; i < 3; i += 1) halfSent(s.session, 300 * KIB, KIB);
    halfSent(s.session, 300 * KIB, KIB);
    await until(() => s.budget.heldBytes === 900 * KIB && s.budget.waitingBytes === 300 * KIB);
    s.session.destroy();
    await until(() => s.budget.heldBytes === 0 && s.budget.waitingBytes === 0);
  } finally {
    await stop(s);
  }
});

test('a stalled message is ended by the body timeout (DEADLINE_EXCEEDED) and its bytes come back', async () => {
  const s = await start(1024 * KIB, { readTimeoutMs: 30 });
  try {
    const stalled = halfSent(s.session, 64 * KIB, KIB);
    const { status, headers } = await statusOf(stalled);
    assert.equal(status, 4);
    assert.match(String(headers['grpc-message']), /did not arrive within 30 ms/);
    await until(() => s.budget.heldBytes === 0);
  } finally {
    await stop(s);
  }
});
