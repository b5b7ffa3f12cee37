// The edge's side of issue 11: the exporter says once per change which user the gateway refused and
// why (never the password), and a gateway's "retry after" holds back every request, not just one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClientAuthenticator } from '../../../contracts/auth.ts';
import type { Payload } from '../../../contracts/payload.ts';
import { GrpcStatus } from '../../../errors/grpc-status.ts';
import { testHost, testSettings } from '../../../../test/helpers/fakes.ts';
import { OtlpGrpcServer } from '../../../../test/helpers/otlp-grpc-server.ts';
import { encodeRequest } from '../../../../test/helpers/otlp-proto.ts';
import { defaultOtlpExporterConfig } from './config.ts';
import { createOtlpExporter } from './otlp-exporter.ts';
import { RetryAfterGate } from '../../exporterhelper/retry-after-gate.ts';

const PASSWORD = 'stale-pa55word';
const SPANS: Payload = {
  signal: 'traces',
  bytes: encodeRequest('traces', {
    resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: Buffer.alloc(16, 1), spanId: Buffer.alloc(8, 1) }] }] }],
  }),
  items: 1,
  context: {},
};

const edgeAuth: ClientAuthenticator = {
  isClientAuthenticator: true,
  identity: 'edge-1',
  requestHeaders: () => ({ authorization: `Basic ${Buffer.from(`edge-1:${PASSWORD}`).toString('base64')}` }),
  start: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};

async function withExporter(
  fn: (ctx: { server: OtlpGrpcServer; consume: () => Promise<string>; log: () => string[] }) => Promise<void>,
): Promise<void> {
  const server = new OtlpGrpcServer();
  const port = await server.start();
  const settings = testSettings('exporter', 'otlp/gateway');
  const cfg = defaultOtlpExporterConfig(`127.0.0.1:${String(port)}`);
  cfg.tls.insecure = true;
  cfg.sending_queue.enabled = false;
  cfg.retry_on_failure.enabled = false;
  cfg.auth = { authenticator: 'basicauth/client' };
  const exporter = createOtlpExporter(settings, cfg, 'traces', { shutdownTimeoutMs: 5000 });
  try {
    await exporter.start(testHost({ 'basicauth/client': edgeAuth }));
    const consume = async (): Promise<string> => (await exporter.consume(SPANS)).status;
    const log = (): string[] =>
      settings.logger.lines.filter((l) => l.msg.startsWith('the gateway')).map((l) => `${l.level} ${l.msg}`);
    await fn({ server, consume, log });
    assert.doesNotMatch(settings.logger.text(), new RegExp(PASSWORD));
  } finally {
    await exporter.shutdown();
    await server.stop();
  }
}

test("the edge logs once per change which user was refused and the gateway's reason", async () => {
  await withExporter(async ({ server, consume, log }) => {
    assert.equal(await consume(), 'success');
    server.fallback = {
      code: GrpcStatus.UNAUTHENTICATED,
      message: 'invalid credentials for user "edge-1": the user name or password is not accepted',
    };
    for (let i = 0; i < 5; i++) assert.equal(await consume(), 'failure');
    server.fallback = {};
    assert.equal(await consume(), 'success');
    assert.equal(await consume(), 'success');
    assert.deepEqual(log(), [
      'warn the gateway refused user edge-1: invalid credentials for user "edge-1": the user name or password is not accepted',
      'info the gateway accepts user edge-1 again',
    ]);
  });
});

test("a throttled answer holds every request back until the gateway's delay has passed", async () => {
  await withExporter(async ({ server, consume, log }) => {
    server.script.push({
      code: GrpcStatus.RESOURCE_EXHAUSTED,
      message: 'too many failed logins from this client: retry in 60s',
      retryAfterMs: 60_000,
    });
    assert.equal(await consume(), 'retryable');
    for (let i = 0; i < 5; i++) assert.equal(await consume(), 'retryable');
    assert.equal(server.calls.length, 1, 'nothing more is sent while the gateway asked to wait');
    assert.deepEqual(log(), [
      'warn the gateway throttled user edge-1: too many failed logins from this client: retry in 60s; waiting 60s as it asked',
    ]);
  });
});

test('the gate holds for the advised delay (bounded), and only a positive delay counts', () => {
  let now = 0;
  const gate = new RetryAfterGate(() => now);
  gate.hold(undefined);
  gate.hold(0);
  assert.equal(gate.remainingMs(), 0);
  gate.hold(1500);
  now = 1000;
  assert.equal(gate.remainingMs(), 500);
  gate.hold(3_600_000);
  assert.equal(gate.remainingMs(), 300_000, 'at most five minutes');
  now = 301_000;
  assert.equal(gate.remainingMs(), 0);
});
