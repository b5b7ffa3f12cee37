// The raw node:http2 gRPC client against a real @grpc/grpc-js server: statuses, RetryInfo, deadlines,
// gzip, reconnection, TLS (self-signed, generated with the openssl CLI) and the plaintext/TLS mix-ups.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import {
  createServer as createHttp2Server,
  constants as h2,
  type Http2Server,
  type IncomingHttpHeaders,
  type ServerHttp2Stream,
} from 'node:http2';
import { createServer } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { GrpcStatus } from '../errors/grpc-status.ts';
import { OTLP_PATHS, OtlpGrpcServer } from '../../test/helpers/otlp-grpc-server.ts';
import { selfSignedCert, type TestCert } from '../../test/helpers/tls.ts';
import { parseGrpcEndpoint, type GrpcTarget } from './endpoint.ts';
import { GrpcClient } from './grpc-client.ts';
import { tlsClientSettings, tlsOptionsLoader } from './grpc-client-tls.ts';
import { grpcTimeoutHeader } from './grpc-client-call.ts';

const FAST_RECONNECT = { initialMs: 10, maxMs: 50 };
const path = OTLP_PATHS.traces;
const payload = Buffer.from('0a0548656c6c6f', 'hex');

function target(endpoint: string): GrpcTarget {
  const parsed = parseGrpcEndpoint(endpoint);
  assert.ok(parsed.ok);
  return parsed.target;
}

let tls: TestCert;
before(() => {
  tls = selfSignedCert();
});
after(() => {
  rmSync(tls.dir, { recursive: true, force: true });
});

async function withServer(fn: (server: OtlpGrpcServer, client: GrpcClient) => Promise<void>): Promise<void> {
  const server = new OtlpGrpcServer();
  const port = await server.start();
  const client = new GrpcClient({ target: target(`127.0.0.1:${port}`), reconnect: FAST_RECONNECT });
  try {
    await fn(server, client);
  } finally {
    await client.close(100);
    await server.stop();
  }
}

test('OK: the request bytes arrive unchanged with metadata, user-agent and the response comes back', async () => {
  await withServer(async (server, client) => {
    server.fallback = { response: Buffer.from([1, 2, 3]) };
    const result = await client.call(path, payload, {
      timeoutMs: 5000,
      metadata: { 'x-tenant': 'acme', 'Content-Type': 'text/plain' },
    });
    assert.equal(result.code, GrpcStatus.OK);
    assert.deepEqual(result.response, Buffer.from([1, 2, 3]));
    const call = server.calls[0]!;
    assert.equal(call.path, path);
    assert.deepEqual(call.bytes, payload);
    assert.equal(call.metadata['x-tenant'], 'acme');
    assert.match(call.metadata['user-agent'] ?? '', /^telegate\/\S+/);
  });
});

test('a message given as parts arrives as their concatenation, plain and gzip', async () => {
  await withServer(async (server, client) => {
    // A part larger than an HTTP/2 frame, an empty one, and small ones.
    const parts = [payload, Buffer.alloc(70_000, 7), Buffer.alloc(0), Buffer.from('0a00', 'hex')];
    const whole = Buffer.concat(parts);
    assert.equal((await client.call(path, parts, { timeoutMs: 5000 })).code, GrpcStatus.OK);
    assert.equal((await client.call(path, parts, { timeoutMs: 5000, compress: true })).code, GrpcStatus.OK);
    assert.equal((await client.call(path, [payload], { timeoutMs: 5000 })).code, GrpcStatus.OK);
    assert.deepEqual(
      server.calls.map((c) => c.bytes),
      [whole, whole, payload],
    );
  });
});

test('gzip on the wire: the grpc-js server decompresses to the original bytes', async () => {
  await withServer(async (server, client) => {
    const big = Buffer.alloc(100_000, 'abc');
    const result = await client.call(path, big, { timeoutMs: 5000, compress: true });
    assert.equal(result.code, GrpcStatus.OK);
    assert.deepEqual(server.calls[0]!.bytes, big);
    // compression_params.level 1 (fastest) and 9 (smallest) are real gzip too.
    for (const gzipLevel of [1, 9]) {
      assert.equal((await client.call(path, big, { timeoutMs: 5000, compress: true, gzipLevel })).code, GrpcStatus.OK);
    }
    assert.deepEqual(
      server.calls.slice(1).map((c) => c.bytes),
      [big, big],
    );
  });
});

test('statuses: message percent-decoded, RetryInfo decoded when present', async () => {
  await withServer(async (server, client) => {
    server.script.push(
      { code: GrpcStatus.UNAVAILABLE, message: 'busy 100% – wait', retryAfterMs: 1500 },
      { code: GrpcStatus.UNAVAILABLE, message: 'plain' },
      { code: GrpcStatus.INVALID_ARGUMENT, message: 'bad data' },
      { code: GrpcStatus.UNAUTHENTICATED, message: 'who are you' },
      { code: GrpcStatus.RESOURCE_EXHAUSTED, message: 'slow down', retryAfterMs: 250 },
    );
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await client.call(path, payload, { timeoutMs: 5000 }));
    assert.deepEqual(results[0], { code: GrpcStatus.UNAVAILABLE, message: 'busy 100% – wait', retryAfterMs: 1500 });
    assert.deepEqual(results[1], { code: GrpcStatus.UNAVAILABLE, message: 'plain' });
    assert.deepEqual(results[2], { code: GrpcStatus.INVALID_ARGUMENT, message: 'bad data' });
    assert.deepEqual(results[3], { code: GrpcStatus.UNAUTHENTICATED, message: 'who are you' });
    assert.deepEqual(results[4], { code: GrpcStatus.RESOURCE_EXHAUSTED, message: 'slow down', retryAfterMs: 250 });
  });
});

test('a slow answer ends the call with DEADLINE_EXCEEDED', async () => {
  await withServer(async (server, client) => {
    // Connected first: on a loaded machine a 50 ms deadline could pass while connecting (UNAVAILABLE).
    assert.equal((await client.call(path, payload, { timeoutMs: 5000 })).code, GrpcStatus.OK);
    server.fallback = { delayMs: 2000 };
    const result = await client.call(path, payload, { timeoutMs: 50 });
    assert.equal(result.code, GrpcStatus.DEADLINE_EXCEEDED);
  });
});

test('many concurrent calls share one connection', async () => {
  await withServer(async (server, client) => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => client.call(path, Buffer.from([i]), { timeoutMs: 5000 })),
    );
    assert.ok(results.every((r) => r.code === GrpcStatus.OK));
    assert.equal(server.calls.length, 50);
  });
});

test('connection refused is UNAVAILABLE; once the server appears the client reconnects', async () => {
  const port = await freePort();
  const client = new GrpcClient({ target: target(`127.0.0.1:${port}`), reconnect: FAST_RECONNECT });
  const server = new OtlpGrpcServer();
  try {
    const refused = await client.call(path, payload, { timeoutMs: 2000 });
    assert.equal(refused.code, GrpcStatus.UNAVAILABLE);
    assert.match(refused.message, /connection refused/);
    await server.start(port);
    let result = refused;
    for (let i = 0; i < 200 && result.code !== GrpcStatus.OK; i++) {
      await new Promise((r) => setTimeout(r, 10));
      result = await client.call(path, payload, { timeoutMs: 2000 });
    }
    assert.equal(result.code, GrpcStatus.OK);
  } finally {
    await client.close(100);
    await server.stop();
  }
});

test('a server restart (connection lost) is survived', async () => {
  const server = new OtlpGrpcServer();
  const port = await server.start();
  const client = new GrpcClient({ target: target(`127.0.0.1:${port}`), reconnect: FAST_RECONNECT });
  const second = new OtlpGrpcServer();
  try {
    assert.equal((await client.call(path, payload, { timeoutMs: 2000 })).code, GrpcStatus.OK);
    await server.stop();
    await second.start(port);
    let result = await client.call(path, payload, { timeoutMs: 2000 });
    for (let i = 0; i < 200 && result.code !== GrpcStatus.OK; i++) {
      await new Promise((r) => setTimeout(r, 10));
      result = await client.call(path, payload, { timeoutMs: 2000 });
    }
    assert.equal(result.code, GrpcStatus.OK);
    assert.equal(second.calls.length >= 1, true);
  } finally {
    await client.close(100);
    await second.stop();
  }
});

test('TLS with a self-signed CA verifies and delivers', async () => {
  const server = new OtlpGrpcServer();
  const port = await server.start(0, tls);
  const cfg = tlsClientSettings({ ca_file: tls.certFile });
  const client = new GrpcClient({ target: target(`localhost:${port}`), tls: tlsOptionsLoader(cfg, 'localhost') });
  try {
    const result = await client.call(path, payload, { timeoutMs: 5000 });
    assert.equal(result.code, GrpcStatus.OK, result.message);
    assert.deepEqual(server.calls[0]!.bytes, payload);
  } finally {
    await client.close(100);
    await server.stop();
  }
});

test('TLS without the CA: UNAVAILABLE naming the certificate problem', async () => {
  const server = new OtlpGrpcServer();
  const port = await server.start(0, tls);
  const client = new GrpcClient({
    target: target(`localhost:${port}`),
    tls: tlsOptionsLoader(tlsClientSettings(), 'localhost'),
  });
  try {
    const result = await client.call(path, payload, { timeoutMs: 5000 });
    assert.equal(result.code, GrpcStatus.UNAVAILABLE);
    assert.match(result.message, /certificate/);
  } finally {
    await client.close(100);
    await server.stop();
  }
});

test('TLS client against a plaintext server says to set tls.insecure', async () => {
  const server = new OtlpGrpcServer();
  const port = await server.start();
  const client = new GrpcClient({
    target: target(`127.0.0.1:${port}`),
    tls: tlsOptionsLoader(tlsClientSettings(), '127.0.0.1'),
  });
  try {
    const result = await client.call(path, payload, { timeoutMs: 5000 });
    assert.equal(result.code, GrpcStatus.UNAVAILABLE);
    assert.match(result.message, /the server did not speak TLS; set tls\.insecure: true for a plaintext endpoint/);
  } finally {
    await client.close(100);
    await server.stop();
  }
});

test('plaintext client against a TLS server says the server may expect TLS', async () => {
  const server = new OtlpGrpcServer();
  const port = await server.start(0, tls);
  const client = new GrpcClient({ target: target(`127.0.0.1:${port}`) });
  try {
    const result = await client.call(path, payload, { timeoutMs: 5000 });
    assert.equal(result.code, GrpcStatus.UNAVAILABLE);
    assert.match(result.message, /expects TLS/);
  } finally {
    await client.close(100);
    await server.stop();
  }
});

test('close waits for in-flight calls, then refuses new ones', async () => {
  await withServer(async (server, client) => {
    server.fallback = { delayMs: 50 };
    const pending = client.call(path, payload, { timeoutMs: 5000 });
    await server.waitForCalls(1);
    await client.close(5000);
    assert.equal((await pending).code, GrpcStatus.OK);
    assert.equal((await client.call(path, payload, { timeoutMs: 100 })).code, GrpcStatus.UNAVAILABLE);
  });
});

test('grpc-timeout header stays within 8 digits', () => {
  assert.equal(grpcTimeoutHeader(5000), '5000m');
  assert.equal(grpcTimeoutHeader(0.2), '1m');
  assert.equal(grpcTimeoutHeader(300_000_000), '300000S');
});

/** A raw HTTP/2 peer: records the request and answers as `answer` says. */
async function withRawPeer(
  answer: (stream: ServerHttp2Stream) => void,
  fn: (client: GrpcClient, seen: { headers?: IncomingHttpHeaders; body: Buffer[] }) => Promise<void>,
): Promise<void> {
  const seen: { headers?: IncomingHttpHeaders; body: Buffer[] } = { body: [] };
  const server: Http2Server = createHttp2Server();
  server.on('stream', (stream, headers) => {
    seen.headers = headers;
    stream.on('error', () => undefined);
    stream.on('data', (c: Buffer) => seen.body.push(c));
    stream.on('end', () => {
      answer(stream);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
  const client = new GrpcClient({ target: target(`127.0.0.1:${port}`) });
  try {
    await fn(client, seen);
  } finally {
    await client.close(100);
    await new Promise((resolve) => server.close(resolve));
  }
}

test('gzip framing on the wire: compressed flag, grpc-encoding and a gzip body (raw HTTP/2 peer)', async () => {
  const trailersOnly = (stream: ServerHttp2Stream): void => {
    stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '0' }, { endStream: true });
  };
  await withRawPeer(trailersOnly, async (client, seen) => {
    const big = Buffer.alloc(10_000, 'xyz');
    const result = await client.call(path, big, { timeoutMs: 5000, compress: true });
    assert.equal(result.code, GrpcStatus.OK);
    const headers = seen.headers ?? {};
    assert.equal(headers['grpc-encoding'], 'gzip');
    assert.equal(headers.te, 'trailers');
    assert.equal(headers['content-type'], 'application/grpc');
    assert.match(String(headers['grpc-timeout']), /^\d+m$/);
    const body = Buffer.concat(seen.body);
    assert.equal(body[0], 1);
    assert.equal(body.readUInt32BE(1), body.length - 5);
    assert.ok(body.length < big.length / 10);
    assert.deepEqual(gunzipSync(body.subarray(5)), big);
  });
});

test('an HTTP 503 without grpc-status maps to UNAVAILABLE; 404 to UNIMPLEMENTED', async () => {
  for (const [status, code] of [
    [503, GrpcStatus.UNAVAILABLE],
    [404, GrpcStatus.UNIMPLEMENTED],
    [401, GrpcStatus.UNAUTHENTICATED],
  ] as const) {
    await withRawPeer(
      (stream) => {
        stream.respond({ ':status': status }, { endStream: true });
      },
      async (client) => {
        const result = await client.call(path, payload, { timeoutMs: 5000 });
        assert.equal(result.code, code);
        assert.match(result.message, new RegExp(`HTTP status ${status}`));
      },
    );
  }
});

test('RST_STREAM REFUSED_STREAM maps to UNAVAILABLE', async () => {
  await withRawPeer(
    (stream) => {
      stream.close(h2.NGHTTP2_REFUSED_STREAM);
    },
    async (client) => {
      const result = await client.call(path, payload, { timeoutMs: 5000 });
      assert.equal(result.code, GrpcStatus.UNAVAILABLE);
      assert.match(result.message, /REFUSED_STREAM/);
    },
  );
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => {
        resolve(typeof addr === 'object' && addr !== null ? addr.port : 0);
      });
    });
  });
}
