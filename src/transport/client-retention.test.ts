// The clients keep no reference to a sent message once its call has ended. node keeps a finished stream
// or request (and so every listener on it) reachable until V8's next full collection; a message reachable
// from those listeners then lives as long, and a collector's request buffers pile up outside the heap until
// external memory forces full collections (grpc-client-call.ts). Each test holds the finished stream or
// request itself, as node does, and checks that a full collection frees the message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { setImmediate as tick } from 'node:timers/promises';
import { forceGcFunction } from '../util/force-gc.ts';
import { GrpcStatus } from '../errors/grpc-status.ts';
import { unaryCall } from './grpc-client-call.ts';
import { HttpClient } from './http-client.ts';

const gc = forceGcFunction();

/** Whether a full collection frees what `ref` points to (WeakRef targets live until the job ends). */
async function freed(ref: WeakRef<object>): Promise<boolean> {
  await tick();
  gc?.();
  await tick();
  return ref.deref() === undefined;
}

/** A message of `parts` fresh buffers, each with its own memory, and weak references to that memory. */
function message(parts: number): { bytes: Buffer[]; refs: WeakRef<ArrayBuffer>[] } {
  const bytes = Array.from({ length: parts }, (_, i) => Buffer.allocUnsafeSlow(64 * 1024).fill(i));
  return { bytes, refs: bytes.map((b) => new WeakRef(b.buffer)) };
}

test('gRPC: a finished call keeps nothing of its message, whole or in parts', { skip: gc === undefined }, async () => {
  const server = http2.createServer();
  server.on('stream', (stream) => {
    stream.on('data', () => undefined);
    stream.on('end', () => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => {
        stream.sendTrailers({ 'grpc-status': '0' });
      });
      stream.end(Buffer.from([0, 0, 0, 0, 0]));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const session = http2.connect(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  // Every stream this session opens stays reachable for the whole test.
  const streams: http2.ClientHttp2Stream[] = [];
  const request = session.request.bind(session);
  session.request = (...args: Parameters<typeof request>) => {
    const s = request(...args);
    streams.push(s);
    return s;
  };
  try {
    for (const parts of [1, 3]) {
      const { bytes, refs } = message(parts);
      const result = await unaryCall(session, {
        headers: { ':method': 'POST', ':path': '/x.Y/Z', 'content-type': 'application/grpc' },
        message: parts === 1 ? (bytes[0] as Buffer) : [...bytes],
        compressed: false,
        timeoutMs: 10_000,
        maxResponseBytes: 1024,
        authority: 'test',
      });
      assert.equal(result.code, GrpcStatus.OK);
      bytes.length = 0;
      for (const ref of refs) assert.ok(await freed(ref), `a ${parts}-part message outlived its call`);
    }
    assert.equal(streams.length, 2);
  } finally {
    session.close();
    server.close();
  }
});

test('HTTP: a finished request keeps nothing of its body', { skip: gc === undefined }, async () => {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('{}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = new HttpClient({ keepAlive: true, maxSockets: 1, maxFreeSockets: 1, idleTimeoutMs: 10_000 });
  // Every request made stays reachable for the whole test.
  const requests: http.ClientRequest[] = [];
  const original = http.request;
  http.request = ((...args: Parameters<typeof original>) => {
    const r = original(...args);
    requests.push(r);
    return r;
  }) as typeof http.request;
  try {
    const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`);
    const { bytes, refs } = message(3);
    const answer = await client.post(url, [...bytes], { 'content-type': 'application/x-protobuf' }, 10_000);
    assert.equal(answer.ok && answer.status, 200);
    bytes.length = 0;
    for (const ref of refs) assert.ok(await freed(ref), 'the body outlived its request');
    assert.equal(requests.length, 1);
  } finally {
    http.request = original;
    client.close();
    server.close();
  }
});
