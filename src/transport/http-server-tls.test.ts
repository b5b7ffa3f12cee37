// Server TLS with a CA made in the test: the gRPC (http2) and HTTP (https) servers serve TLS that a
// client verifies with ca_file, refuse clients without a certificate from client_ca_file (mTLS), and
// serve a certificate replaced on disk to new connections without a restart.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { RecordingLogger } from '../../test/helpers/fakes.ts';
import { issueCert, makeCa, type IssuedCert, type TestCa } from '../../test/helpers/tls.ts';
import { GrpcStatus } from '../errors/grpc-status.ts';
import { parseGrpcEndpoint } from './endpoint.ts';
import { tlsClientSettings, tlsOptionsLoader, type TlsClientSettings } from './grpc-client-tls.ts';
import { GrpcClient } from './grpc-client.ts';
import { GrpcServer, type GrpcHandler } from './grpc-server.ts';
import { parseEndpoint, type ListenTarget } from './http-server-listen.ts';
import { loadServerTls, ServerTls, type TlsServerSettings } from './http-server-tls.ts';
import { HttpServer } from './http-server.ts';

const LOCAL = parseEndpoint('127.0.0.1:0') as ListenTarget;
const METHOD = '/test.Echo/Call';

let ca: TestCa;
let other: TestCa;
let dir: string;
let serverCert: IssuedCert;
let clientCert: IssuedCert;
let rogueClient: IssuedCert;

before(() => {
  ca = makeCa();
  other = makeCa(undefined, 'another CA');
  dir = mkdtempSync(join(tmpdir(), 'tg-tls-server-'));
  serverCert = issueCert(ca, 'server', { dir });
  clientCert = ca.issue('client', { cn: 'client' });
  rogueClient = other.issue('rogue', { cn: 'rogue' });
});

after(() => {
  for (const d of [ca.dir, other.dir, dir]) rmSync(d, { recursive: true, force: true });
});

const echo: GrpcHandler = (c) => Promise.resolve({ code: 0, response: Buffer.concat([Buffer.from('re:'), c.message]) });

interface Started<S> {
  readonly server: S;
  readonly port: number;
  readonly logger: RecordingLogger;
}

async function grpcServer(tls: TlsServerSettings): Promise<Started<GrpcServer>> {
  const logger = new RecordingLogger();
  const server = new GrpcServer({
    owner: 'receivers.otlp',
    target: LOCAL,
    tls: loadServerTls(tls, 'receivers.otlp: protocols.grpc', logger),
    methods: new Map([[METHOD, echo]]),
    maxRecvMsgBytes: 1024 * 1024,
    maxConcurrentStreams: 0,
    logger,
  });
  const address = await server.start();
  return { server, port: Number(address.split(':')[1]), logger };
}

async function httpServer(tls: TlsServerSettings): Promise<Started<HttpServer> & { hits: number[] }> {
  const logger = new RecordingLogger();
  const hits: number[] = [];
  const server = new HttpServer({
    owner: 'receivers.otlp',
    target: LOCAL,
    tls: loadServerTls(tls, 'receivers.otlp: protocols.http', logger),
    handler: (_req, res) => {
      hits.push(1);
      res.end('ok');
      return Promise.resolve();
    },
    logger,
  });
  const address = await server.start();
  return { server, port: Number(address.split(':')[1]), logger, hits };
}

/** POSTs over a fresh connection (no session reuse); resolves with the status or rejects. */
function post(port: number, options: ConnectionOptions = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      { host: '127.0.0.1', port, method: 'POST', path: '/', agent: false, ...options },
      (res) => {
        res.resume();
        res.on('end', () => {
          resolve(res.statusCode ?? 0);
        });
      },
    );
    req.on('error', reject);
    req.end('x');
  });
}

/** The SHA-256 fingerprint of the certificate a new TLS connection to `port` is shown. */
function peerFingerprint(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, ca: ca.cert, ALPNProtocols: ['h2', 'http/1.1'] }, () => {
      const fingerprint = socket.getPeerCertificate().fingerprint256;
      socket.destroy();
      resolve(fingerprint);
    });
    socket.on('error', reject);
  });
}

/** Polls new connections until one is shown `fingerprint` (bounded: about 5 s). */
async function waitForFingerprint(port: number, fingerprint: string): Promise<void> {
  let seen = '';
  for (let i = 0; i < 100 && seen !== fingerprint; i++) {
    seen = await peerFingerprint(port);
    if (seen !== fingerprint) await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(seen, fingerprint, 'a new connection is served the replaced certificate');
}

function grpcClient(port: number, tls: Partial<TlsClientSettings>): GrpcClient {
  const parsed = parseGrpcEndpoint(`127.0.0.1:${port}`);
  assert.ok(parsed.ok);
  const cfg = tlsClientSettings(tls);
  return new GrpcClient({ target: parsed.target, tls: tlsOptionsLoader(cfg, '127.0.0.1') });
}

async function grpcCall(port: number, tls: Partial<TlsClientSettings>): Promise<{ code: number; message: string }> {
  const client = grpcClient(port, tls);
  try {
    const result = await client.call(METHOD, Buffer.from('hi'), { timeoutMs: 5000 });
    return { code: result.code, message: result.message };
  } finally {
    await client.close(100);
  }
}

const pair = (): TlsServerSettings => ({ cert_file: serverCert.certFile, key_file: serverCert.keyFile });

test('HTTPS: a client verifying with the CA gets through; one without the CA is refused', async () => {
  const { server, port, hits } = await httpServer(pair());
  try {
    assert.equal(await post(port, { ca: ca.cert }), 200);
    await assert.rejects(post(port), /self[- ]signed|unable to (get|verify)/i);
    assert.equal(hits.length, 1);
  } finally {
    await server.shutdown();
  }
});

test('gRPC: a client with ca_file calls over TLS; without it the certificate is not accepted', async () => {
  const { server, port } = await grpcServer(pair());
  try {
    assert.deepEqual(await grpcCall(port, { ca_file: ca.certFile }), { code: GrpcStatus.OK, message: '' });
    const refused = await grpcCall(port, {});
    assert.equal(refused.code, GrpcStatus.UNAVAILABLE);
    assert.match(refused.message, /certificate/);
  } finally {
    await server.shutdown();
  }
});

test('HTTPS mTLS: no client certificate or one from another CA is refused; one from client_ca_file passes', async () => {
  const { server, port, hits } = await httpServer({ ...pair(), client_ca_file: ca.certFile });
  try {
    await assert.rejects(post(port, { ca: ca.cert }));
    await assert.rejects(post(port, { ca: ca.cert, cert: rogueClient.cert, key: rogueClient.key }));
    assert.equal(hits.length, 0, 'the handler never ran for a refused client');
    assert.equal(await post(port, { ca: ca.cert, cert: clientCert.cert, key: clientCert.key }), 200);
    assert.equal(hits.length, 1);
  } finally {
    await server.shutdown();
  }
});

test('gRPC mTLS: a client without cert_file is refused; with the client pair it succeeds', async () => {
  const { server, port } = await grpcServer({ ...pair(), client_ca_file: ca.certFile });
  try {
    const refused = await grpcCall(port, { ca_file: ca.certFile });
    assert.equal(refused.code, GrpcStatus.UNAVAILABLE);
    const ok = await grpcCall(port, {
      ca_file: ca.certFile,
      cert_file: clientCert.certFile,
      key_file: clientCert.keyFile,
    });
    assert.equal(ok.code, GrpcStatus.OK, ok.message);
  } finally {
    await server.shutdown();
  }
});

test('ca_file on a server does not ask for client certificates (as in Go: client_ca_file does)', async () => {
  const { server, port } = await httpServer({ ...pair(), ca_file: ca.certFile });
  try {
    assert.equal(await post(port, { ca: ca.cert }), 200);
  } finally {
    await server.shutdown();
  }
});

test('min_version 1.3 refuses a TLS 1.2 client', async () => {
  const { server, port } = await httpServer({ ...pair(), min_version: '1.3' });
  try {
    await assert.rejects(post(port, { ca: ca.cert, maxVersion: 'TLSv1.2' }), /version|protocol/i);
    assert.equal(await post(port, { ca: ca.cert }), 200);
  } finally {
    await server.shutdown();
  }
});

for (const kind of ['HTTPS', 'gRPC'] as const) {
  test(`${kind}: a certificate replaced on disk is served to new connections without a restart`, async () => {
    const local = mkdtempSync(join(tmpdir(), 'tg-tls-reload-'));
    const first = issueCert(ca, 'server', { dir: local });
    const tls = { cert_file: first.certFile, key_file: first.keyFile, reload_interval: 100 };
    const { server, port, logger } = kind === 'HTTPS' ? await httpServer(tls) : await grpcServer(tls);
    try {
      assert.equal(await peerFingerprint(port), first.fingerprint256);
      const second = issueCert(ca, 'server', { dir: local });
      assert.notEqual(second.fingerprint256, first.fingerprint256);
      await waitForFingerprint(port, second.fingerprint256);
      assert.ok(logger.lines.some((l) => l.level === 'info' && l.msg === 'Reloaded TLS certificates'));
    } finally {
      await server.shutdown();
      rmSync(local, { recursive: true, force: true });
    }
  });
}

test('a replaced certificate that does not match the key is not served: the previous pair stays, with a warning', async () => {
  const local = mkdtempSync(join(tmpdir(), 'tg-tls-reload-'));
  const first = issueCert(ca, 'server', { dir: local });
  const tls = { cert_file: first.certFile, key_file: first.keyFile, reload_interval: 100 };
  const { server, port, logger } = await httpServer(tls);
  try {
    const stray = issueCert(ca, 'stray', { dir: local });
    copyFileSync(stray.certFile, first.certFile);
    const warned = (): boolean => logger.lines.some((l) => l.level === 'warn');
    for (let i = 0; i < 100 && !warned(); i++) await new Promise((r) => setTimeout(r, 50));
    const warning = logger.lines.find((l) => l.level === 'warn');
    assert.equal(warning?.msg, 'TLS reload failed; still serving the previous certificates');
    assert.match(String(warning.fields['error']), /tls\.cert_file and tls\.key_file do not match/);
    assert.equal(await peerFingerprint(port), first.fingerprint256);
    // Completing the swap (the key arrives) is then picked up.
    copyFileSync(stray.keyFile, first.keyFile);
    await waitForFingerprint(port, stray.fingerprint256);
  } finally {
    await server.shutdown();
    rmSync(local, { recursive: true, force: true });
  }
});

test('with reload_interval, a replaced client_ca_file admits clients of the new CA', async () => {
  const local = mkdtempSync(join(tmpdir(), 'tg-tls-reload-'));
  const clientCa = join(local, 'client-ca.pem');
  copyFileSync(ca.certFile, clientCa);
  const { server, port } = await httpServer({ ...pair(), client_ca_file: clientCa, reload_interval: 100 });
  const rogue = { ca: ca.cert, cert: rogueClient.cert, key: rogueClient.key };
  try {
    await assert.rejects(post(port, rogue));
    copyFileSync(other.certFile, clientCa);
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i++) {
      status = await post(port, rogue).catch(() => 0);
      if (status !== 200) await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(status, 200);
  } finally {
    await server.shutdown();
    rmSync(local, { recursive: true, force: true });
  }
});

test('start fails with the key, file and reason when the files are missing or do not match', () => {
  assert.throws(
    () =>
      new ServerTls(
        { cert_file: '/nonexistent/c.pem', key_file: serverCert.keyFile },
        'receivers.otlp: protocols.grpc',
      ),
    (err: Error & { code?: string }) =>
      err.code === 'TG_START_FAILED' &&
      err.message === 'receivers.otlp: protocols.grpc: cannot read tls.cert_file /nonexistent/c.pem: no such file',
  );
  assert.throws(
    () => new ServerTls({ cert_file: serverCert.certFile, key_file: clientCert.keyFile }, 'receivers.otlp'),
    /^TelegateError: receivers\.otlp: tls\.cert_file and tls\.key_file do not match: the certificate \(CN=localhost\) was issued for another private key$/,
  );
  assert.throws(
    () => new ServerTls({ cert_file: serverCert.certFile }, 'receivers.otlp'),
    /receivers\.otlp: tls\.key_file: TLS configuration must include both certificate and key/,
  );
});

test('inline cert_pem / key_pem serve as the files do', async () => {
  const { server, port } = await httpServer({
    cert_pem: serverCert.cert.toString(),
    key_pem: serverCert.key.toString(),
  });
  try {
    assert.equal(await peerFingerprint(port), serverCert.fingerprint256);
  } finally {
    await server.shutdown();
  }
});
