// The protocol, auth and size steps against small in-process peers that answer what a real gateway
// or proxy may answer (an h2c server with chosen gRPC statuses, an HTTP/1.1 server with chosen
// statuses), and the auth verdicts as a table: each answer gets its own finding.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createHttp, type Server as HttpServer } from 'node:http';
import { createServer as createH2, type Http2Server, type ServerHttp2Stream } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tlsClientSettings } from '../transport/grpc-client-tls.ts';
import { checkAuth } from './auth.ts';
import { targetFromEndpoint } from './endpoint-target.ts';
import type { ProbeAnswer } from './grpc-probe.ts';
import { checkProtocol } from './protocol.ts';
import { checkSize } from './size.ts';
import type { DoctorTarget } from './target.ts';

// What the h2c peer answers, by the size of the request body: small = the empty export, large = the size probe.
let grpcAnswer: { small: Record<string, string | number>; large: Record<string, string | number> | 'reset' };
let httpAnswer: { small: number; large: number };
let h2: Http2Server;
let h1: HttpServer;

function reply(stream: ServerHttp2Stream, headers: Record<string, string | number>): void {
  stream.respond({ ':status': 200, 'content-type': 'application/grpc', ...headers }, { endStream: true });
}

before(async () => {
  h2 = createH2();
  h2.on('stream', (stream) => {
    // A stream this peer resets errors on its side too; that is the point, not a failure.
    stream.on('error', () => undefined);
    let bytes = 0;
    stream.on('data', (chunk: Buffer) => (bytes += chunk.length));
    stream.on('end', () => {
      const answer = bytes > 100 ? grpcAnswer.large : grpcAnswer.small;
      if (answer === 'reset') stream.close(2);
      else reply(stream, answer);
    });
  });
  h1 = createHttp((req, res) => {
    let bytes = 0;
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    req.on('end', () => {
      res.writeHead(bytes > 100 ? httpAnswer.large : httpAnswer.small, { 'content-type': 'text/plain' });
      res.end('answer');
    });
  });
  await Promise.all([
    new Promise<void>((resolve) => h2.listen(0, '127.0.0.1', resolve)),
    new Promise<void>((resolve) => h1.listen(0, '127.0.0.1', resolve)),
  ]);
});

after(() => {
  h2.close();
  h1.close();
});

function grpcTarget(): DoctorTarget {
  const port = (h2.address() as AddressInfo).port;
  return {
    name: 'otlp',
    signal: 'traces',
    protocol: 'grpc',
    host: '127.0.0.1',
    port,
    authority: `127.0.0.1:${port}`,
    useTls: false,
    tls: tlsClientSettings({ insecure: true }),
    plaintextSetting: 'exporters.otlp.tls.insecure: true',
    headers: {},
    probeBytes: 4096,
    probeReason: 'test',
  };
}

function httpTarget(): DoctorTarget {
  const port = (h1.address() as AddressInfo).port;
  return {
    ...grpcTarget(),
    protocol: 'http',
    port,
    authority: `127.0.0.1:${port}`,
    url: new URL(`http://127.0.0.1:${port}/v1/traces`),
  };
}

test('gRPC: UNIMPLEMENTED is another gRPC service; OK passes and hands the answer on', async () => {
  grpcAnswer = { small: { 'grpc-status': 12, 'grpc-message': 'unknown service' }, large: {} };
  const unimplemented = await checkProtocol(grpcTarget(), '127.0.0.1', '', 2000);
  assert.equal(unimplemented.result.finding, 'not-otlp');
  grpcAnswer = { small: { 'grpc-status': 0 }, large: { 'grpc-status': 0 } };
  const ok = await checkProtocol(grpcTarget(), '127.0.0.1', '', 2000);
  assert.equal(ok.result.outcome, 'pass');
  assert.equal(ok.answer?.grpcStatus, 0);
});

test('size: RESOURCE_EXHAUSTED from the gateway, a reset stream, and OK', async () => {
  grpcAnswer = { small: { 'grpc-status': 0 }, large: { 'grpc-status': 8, 'grpc-message': 'message larger than max' } };
  const tooLarge = await checkSize(grpcTarget(), '127.0.0.1', 2000);
  assert.equal(tooLarge.finding, 'too-large-gateway');
  assert.match(tooLarge.fix ?? '', /max_recv_msg_size_mib/);
  grpcAnswer = { small: { 'grpc-status': 0 }, large: 'reset' };
  assert.equal((await checkSize(grpcTarget(), '127.0.0.1', 2000)).finding, 'size-no-answer');
  grpcAnswer = { small: { 'grpc-status': 0 }, large: { 'grpc-status': 3, 'grpc-message': 'bad' } };
  assert.equal((await checkSize(grpcTarget(), '127.0.0.1', 2000)).finding, 'size-refused');
  grpcAnswer = { small: { 'grpc-status': 0 }, large: { 'grpc-status': 0 } };
  assert.match((await checkSize(grpcTarget(), '127.0.0.1', 2000)).detail, /a 4 KiB export \(test\) was accepted/);
});

test('HTTP: 404 is a wrong path, 503 a backend down, 413 on the large probe the gateway limit', async () => {
  httpAnswer = { small: 404, large: 404 };
  assert.equal((await checkProtocol(httpTarget(), '127.0.0.1', '', 2000)).result.finding, 'not-found');
  httpAnswer = { small: 503, large: 503 };
  assert.equal((await checkProtocol(httpTarget(), '127.0.0.1', '', 2000)).result.finding, 'bad-gateway');
  httpAnswer = { small: 200, large: 413 };
  assert.equal((await checkProtocol(httpTarget(), '127.0.0.1', '', 2000)).result.outcome, 'pass');
  assert.equal((await checkSize(httpTarget(), '127.0.0.1', 2000)).finding, 'too-large-gateway');
});

test('otlphttp to a gRPC-only port: the port speaks HTTP/2 only', async () => {
  const port = (h2.address() as AddressInfo).port;
  const target = {
    ...httpTarget(),
    port,
    authority: `127.0.0.1:${port}`,
    url: new URL(`http://127.0.0.1:${port}/v1/traces`),
  };
  assert.equal((await checkProtocol(target, '127.0.0.1', '', 2000)).result.finding, 'grpc-port');
});

function answer(over: Partial<ProbeAnswer>): ProbeAnswer {
  return {
    ok: true,
    httpStatus: 200,
    contentType: 'application/grpc',
    grpcStatus: 0,
    grpcMessage: '',
    text: '',
    headers: {},
    ...over,
  };
}

test('auth verdicts: each answer has its finding, and a secret echoed by the server is cut out', () => {
  const basic = {
    ...grpcTarget(),
    headers: { authorization: 'Basic ZWRnZS0xOnNlY3JldA==' },
    auth: { authenticator: 'basicauth/client', identity: 'edge-1' },
  };
  const bearer = { ...grpcTarget(), auth: { authenticator: 'bearertokenauth', identity: '' } };
  const table: [DoctorTarget, Partial<ProbeAnswer>, string | undefined][] = [
    [basic, { grpcStatus: 0 }, undefined],
    [basic, { grpcStatus: 16, grpcMessage: 'bad Basic ZWRnZS0xOnNlY3JldA==' }, 'unauthenticated'],
    [bearer, { grpcStatus: 16 }, 'unauthenticated'],
    [grpcTarget(), { grpcStatus: undefined, httpStatus: 401, headers: { server: 'nginx' } }, 'no-credentials'],
    [basic, { grpcStatus: 7 }, 'permission-denied'],
    [basic, { grpcStatus: 8, grpcMessage: 'throttled: too many failed attempts' }, 'throttled'],
    [basic, { grpcStatus: 14, grpcMessage: 'overloaded' }, 'export-refused'],
    [basic, { grpcStatus: undefined, httpStatus: 403 }, 'permission-denied'],
    [basic, { grpcStatus: undefined, httpStatus: 429, text: 'too many requests' }, 'throttled'],
    [basic, { grpcStatus: undefined, httpStatus: 500 }, 'export-refused'],
  ];
  for (const [target, over, finding] of table) {
    const result = checkAuth(target, answer(over));
    assert.equal(result.finding, finding, JSON.stringify(over));
    assert.doesNotMatch(JSON.stringify(result), /ZWRnZS0xOnNlY3JldA==/);
  }
  assert.match(checkAuth(grpcTarget(), answer({})).detail, /without credentials/);
});

test('the --endpoint target: scheme, TLS, credentials from the password file, and its errors', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tg-doctor-flags-'));
  writeFileSync(join(dir, 'pw'), 's3cret\nignored\n');
  const flags = { endpoint: 'gw.example.com:443', protocol: 'grpc' as const, insecure: false, bodyBytes: 1024 };
  const grpc = await targetFromEndpoint({
    ...flags,
    user: 'edge-1',
    passwordFile: join(dir, 'pw'),
    serverName: 'gw',
    caFile: '/ca.pem',
  });
  assert.equal(grpc.useTls, true);
  assert.equal(grpc.headers.authorization, `Basic ${Buffer.from('edge-1:s3cret').toString('base64')}`);
  assert.equal(grpc.tls.server_name_override, 'gw');
  const http = await targetFromEndpoint({
    ...flags,
    protocol: 'http',
    insecure: true,
    endpoint: 'gw.example.com:4318',
  });
  assert.equal(http.url?.href, 'http://gw.example.com:4318/v1/traces');
  assert.equal(
    (await targetFromEndpoint({ ...flags, protocol: 'http', endpoint: 'https://gw.example.com' })).port,
    443,
  );
  await assert.rejects(targetFromEndpoint({ ...flags, user: 'edge-1' }), /--user needs --password-file/);
  await assert.rejects(
    targetFromEndpoint({ ...flags, user: 'u', passwordFile: join(dir, 'missing') }),
    /--password-file: cannot read .* \(ENOENT\)/,
  );
  await assert.rejects(targetFromEndpoint({ ...flags, endpoint: 'nope' }), /--endpoint: address nope: missing port/);
  await assert.rejects(targetFromEndpoint({ ...flags, endpoint: 'unix:///tmp/s' }), /unix socket/);
});
