// Each refused server certificate gets its own cause and fix from the gRPC and HTTP clients, produced
// for real against TLS servers: expired, issued for another name, signed by an unknown CA, self-signed.
// None of them advises turning verification off.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { GrpcStatus } from '../errors/grpc-status.ts';
import { OTLP_PATHS, OtlpGrpcServer } from '../../test/helpers/otlp-grpc-server.ts';
import { expiredServerCert, type ExpiredPair } from '../../test/helpers/expired-cert.ts';
import { makeCa, selfSignedCert, type TestCa } from '../../test/helpers/tls.ts';
import { parseGrpcEndpoint, type GrpcTarget } from './endpoint.ts';
import { GrpcClient } from './grpc-client.ts';
import { tlsClientSettings, tlsOptionsLoader } from './grpc-client-tls.ts';
import { HttpClient } from './http-client.ts';
import { certificateHint } from './tls-failure-hint.ts';

let ca: TestCa;
let expired: ExpiredPair;

before(() => {
  ca = makeCa();
  expired = expiredServerCert();
});

function target(endpoint: string): GrpcTarget {
  const parsed = parseGrpcEndpoint(endpoint);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.target;
}

/** Calls a grpc-js TLS server presenting `cert` with a client trusting `caFile`; returns the failure message. */
async function grpcFailure(cert: { key: Buffer; cert: Buffer }, host: string, caFile?: string): Promise<string> {
  const server = new OtlpGrpcServer();
  const port = await server.start(0, cert);
  const cfg = tlsClientSettings(caFile === undefined ? {} : { ca_file: caFile });
  const client = new GrpcClient({ target: target(`${host}:${port}`), tls: tlsOptionsLoader(cfg, host) });
  try {
    const result = await client.call(OTLP_PATHS.traces, Buffer.alloc(0), { timeoutMs: 5000 });
    assert.equal(result.code, GrpcStatus.UNAVAILABLE, result.message);
    assert.doesNotMatch(result.message, /insecure_skip_verify/);
    return result.message;
  } finally {
    await client.close(100);
    await server.stop();
  }
}

const read = (pair: { keyFile: string; certFile: string }): { key: Buffer; cert: Buffer } => ({
  key: readFileSync(pair.keyFile),
  cert: readFileSync(pair.certFile),
});

test('gRPC: an expired certificate is to be renewed on the server', async () => {
  const message = await grpcFailure(read(expired), 'localhost', expired.caFile);
  assert.match(message, /certificate has expired: renew it where it is served/);
});

test('gRPC: a certificate for another name names the names it holds', async () => {
  const other = ca.issue('ingress', { cn: 'ingress.example.com', san: 'DNS:ingress.example.com' });
  const message = await grpcFailure(read(other), '127.0.0.1', ca.certFile);
  assert.match(message, /the certificate is for other names \(ingress\.example\.com\).*tls\.server_name_override/);
});

test('gRPC: a certificate from an unknown CA asks for tls.ca_file', async () => {
  const stranger = makeCa(undefined, 'some other CA');
  const message = await grpcFailure(read(ca.issue('server')), 'localhost', stranger.certFile);
  assert.match(message, /signed by a CA this exporter does not trust: set tls\.ca_file/);
});

test('gRPC: a self-signed certificate asks for tls.ca_file set to it', async () => {
  const message = await grpcFailure(read(selfSignedCert()), 'localhost');
  assert.match(message, /self-signed: set tls\.ca_file to that certificate/);
});

test('HTTP: an expired certificate gets the same hint', async (t) => {
  const server: Server = createServer(read(expired), (_req, res) => res.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.close();
  });
  const { port } = server.address() as AddressInfo;
  const cfg = tlsClientSettings({ ca_file: expired.caFile });
  const client = new HttpClient({
    tls: tlsOptionsLoader(cfg, 'localhost'),
    keepAlive: false,
    maxSockets: Infinity,
    maxFreeSockets: 1,
    idleTimeoutMs: 0,
  });
  try {
    const answer = await client.post(new URL(`https://localhost:${port}/v1/traces`), Buffer.alloc(0), {}, 5000);
    if (answer.ok) assert.fail(`expected no answer, got HTTP ${answer.status}`);
    assert.match(answer.message, /CERT_HAS_EXPIRED\); the server certificate has expired: renew it/);
  } finally {
    client.close();
  }
});

test('the hint of a name mismatch without altnames in the message still says what to do', () => {
  assert.match(
    certificateHint('ERR_TLS_CERT_ALTNAME_INVALID', new Error('mismatch')),
    /see the certificate.*server_name_override/,
  );
  assert.match(certificateHint('CERT_NOT_YET_VALID', undefined), /not valid yet: check the clocks/);
});
