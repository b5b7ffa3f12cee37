// The HTTP server: bounded body reading, CORS as Go's confighttp (rs/cors), draining shutdown, and
// a clear start error when the port is taken.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import { once } from 'node:events';
import { connect, type AddressInfo } from 'node:net';
import { RecordingLogger } from '../../test/helpers/fakes.ts';
import { TelegateError } from '../errors/catalogue.ts';
import { discardRest, readBody } from './http-server-body.ts';
import { parseEndpoint, type ListenTarget } from './http-server-listen.ts';
import { writeText } from './http-server-response.ts';
import { HttpServer, type HttpHandler, type HttpServerOptions } from './http-server.ts';

const LOCAL = parseEndpoint('127.0.0.1:0') as ListenTarget;

interface Res {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function send(
  addr: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: Buffer | Buffer[],
): Promise<Res> {
  const [host, port] = addr.split(':');
  return new Promise((resolve, reject) => {
    const req = request({ host, port: Number(port), method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() });
      });
    });
    req.on('error', reject);
    if (Array.isArray(body)) {
      for (const b of body) req.write(b);
      req.end();
    } else req.end(body);
  });
}

const echo: HttpHandler = async (req, res) => {
  const read = await readBody(req, 100);
  if (!read.ok) {
    if (read.error === 'too-large') {
      writeText(res, 413, 'too large');
      discardRest(req, 1000);
    }
    return;
  }
  writeText(res, 200, `got ${read.body.length}`);
};

async function start(extra: Partial<HttpServerOptions> = {}): Promise<{ server: HttpServer; addr: string }> {
  const server = new HttpServer({
    owner: 'receivers.test',
    target: LOCAL,
    handler: echo,
    logger: new RecordingLogger(),
    ...extra,
  });
  return { server, addr: await server.start() };
}

let main: { server: HttpServer; addr: string };
before(async () => {
  main = await start({
    cors: {
      allowedOrigins: ['https://*.example.com'],
      allowedHeaders: ['X-Custom'],
      exposedHeaders: ['X-Out'],
      maxAgeSeconds: 600,
    },
  });
});
after(() => main.server.shutdown());

test('bodies up to the limit are read, with or without Content-Length', async () => {
  assert.equal((await send(main.addr, 'POST', '/', {}, Buffer.alloc(100))).body, 'got 100');
  assert.equal((await send(main.addr, 'POST', '/', {}, [Buffer.alloc(60), Buffer.alloc(40)])).body, 'got 100');
  assert.equal((await send(main.addr, 'POST', '/', {}, Buffer.alloc(0))).body, 'got 0');
});

test('over the limit is 413 whether declared or chunked, and the connection keeps serving', async () => {
  assert.equal((await send(main.addr, 'POST', '/', {}, Buffer.alloc(101))).status, 413);
  assert.equal((await send(main.addr, 'POST', '/', {}, [Buffer.alloc(60), Buffer.alloc(60)])).status, 413);
  assert.equal((await send(main.addr, 'POST', '/', {}, Buffer.alloc(5))).body, 'got 5');
});

test('CORS preflight from an allowed origin: 204 with the allow headers', async () => {
  const r = await send(main.addr, 'OPTIONS', '/v1/traces', {
    Origin: 'https://app.example.com',
    'Access-Control-Request-Method': 'POST',
    'Access-Control-Request-Headers': 'content-type, x-custom',
  });
  assert.equal(r.status, 204);
  assert.equal(r.headers['access-control-allow-origin'], 'https://app.example.com');
  assert.equal(r.headers['access-control-allow-methods'], 'POST');
  assert.equal(r.headers['access-control-allow-headers'], 'content-type, x-custom');
  assert.equal(r.headers['access-control-allow-credentials'], 'true');
  assert.equal(r.headers['access-control-max-age'], '600');
});

test('CORS preflight from another origin or with a header not allowed: 204 without allow headers', async () => {
  const other = await send(main.addr, 'OPTIONS', '/', {
    Origin: 'https://evil.com',
    'Access-Control-Request-Method': 'POST',
  });
  assert.equal(other.status, 204);
  assert.equal(other.headers['access-control-allow-origin'], undefined);
  const header = await send(main.addr, 'OPTIONS', '/', {
    Origin: 'https://a.example.com',
    'Access-Control-Request-Method': 'POST',
    'Access-Control-Request-Headers': 'x-secret',
  });
  assert.equal(header.headers['access-control-allow-origin'], undefined);
});

test('CORS on an actual request: origin echoed, exposed headers listed; nothing for others', async () => {
  const ok = await send(main.addr, 'POST', '/', { Origin: 'https://b.example.com' }, Buffer.alloc(1));
  assert.equal(ok.headers['access-control-allow-origin'], 'https://b.example.com');
  assert.equal(ok.headers['access-control-expose-headers'], 'X-Out');
  assert.equal(ok.headers.vary, 'Origin');
  const no = await send(main.addr, 'POST', '/', { Origin: 'https://example.org' }, Buffer.alloc(1));
  assert.equal(no.headers['access-control-allow-origin'], undefined);
  assert.equal(no.body, 'got 1');
});

test('a taken port fails start with TG_START_FAILED naming the endpoint', async () => {
  const blocker = createServer();
  blocker.listen(0, '127.0.0.1');
  await once(blocker, 'listening');
  const port = (blocker.address() as AddressInfo).port;
  const server = new HttpServer({
    owner: 'receivers.otlp',
    target: parseEndpoint(`localhost:${port}`) as ListenTarget,
    handler: echo,
    logger: new RecordingLogger(),
  });
  try {
    await assert.rejects(server.start(), (err: unknown) => {
      assert.ok(err instanceof TelegateError);
      assert.equal(err.code, 'TG_START_FAILED');
      assert.equal(err.message, `receivers.otlp: cannot listen on 127.0.0.1:${port}: address already in use`);
      return true;
    });
  } finally {
    await server.shutdown();
    blocker.close();
  }
});

test('shutdown lets a request in flight finish, then refuses new connections', async () => {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((r) => (release = r));
  let entered: () => void = () => undefined;
  const inside = new Promise<void>((r) => (entered = r));
  const s = await start({
    handler: async (_req, res) => {
      entered();
      await gate;
      writeText(res, 200, 'done');
    },
  });
  const agentless = { Connection: 'keep-alive' };
  const pending = send(s.addr, 'POST', '/', agentless, Buffer.alloc(1));
  await inside;
  const stopped = s.server.shutdown();
  assert.equal(s.server.shutdown(), stopped);
  release();
  assert.equal((await pending).body, 'done');
  await stopped;
  await assert.rejects(send(s.addr, 'POST', '/', {}, Buffer.alloc(1)));
});

test('while draining, a reply in flight says Connection: close and the kept-alive connection is closed', async () => {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((r) => (release = r));
  let entered: () => void = () => undefined;
  const inside = new Promise<void>((r) => (entered = r));
  const s = await start({
    handler: async (_req, res) => {
      entered();
      await gate;
      writeText(res, 200, 'first');
    },
  });
  const [host, port] = s.addr.split(':');
  const socket = connect(Number(port), host);
  let text = '';
  socket.on('data', (c: Buffer) => (text += c.toString()));
  const req = (n: number): string =>
    `POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1\r\nX-N: ${n}\r\n\r\nx`;
  // Two pipelined requests: the second is parsed only after the first is answered.
  socket.write(req(1) + req(2));
  await inside;
  const stopped = s.server.shutdown();
  release();
  await once(socket, 'close');
  await stopped;
  assert.match(text, /^HTTP\/1\.1 200 OK\r\n/);
  assert.match(text, /\r\nConnection: close\r\n/i);
  assert.match(text, /first$/);
});

async function rawExchange(addr: string, text: string): Promise<string> {
  const [host = '', port = ''] = addr.split(':');
  const socket = connect(Number(port), host);
  socket.end(text);
  let answer = '';
  socket.on('data', (d: Buffer) => (answer += d.toString()));
  await once(socket, 'close');
  return answer;
}

test('a request line and headers over 16 KiB get 431 with a body that says why; other garbage a bare 400', async () => {
  const long = await rawExchange(
    main.addr,
    `GET /api/traces?service=${'s'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
  );
  assert.match(long, /^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
  assert.match(long, /\r\n\r\nrequest line and headers are over 16 KiB: shorten the URL or the headers\n$/);
  const garbage = await rawExchange(main.addr, 'NOT HTTP AT ALL\r\n\r\n');
  assert.match(garbage, /^HTTP\/1\.1 400 Bad Request\r\n/);
});
