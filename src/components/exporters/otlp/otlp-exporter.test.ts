// The otlp exporter end to end against a real @grpc/grpc-js OTLP server: delivery of the bytes as
// they are, retries (RetryInfo, timeouts, connection refused), permanent and auth failures, partial
// success, TLS and its plaintext mix-up, queue full and draining on shutdown.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { ConsumeResult } from '../../../contracts/consumer.ts';
import type { Payload } from '../../../contracts/payload.ts';
import type { Signal } from '../../../contracts/signal.ts';
import { GrpcStatus } from '../../../errors/grpc-status.ts';
import { testHost, testSettings } from '../../../../test/helpers/fakes.ts';
import { OTLP_PATHS, OtlpGrpcServer } from '../../../../test/helpers/otlp-grpc-server.ts';
import { encodeRequest, ResponseTypes } from '../../../../test/helpers/otlp-proto.ts';
import { selfSignedCert, type TestCert } from '../../../../test/helpers/tls.ts';
import { defaultOtlpExporterConfig, type OtlpExporterConfig } from './config.ts';
import { createOtlpExporter } from './otlp-exporter.ts';
import { Secret } from '../../../util/secret.ts';

const FAST = { reconnect: { initialMs: 5, maxMs: 20 }, shutdownTimeoutMs: 5000 };

function spans(n: number): Payload {
  const bytes = encodeRequest('traces', {
    resourceSpans: [
      {
        scopeSpans: [
          {
            spans: Array.from({ length: n }, (_, i) => ({
              traceId: Buffer.alloc(16, 1),
              spanId: Buffer.alloc(8, i + 1),
              name: `span-${i}`,
            })),
          },
        ],
      },
    ],
  });
  return { signal: 'traces', bytes, items: n, context: {} };
}

function config(port: number, patch: (c: OtlpExporterConfig) => void = () => undefined): OtlpExporterConfig {
  const cfg = defaultOtlpExporterConfig(`127.0.0.1:${port}`);
  cfg.tls.insecure = true;
  cfg.retry_on_failure = { ...cfg.retry_on_failure, initial_interval: 5, max_interval: 20, max_elapsed_time: 10_000 };
  patch(cfg);
  return cfg;
}

async function withExporter(
  patch: (c: OtlpExporterConfig) => void,
  fn: (ctx: {
    server: OtlpGrpcServer;
    exporter: ReturnType<typeof createOtlpExporter>;
    settings: ReturnType<typeof testSettings>;
  }) => Promise<void>,
  signal: Signal = 'traces',
): Promise<void> {
  const server = new OtlpGrpcServer();
  const port = await server.start();
  const settings = testSettings('exporter', 'otlp/test');
  const exporter = createOtlpExporter(settings, config(port, patch), signal, FAST);
  await exporter.start(testHost());
  try {
    await fn({ server, exporter, settings });
  } finally {
    await exporter.shutdown();
    await server.stop();
  }
}

const EXP = { exporter: 'otlp/test' };

function messageOf(result: ConsumeResult): string {
  return result.status === 'success' ? '' : result.error.message;
}

let cert: TestCert;
before(() => {
  cert = selfSignedCert();
});
after(() => {
  rmSync(cert.dir, { recursive: true, force: true });
});

test('delivers the payload bytes unchanged (gzip on by default), with headers, and counts sent spans', async () => {
  await withExporter(
    (c) => (c.headers = { 'X-Tenant': new Secret('acme') }),
    async ({ server, exporter, settings }) => {
      const p = spans(3);
      assert.equal((await exporter.consume(p)).status, 'success');
      await server.waitForCalls(1);
      await exporter.shutdown();
      assert.equal(server.calls[0]!.path, OTLP_PATHS.traces);
      assert.deepEqual(server.calls[0]!.bytes, p.bytes);
      assert.equal(server.calls[0]!.metadata['x-tenant'], 'acme');
      assert.equal(settings.telemetry.get('otelcol_exporter_sent_spans', EXP), 3);
    },
  );
});

test("a batch's parts are written one after another: the peer receives exactly their concatenation", async () => {
  const parts = [spans(2).bytes, spans(3).bytes, spans(1).bytes];
  const whole = Buffer.concat(parts);
  let bytesRead = 0;
  const batch = (): Payload => ({
    signal: 'traces',
    get bytes(): Buffer {
      bytesRead++;
      return whole;
    },
    items: 6,
    context: {},
    parts,
  });
  for (const compression of ['none', 'gzip'] as const) {
    await withExporter(
      (c) => (c.compression = compression),
      async ({ server, exporter, settings }) => {
        assert.equal((await exporter.consume(batch())).status, 'success');
        await server.waitForCalls(1);
        await exporter.shutdown();
        assert.deepEqual(server.calls[0]!.bytes, whole);
        assert.equal(settings.telemetry.get('otelcol_exporter_sent_spans', EXP), 6);
      },
    );
    // Nothing asks for the contiguous bytes: gzip deflates the parts as they are (transport/gzip-member.ts).
    assert.equal(bytesRead, 0, compression);
  }
});

test('metrics and logs use their own service paths', async () => {
  for (const signal of ['metrics', 'logs'] as const) {
    await withExporter(
      () => undefined,
      async ({ server, exporter }) => {
        await exporter.consume({ signal, bytes: Buffer.alloc(0), items: 0, context: {} });
        await server.waitForCalls(1);
        assert.equal(server.calls[0]!.path, OTLP_PATHS[signal]);
      },
      signal,
    );
  }
});

test('UNAVAILABLE with and without RetryInfo is retried until delivered', async () => {
  await withExporter(
    () => undefined,
    async ({ server, exporter, settings }) => {
      server.script.push(
        { code: GrpcStatus.UNAVAILABLE, message: 'busy', retryAfterMs: 10 },
        { code: GrpcStatus.UNAVAILABLE, message: 'still busy' },
      );
      await exporter.consume(spans(2));
      await server.waitForCalls(3);
      await exporter.shutdown();
      assert.equal(settings.telemetry.get('otelcol_exporter_sent_spans', EXP), 2);
    },
  );
});

test('INVALID_ARGUMENT is permanent: not retried, counted as failed', async () => {
  await withExporter(
    (c) => (c.sending_queue.enabled = false),
    async ({ server, exporter, settings }) => {
      server.fallback = { code: GrpcStatus.INVALID_ARGUMENT, message: 'bad span' };
      const result = await exporter.consume(spans(4));
      assert.equal(result.status, 'failure');
      assert.equal(server.calls.length, 1);
      const labels = { ...EXP, 'error.type': 'InvalidArgument', 'error.permanent': 'true' };
      assert.equal(settings.telemetry.get('otelcol_exporter_send_failed_spans', labels), 4);
    },
  );
});

test('UNAUTHENTICATED: "the destination refused the credentials", and header values never reach the log', async () => {
  await withExporter(
    (c) => {
      c.sending_queue.enabled = false;
      c.headers = { authorization: new Secret('Bearer s3cr3t-token') };
    },
    async ({ server, exporter, settings }) => {
      server.fallback = { code: GrpcStatus.UNAUTHENTICATED, message: 'bad token' };
      const result = await exporter.consume(spans(1));
      assert.equal(result.status, 'failure');
      assert.match(messageOf(result), /the destination refused the credentials/);
      assert.equal((result as unknown as { error: { code: string } }).error.code, 'TG_EXPORT_AUTH_REFUSED');
      assert.equal(server.calls.length, 1);
      assert.ok(settings.logger.lines.length > 0);
      assert.doesNotMatch(settings.logger.text(), /s3cr3t/);
    },
  );
});

test('RESOURCE_EXHAUSTED is retried only with RetryInfo', async () => {
  await withExporter(
    (c) => (c.sending_queue.enabled = false),
    async ({ server, exporter }) => {
      server.script.push({ code: GrpcStatus.RESOURCE_EXHAUSTED, message: 'later', retryAfterMs: 5 });
      assert.equal((await exporter.consume(spans(1))).status, 'success');
      assert.equal(server.calls.length, 2);
      server.script.push({ code: GrpcStatus.RESOURCE_EXHAUSTED, message: 'never' });
      assert.equal((await exporter.consume(spans(1))).status, 'failure');
      assert.equal(server.calls.length, 3);
    },
  );
});

test('a slow answer times out the attempt, which is retried', async () => {
  await withExporter(
    (c) => {
      c.sending_queue.enabled = false;
      c.timeout = 50;
    },
    async ({ server, exporter }) => {
      server.script.push({ delayMs: 1000 });
      assert.equal((await exporter.consume(spans(1))).status, 'success');
      assert.equal(server.calls.length, 2);
    },
  );
});

test('partial success is logged as a warning and nothing is counted as failed', async () => {
  const response = Buffer.from(
    ResponseTypes.traces
      .encode(
        ResponseTypes.traces.fromObject({ partialSuccess: { rejectedSpans: 2, errorMessage: 'two spans too old' } }),
      )
      .finish(),
  );
  await withExporter(
    (c) => (c.sending_queue.enabled = false),
    async ({ server, exporter, settings }) => {
      server.fallback = { response };
      const result = await exporter.consume(spans(5));
      assert.equal(result.status, 'success');
      const warn = settings.logger.lines.find((l) => l.msg === 'Partial success response');
      assert.equal(warn?.fields.dropped_spans, 2);
      assert.equal(warn.fields.message, 'two spans too old');
      assert.equal(settings.telemetry.get('otelcol_exporter_sent_spans', EXP), 5);
    },
  );
});

test('connection refused, then the server appears: the queued data is delivered', async () => {
  const port = await freePort();
  const settings = testSettings('exporter', 'otlp/test');
  const exporter = createOtlpExporter(settings, config(port), 'traces', FAST);
  const server = new OtlpGrpcServer();
  try {
    await exporter.start(testHost());
    assert.equal((await exporter.consume(spans(2))).status, 'success');
    await server.start(port);
    await server.waitForCalls(1);
    await exporter.shutdown();
    assert.equal(settings.telemetry.get('otelcol_exporter_sent_spans', EXP), 2);
  } finally {
    await exporter.shutdown();
    await server.stop();
  }
});

test('TLS is on by default: against a plaintext server the error says to set tls.insecure', async () => {
  await withExporter(
    (c) => {
      c.tls.insecure = false;
      c.sending_queue.enabled = false;
      c.retry_on_failure.enabled = false;
    },
    async ({ exporter }) => {
      const result = await exporter.consume(spans(1));
      assert.equal(result.status, 'retryable');
      assert.match(messageOf(result), /the server did not speak TLS; set tls\.insecure: true for a plaintext endpoint/);
    },
  );
});

test('TLS with ca_file to a TLS server delivers', async () => {
  const server = new OtlpGrpcServer();
  const port = await server.start(0, { key: cert.key, cert: cert.cert });
  const cfg = config(port, (c) => {
    c.endpoint = `localhost:${port}`;
    c.tls.insecure = false;
    c.tls.ca_file = cert.certFile;
    c.sending_queue.enabled = false;
  });
  const exporter = createOtlpExporter(testSettings('exporter', 'otlp/test'), cfg, 'traces', FAST);
  try {
    const result = await exporter.consume(spans(1));
    assert.equal(result.status, 'success', messageOf(result));
  } finally {
    await exporter.shutdown();
    await server.stop();
  }
});

test('queue full: a retryable answer, and every accepted request is still delivered', async () => {
  await withExporter(
    (c) => {
      c.sending_queue.queue_size = 2;
      c.sending_queue.num_consumers = 1;
    },
    async ({ server, exporter }) => {
      server.fallback = { delayMs: 30 };
      assert.equal((await exporter.consume(spans(1))).status, 'success');
      assert.equal((await exporter.consume(spans(1))).status, 'success');
      const refused = await exporter.consume(spans(1));
      assert.equal(refused.status, 'retryable');
      assert.ok(((refused as { retryAfterMs?: number }).retryAfterMs ?? 0) > 0);
      await exporter.shutdown();
      assert.equal(server.calls.length, 2);
    },
  );
});

test('shutdown drains the queue through the exporter', async () => {
  await withExporter(
    (c) => (c.sending_queue.num_consumers = 2),
    async ({ server, exporter, settings }) => {
      server.fallback = { delayMs: 5 };
      for (let i = 0; i < 20; i++) assert.equal((await exporter.consume(spans(1))).status, 'success');
      await exporter.shutdown();
      assert.equal(server.calls.length, 20);
      assert.equal(settings.telemetry.get('otelcol_exporter_sent_spans', EXP), 20);
    },
  );
});

test('start fails clearly when auth.authenticator names a missing extension', async () => {
  const exporter = createOtlpExporter(
    testSettings('exporter', 'otlp/test'),
    config(1, (c) => (c.auth = { authenticator: 'bearertokenauth' })),
    'traces',
    FAST,
  );
  await assert.rejects(exporter.start(testHost()), /failed to resolve authenticator "bearertokenauth"/);
  await exporter.shutdown();
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
