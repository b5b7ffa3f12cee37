// The node:http2 gRPC server against a raw HTTP/2 client: framing, grpc-go's statuses for bad calls,
// limits, compression, deadlines, keepalive, settings and the draining shutdown.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  connect,
  constants as h2,
  type ClientHttp2Session,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
} from 'node:http2';
import { gzipSync } from 'node:zlib';
import { once } from 'node:events';
import { RecordingLogger } from '../../test/helpers/fakes.ts';
import { frameMessage } from './grpc-framing.ts';
import { GrpcServer, type GrpcHandler, type GrpcServerOptions } from './grpc-server.ts';
import { decodeRetryAfterMs } from './grpc-status-details.ts';
import { parseEndpoint, type ListenTarget } from './http-server-listen.ts';

const LOCAL = parseEndpoint('127.0.0.1:0') as ListenTarget;

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  trailers: IncomingHttpHeaders;
  data: Buffer;
  rstCode: number;
}

/** grpc-status from trailers, or from the headers of a trailers-only reply. */
function grpcStatus(r: Reply): number {
  return Number(r.trailers['grpc-status'] ?? r.headers['grpc-status']);
}

function call(
  session: ClientHttp2Session,
  path: string,
  body: Buffer | undefined,
  headers: OutgoingHttpHeaders = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = session.request({
      ':method': 'POST',
      ':path': path,
      'content-type': 'application/grpc',
      te: 'trailers',
      ...headers,
    });
    const reply: Reply = { status: 0, headers: {}, trailers: {}, data: Buffer.alloc(0), rstCode: 0 };
    const chunks: Buffer[] = [];
    req.on('response', (h) => {
      reply.headers = h;
      reply.status = Number(h[':status']);
    });
    req.on('trailers', (t) => {
      reply.trailers = t;
    });
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', () => undefined);
    req.on('close', () => {
      reply.data = Buffer.concat(chunks);
      reply.rstCode = req.rstCode;
      if (reply.status === 0) reject(new Error(`no response, rst ${reply.rstCode}`));
      else resolve(reply);
    });
    if (body === undefined) req.end();
    else req.end(body);
  });
}

const calls: Buffer[] = [];
const echo: GrpcHandler = (c) => {
  calls.push(c.message);
  const text = c.message.toString();
  if (text === 'busy') return Promise.resolve({ code: 14, message: 'queue full', retryAfterMs: 3000 });
  if (text === 'throw') return Promise.reject(new Error('boom'));
  return Promise.resolve({ code: 0, response: Buffer.from(`re:${text}`) });
};
const rejects: [string, number][] = [];

async function startServer(
  extra: Partial<GrpcServerOptions> = {},
): Promise<{ server: GrpcServer; session: ClientHttp2Session }> {
  const server = new GrpcServer({
    owner: 'receivers.test',
    target: LOCAL,
    methods: new Map([['/pkg.Svc/Export', echo]]),
    maxRecvMsgBytes: 1024,
    maxConcurrentStreams: 0,
    logger: new RecordingLogger(),
    onReject: (path, code) => rejects.push([path, code]),
    ...extra,
  });
  const addr = await server.start();
  const session = connect(`http://${addr}`);
  session.on('error', () => undefined);
  await once(session, 'remoteSettings');
  return { server, session };
}

let main: { server: GrpcServer; session: ClientHttp2Session };
before(async () => {
  main = await startServer();
});
after(async () => {
  main.session.close();
  await main.server.shutdown();
});

test('a unary call gets headers, one framed response and grpc-status 0 trailers', async () => {
  const r = await call(main.session, '/pkg.Svc/Export', frameMessage(Buffer.from('hi'), false));
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'application/grpc');
  assert.equal(r.trailers['grpc-status'], '0');
  assert.deepEqual(r.data, frameMessage(Buffer.from('re:hi'), false));
});

test('the server advertises a 4 MiB stream window', () => {
  assert.equal(main.session.remoteSettings.initialWindowSize, 4 * 1024 * 1024);
});

test('a retryable reply is trailers-only with a percent-encoded message and RetryInfo', async () => {
  const r = await call(main.session, '/pkg.Svc/Export', frameMessage(Buffer.from('busy'), false));
  assert.equal(grpcStatus(r), 14);
  assert.equal(r.headers['grpc-message'], 'queue full');
  const bin = Buffer.from(String(r.headers['grpc-status-details-bin']), 'base64');
  assert.equal(decodeRetryAfterMs(bin), 3000);
  assert.equal(r.data.length, 0);
});

test('a throwing handler is answered INTERNAL', async () => {
  const r = await call(main.session, '/pkg.Svc/Export', frameMessage(Buffer.from('throw'), false));
  assert.equal(grpcStatus(r), 13);
  assert.match(String(r.headers['grpc-message']), /boom/);
});

test('bad calls get grpc-go statuses and the server keeps serving', async () => {
  const table: {
    name: string;
    path?: string;
    body?: Buffer;
    headers?: OutgoingHttpHeaders;
    http: number;
    grpc: number;
    message: RegExp;
  }[] = [
    {
      name: 'unknown service',
      path: '/other.Svc/Export',
      http: 200,
      grpc: 12,
      message: /^unknown service other\.Svc$/,
    },
    {
      name: 'unknown method',
      path: '/pkg.Svc/Nope',
      http: 200,
      grpc: 12,
      message: /^unknown method Nope for service pkg\.Svc$/,
    },
    { name: 'GET', headers: { ':method': 'GET' }, http: 405, grpc: 13, message: /should be POST/ },
    {
      name: 'wrong content-type',
      headers: { 'content-type': 'application/json' },
      http: 415,
      grpc: 13,
      message: /invalid gRPC request content-type/,
    },
    {
      name: 'unknown grpc-encoding',
      headers: { 'grpc-encoding': 'lz4' },
      http: 200,
      grpc: 12,
      message: /Decompressor is not installed for grpc-encoding "lz4"/,
    },
    {
      name: 'oversize',
      body: frameMessage(Buffer.alloc(5000), false),
      http: 200,
      grpc: 8,
      message: /larger than max \(5000 vs\. 1024\)/,
    },
    {
      name: 'compressed flag without encoding',
      body: frameMessage(Buffer.from('x'), true),
      http: 200,
      grpc: 13,
      message: /compressed flag set/,
    },
    {
      name: 'gzip flag on non-gzip bytes',
      body: frameMessage(Buffer.from('nope'), true),
      headers: { 'grpc-encoding': 'gzip' },
      http: 200,
      grpc: 13,
      message: /decompress/,
    },
    {
      name: 'gzip bomb',
      body: frameMessage(gzipSync(Buffer.alloc(100_000)), true),
      headers: { 'grpc-encoding': 'gzip' },
      http: 200,
      grpc: 8,
      message: /after decompression larger than max/,
    },
    {
      name: 'truncated frame',
      body: frameMessage(Buffer.from('hello'), false).subarray(0, 7),
      http: 200,
      grpc: 13,
      message: /unexpected EOF/,
    },
    { name: 'no message', http: 200, grpc: 13, message: /no request message/ },
  ];
  for (const c of table) {
    const before = rejects.length;
    const r = await call(
      main.session,
      c.path ?? '/pkg.Svc/Export',
      c.body ?? (c.name === 'no message' ? undefined : frameMessage(Buffer.from('x'), false)),
      c.headers,
    );
    assert.equal(r.status, c.http, c.name);
    assert.equal(grpcStatus(r), c.grpc, c.name);
    assert.match(decodeURIComponent(String(r.headers['grpc-message'])), c.message, c.name);
    assert.equal(rejects.length, before + 1, `${c.name}: onReject called once`);
    if (c.name === 'unknown grpc-encoding')
      assert.equal(r.headers['grpc-accept-encoding'], 'identity,gzip,zstd,snappy');
    const ok = await call(main.session, '/pkg.Svc/Export', frameMessage(Buffer.from('again'), false));
    assert.equal(ok.trailers['grpc-status'], '0', `${c.name}: still serving`);
  }
});

test('an oversize call is refused before its body is sent, and the stream is reset with NO_ERROR', async () => {
  const req = main.session.request({
    ':method': 'POST',
    ':path': '/pkg.Svc/Export',
    'content-type': 'application/grpc',
  });
  req.on('error', () => undefined);
  // Only the 5-byte header claiming 1 GiB: the server must answer without waiting for the body.
  const header = Buffer.from([0, 0x40, 0, 0, 0]);
  req.write(header);
  const [headers] = (await once(req, 'response')) as [IncomingHttpHeaders];
  assert.equal(headers['grpc-status'], '8');
  await once(req, 'close');
  assert.equal(req.rstCode, h2.NGHTTP2_NO_ERROR);
});

test('gzip-compressed messages are decompressed', async () => {
  const r = await call(main.session, '/pkg.Svc/Export', frameMessage(gzipSync(Buffer.from('zipped')), true), {
    'grpc-encoding': 'gzip',
  });
  assert.equal(r.trailers['grpc-status'], '0');
  assert.deepEqual(r.data, frameMessage(Buffer.from('re:zipped'), false));
});

test('grpc-timeout expiry answers DEADLINE_EXCEEDED', async () => {
  const slow: GrpcHandler = () =>
    new Promise((resolve) =>
      setTimeout(() => {
        resolve({ code: 0, response: Buffer.alloc(0) });
      }, 2000).unref(),
    );
  const s = await startServer({ methods: new Map([['/pkg.Svc/Export', slow]]) });
  try {
    const r = await call(s.session, '/pkg.Svc/Export', frameMessage(Buffer.from('x'), false), {
      'grpc-timeout': '50m',
    });
    assert.equal(grpcStatus(r), 4);
  } finally {
    s.session.destroy();
    await s.server.shutdown();
  }
});

test('a client that goes away mid-request does not break the server', async () => {
  const req = main.session.request({
    ':method': 'POST',
    ':path': '/pkg.Svc/Export',
    'content-type': 'application/grpc',
  });
  req.on('error', () => undefined);
  req.write(frameMessage(Buffer.from('partial message'), false).subarray(0, 8));
  req.close(h2.NGHTTP2_CANCEL);
  await once(req, 'close');
  const ok = await call(main.session, '/pkg.Svc/Export', frameMessage(Buffer.from('after'), false));
  assert.equal(ok.trailers['grpc-status'], '0');
});

test('shutdown sends GOAWAY, lets a call in flight finish, and is idempotent', async () => {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((r) => (release = r));
  let entered: () => void = () => undefined;
  const inside = new Promise<void>((r) => (entered = r));
  const held: GrpcHandler = async () => {
    entered();
    await gate;
    return { code: 0, response: Buffer.from('late') };
  };
  const s = await startServer({ methods: new Map([['/pkg.Svc/Export', held]]) });
  const pending = call(s.session, '/pkg.Svc/Export', frameMessage(Buffer.from('x'), false));
  await inside;
  const stopped = s.server.shutdown();
  assert.equal(s.server.shutdown(), stopped);
  const [code] = (await once(s.session, 'goaway')) as [number];
  assert.equal(code, h2.NGHTTP2_NO_ERROR);
  release();
  const r = await pending;
  assert.equal(r.trailers['grpc-status'], '0');
  await stopped;
  s.session.destroy();
});

test('shutdown before start resolves', async () => {
  const s = new GrpcServer({
    owner: 'x',
    target: LOCAL,
    methods: new Map(),
    maxRecvMsgBytes: 1,
    maxConcurrentStreams: 0,
    logger: new RecordingLogger(),
  });
  await s.shutdown();
  await s.shutdown();
});

test('max_connection_idle closes an idle connection with GOAWAY', async () => {
  const s = await startServer({
    keepalive: {
      timeMs: 3_600_000,
      timeoutMs: 20_000,
      maxIdleMs: 50,
      minPingIntervalMs: 300_000,
      permitWithoutStream: false,
    },
  });
  try {
    await call(s.session, '/pkg.Svc/Export', frameMessage(Buffer.from('x'), false));
    const [code] = (await once(s.session, 'goaway')) as [number];
    assert.equal(code, h2.NGHTTP2_NO_ERROR);
  } finally {
    s.session.destroy();
    await s.server.shutdown();
  }
});

test('a client pinging too often gets GOAWAY ENHANCE_YOUR_CALM "too_many_pings"', async () => {
  const s = await startServer();
  try {
    const goaway = once(s.session, 'goaway');
    for (let i = 0; i < 4; i++) {
      await new Promise<void>((resolve) =>
        s.session.ping(() => {
          resolve();
        }),
      );
    }
    const [code, , data] = (await goaway) as [number, number, Buffer];
    assert.equal(code, h2.NGHTTP2_ENHANCE_YOUR_CALM);
    assert.equal(data.toString(), 'too_many_pings');
  } finally {
    s.session.destroy();
    await s.server.shutdown();
  }
});

test('max_concurrent_streams is advertised in SETTINGS', async () => {
  const s = await startServer({ maxConcurrentStreams: 7 });
  try {
    assert.equal(s.session.remoteSettings.maxConcurrentStreams, 7);
  } finally {
    s.session.destroy();
    await s.server.shutdown();
  }
});
