// The exporters' HTTP client on real sockets: parts written in order, the answer body kept to 64 KiB
// (the rest still read so the connection is reused), keep-alive on and off, the deadline, and a TLS
// loader that fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpClient, MAX_ANSWER_BYTES, type HttpClientOptions } from './http-client.ts';

const POOL: HttpClientOptions = { keepAlive: true, maxSockets: Infinity, maxFreeSockets: 2, idleTimeoutMs: 1000 };

async function withServer(
  handler: http.RequestListener,
  fn: (url: URL, sockets: Set<unknown>) => Promise<void>,
): Promise<void> {
  const server = http.createServer(handler);
  const sockets = new Set<unknown>();
  server.on('connection', (s) => sockets.add(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    await fn(new URL(`http://127.0.0.1:${port}/v1/traces`), sockets);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
    });
  }
}

const echo: http.RequestListener = (req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'x-length': String(req.headers['content-length']),
    });
    res.end(Buffer.concat(chunks));
  });
};

test('parts are sent in order with their total length; keep-alive reuses one connection', async () => {
  await withServer(echo, async (url, sockets) => {
    const client = new HttpClient(POOL);
    try {
      for (let i = 0; i < 3; i++) {
        const answer = await client.post(url, [Buffer.from('ab'), Buffer.from('cd')], { 'x-a': '1' }, 1000);
        assert.ok(answer.ok);
        assert.equal(answer.status, 200);
        assert.equal(answer.body.toString(), 'abcd');
        assert.equal(answer.headers['x-length'], '4');
      }
      assert.equal(sockets.size, 1);
    } finally {
      client.close();
    }
  });
});

test('disable_keep_alives: a new connection per request', async () => {
  await withServer(echo, async (url, sockets) => {
    const client = new HttpClient({ ...POOL, keepAlive: false });
    try {
      for (let i = 0; i < 2; i++) assert.ok((await client.post(url, Buffer.from('x'), {}, 0)).ok);
      assert.equal(sockets.size, 2);
    } finally {
      client.close();
    }
  });
});

test('a large answer is kept to 64 KiB, and the connection still serves the next request', async () => {
  const big = Buffer.alloc(MAX_ANSWER_BYTES * 3, 0x61);
  await withServer(
    (req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(400);
        res.write(big.subarray(0, MAX_ANSWER_BYTES));
        res.end(big.subarray(MAX_ANSWER_BYTES));
      });
    },
    async (url, sockets) => {
      const client = new HttpClient(POOL);
      try {
        for (let i = 0; i < 2; i++) {
          const answer = await client.post(url, Buffer.from('x'), {}, 5000);
          assert.ok(answer.ok);
          assert.equal(answer.status, 400);
          assert.equal(answer.body.length, MAX_ANSWER_BYTES);
        }
        assert.equal(sockets.size, 1);
      } finally {
        client.close();
      }
    },
  );
});

test('no answer before the deadline: timedOut; a failing TLS loader: its message', async () => {
  await withServer(
    () => undefined,
    async (url) => {
      const client = new HttpClient({
        ...POOL,
        tls: () => Promise.reject(new Error('failed to load TLS config: no such file')),
      });
      try {
        const late = await client.post(url, Buffer.from('x'), {}, 50);
        assert.deepEqual(late.ok ? undefined : late.timedOut, true);
        const https = new URL(url.href.replace('http:', 'https:'));
        const tls = await client.post(https, Buffer.from('x'), {}, 1000);
        assert.equal(tls.ok ? '' : tls.message, 'failed to load TLS config: no such file');
      } finally {
        client.close();
      }
    },
  );
});
