// `telegate gen` over TLS and mTLS: an otlp receiver that requires client certificates from a test CA,
// reached over gRPC and HTTP with --ca-cert, --mtls, --client-cert and --client-key; without the CA or
// without a client certificate the export fails with the reason and exit 1.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fromPlain } from '../../src/config/node.ts';
import { validateConfig } from '../../src/config/validate.ts';
import type { Component } from '../../src/contracts/component.ts';
import { otlpReceiverFactory } from '../../src/components/receivers/otlp/factory.ts';
import { MemoryTelemetry, RecordingConsumer, RecordingLogger, testHost, testSettings } from '../helpers/fakes.ts';
import { makeCa, type IssuedCert, type TestCa } from '../helpers/tls.ts';

const MAIN = join(new URL('../../', import.meta.url).pathname, 'src/cli/main.ts');
const traces = new RecordingConsumer();
const endpoints = { grpc: '', http: '' };
let ca: TestCa;
let client: IssuedCert;
let receiver: Component;

before(async () => {
  ca = makeCa();
  const server = ca.issue('server');
  client = ca.issue('client', { cn: 'edge-1' });
  const tls = { cert_file: server.certFile, key_file: server.keyFile, client_ca_file: ca.certFile };
  const r = validateConfig(
    otlpReceiverFactory.configSchema,
    fromPlain(
      { protocols: { grpc: { endpoint: '127.0.0.1:0', tls }, http: { endpoint: '127.0.0.1:0', tls } } },
      undefined,
    ),
    'otlp',
    undefined,
  );
  assert.deepEqual(r.issues, []);
  const logger = new RecordingLogger();
  receiver = otlpReceiverFactory.create(
    testSettings('receiver', 'otlp', new MemoryTelemetry(), logger),
    r.value as never,
    {
      traces,
    },
  );
  await receiver.start(testHost());
  const ep = (msg: string): string => String(logger.lines.find((l) => l.msg === msg)?.fields['endpoint']);
  endpoints.grpc = ep('Starting GRPC server').replace('127.0.0.1', 'localhost');
  endpoints.http = ep('Starting HTTP server').replace('127.0.0.1', 'localhost');
});
after(async () => {
  await receiver.shutdown();
});

function gen(args: readonly string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'gen', 'traces', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

for (const protocol of ['grpc', 'http'] as const) {
  const flags = (): string[] => [
    ...(protocol === 'http' ? ['--otlp-http'] : []),
    '--otlp-endpoint',
    endpoints[protocol],
  ];

  test(`${protocol}: mTLS with --ca-cert --mtls --client-cert --client-key delivers every span`, async () => {
    const before = traces.items();
    const mtls = ['--ca-cert', ca.certFile, '--mtls', '--client-cert', client.certFile, '--client-key', client.keyFile];
    const r = await gen([...flags(), ...mtls, '--traces', '50']);
    assert.equal(r.code, 0, r.out);
    assert.equal(traces.items() - before, 100);
    assert.match(r.out, /sent 100 spans/);
  });

  test(`${protocol}: without the CA the server certificate is refused, with the reason`, async () => {
    const r = await gen([...flags(), '--mtls', '--client-cert', client.certFile, '--client-key', client.keyFile]);
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /UNAVAILABLE: .*(certificate|TLS)/i);
  });

  test(`${protocol}: without a client certificate the export fails`, async () => {
    const before = traces.items();
    const r = await gen([...flags(), '--ca-cert', ca.certFile]);
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /export failed/);
    assert.equal(traces.items(), before);
  });
}
