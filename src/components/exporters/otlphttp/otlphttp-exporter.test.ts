// The otlphttp exporter against a scripted local HTTP server: what goes on the wire (URL, protobuf or
// OTLP/JSON, gzip, headers), which answers are retried (429 with Retry-After, 502, 503, 504), which are
// permanent (400, 404, 413, 401 …) and how each is counted, partial success, timeouts and TLS.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import type { ClientAuthenticator } from '../../../contracts/auth.ts';
import type { ConsumeResult } from '../../../contracts/consumer.ts';
import type { Payload } from '../../../contracts/payload.ts';
import type { Signal } from '../../../contracts/signal.ts';
import { GrpcStatus } from '../../../errors/grpc-status.ts';
import { Secret } from '../../../util/secret.ts';
import { jsonToProtobuf } from '../../../pdata/json.ts';
import { encodeStatusDetails } from '../../../transport/grpc-status-details.ts';
import { testHost, testSettings } from '../../../../test/helpers/fakes.ts';
import { OtlpHttpServer } from '../../../../test/helpers/otlp-http-server.ts';
import { encodeRequest, ResponseTypes } from '../../../../test/helpers/otlp-proto.ts';
import { selfSignedCert, type TestCert } from '../../../../test/helpers/tls.ts';
import { defaultOtlpHttpExporterConfig, type OtlpHttpExporterConfig } from './config.ts';
import { createOtlpHttpExporter } from './otlphttp-exporter.ts';

const EXP = { exporter: 'otlphttp/test' };

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

function config(base: string, patch: (c: OtlpHttpExporterConfig) => void): OtlpHttpExporterConfig {
  const cfg = defaultOtlpHttpExporterConfig(base);
  cfg.sending_queue.enabled = false;
  cfg.retry_on_failure = { ...cfg.retry_on_failure, initial_interval: 5, max_interval: 20, max_elapsed_time: 10_000 };
  patch(cfg);
  return cfg;
}

interface Ctx {
  server: OtlpHttpServer;
  exporter: ReturnType<typeof createOtlpHttpExporter>;
  settings: ReturnType<typeof testSettings>;
  port: number;
}

async function withExporter(
  patch: (c: OtlpHttpExporterConfig) => void,
  fn: (ctx: Ctx) => Promise<void>,
  options: { signal?: Signal; tls?: TestCert; extensions?: Parameters<typeof testHost>[0] } = {},
): Promise<void> {
  const server = new OtlpHttpServer(options.tls);
  const port = await server.start();
  const settings = testSettings('exporter', 'otlphttp/test');
  const scheme = options.tls === undefined ? 'http' : 'https';
  const cfg = config(`${scheme}://127.0.0.1:${port}`, patch);
  const exporter = createOtlpHttpExporter(settings, cfg, options.signal ?? 'traces', { shutdownTimeoutMs: 5000 });
  try {
    await exporter.start(testHost(options.extensions));
    await fn({ server, exporter, settings, port });
  } finally {
    await exporter.shutdown();
    await server.stop();
  }
}

function messageOf(result: ConsumeResult): string {
  return result.status === 'success' ? '' : result.error.message;
}

const statusBody = (code: number, message: string): Buffer => encodeStatusDetails(code, message);

let cert: TestCert;
before(() => {
  cert = selfSignedCert();
});
after(() => {
  rmSync(cert.dir, { recursive: true, force: true });
});

test('protobuf, gzip by default: the payload bytes arrive as they are at <endpoint>/v1/traces', async () => {
  await withExporter(
    (c) => (c.headers = { 'X-Tenant': new Secret('acme') }),
    async ({ server, exporter, settings }) => {
      const payload = spans(3);
      assert.equal((await exporter.consume(payload)).status, 'success');
      const call = server.calls[0];
      assert.ok(call !== undefined);
      assert.equal(call.path, '/v1/traces');
      assert.equal(call.headers['content-type'], 'application/x-protobuf');
      assert.equal(call.headers['content-encoding'], 'gzip');
      assert.deepEqual([...call.wire.subarray(0, 2)], [0x1f, 0x8b], 'gzip magic on the wire');
      assert.ok(call.body.equals(payload.bytes));
      assert.equal(call.headers['x-tenant'], 'acme');
      assert.match(call.headers['user-agent'] ?? '', /^telegate\//);
      assert.equal(settings.telemetry.get('otelcol_exporter_sent_spans', EXP), 3);
    },
  );
});

test('json, no compression: the server decodes OTLP/JSON equal to the payload', async () => {
  await withExporter(
    (c) => {
      c.encoding = 'json';
      c.compression = 'none';
    },
    async ({ server, exporter }) => {
      const payload = spans(2);
      assert.equal((await exporter.consume(payload)).status, 'success');
      const call = server.calls[0];
      assert.ok(call !== undefined);
      assert.equal(call.headers['content-type'], 'application/json');
      assert.equal(call.headers['content-encoding'], undefined);
      const json = JSON.parse(call.body.toString()) as {
        resourceSpans: { scopeSpans: { spans: { name: string; traceId: string }[] }[] }[];
      };
      const sent = json.resourceSpans[0]?.scopeSpans[0]?.spans ?? [];
      assert.deepEqual(
        sent.map((s) => s.name),
        ['span-0', 'span-1'],
      );
      assert.equal(sent[0]?.traceId, '01'.repeat(16), 'ids in hex, as OTLP/JSON says');
      assert.ok(jsonToProtobuf('traces', call.body).equals(payload.bytes));
    },
  );
});

test('zlib and deflate compress with the zlib format and say so', async () => {
  for (const compression of ['zlib', 'deflate']) {
    await withExporter(
      (c) => (c.compression = compression),
      async ({ server, exporter }) => {
        const payload = spans(1);
        assert.equal((await exporter.consume(payload)).status, 'success');
        const call = server.calls[0];
        assert.ok(call !== undefined);
        assert.equal(call.headers['content-encoding'], compression);
        assert.ok(call.body.equals(payload.bytes));
      },
    );
  }
});

test('per-signal URLs: traces_endpoint is used as given, endpoint/ gets v1/<signal> once', async () => {
  await withExporter(
    (c) => (c.traces_endpoint = c.endpoint + '/custom/path'),
    async ({ server, exporter }) => {
      await exporter.consume(spans(1));
      assert.equal(server.calls[0]?.path, '/custom/path');
    },
  );
  await withExporter(
    (c) => (c.endpoint += '/prefix/'),
    async ({ server, exporter }) => {
      await exporter.consume({ ...spans(1), signal: 'logs' });
      assert.equal(server.calls[0]?.path, '/prefix/v1/logs');
    },
    { signal: 'logs' },
  );
});

test('retryable statuses 429, 502, 503, 504 are retried until success', async () => {
  for (const status of [429, 502, 503, 504]) {
    await withExporter(
      () => undefined,
      async ({ server, exporter, settings }) => {
        server.script.push({ status, body: statusBody(GrpcStatus.UNAVAILABLE, 'busy') });
        assert.equal((await exporter.consume(spans(2))).status, 'success', `status ${status}`);
        assert.equal(server.calls.length, 2, `status ${status}`);
        assert.equal(settings.telemetry.get('otelcol_exporter_sent_spans', EXP), 2);
      },
    );
  }
});

test('429 with Retry-After in seconds or as an HTTP date: the wait it asks for is honoured', async () => {
  const later = new Date(Date.now() + 3_600_000).toUTCString();
  for (const retryAfter of ['3600', later]) {
    await withExporter(
      (c) => (c.retry_on_failure.max_elapsed_time = 2000),
      async ({ server, exporter }) => {
        server.script.push({ status: 429, headers: { 'retry-after': retryAfter } });
        const result = await exporter.consume(spans(1));
        // The backoff alone (5 ms) would have retried; the server's hour passes max_elapsed_time.
        assert.equal(result.status, 'retryable');
        assert.match(messageOf(result), /no more retries left: error exporting items, .* HTTP Status Code 429/);
        assert.equal(server.calls.length, 1);
      },
    );
  }
});

test('Retry-After: 0 on 503 retries at once with the normal backoff', async () => {
  await withExporter(
    () => undefined,
    async ({ server, exporter }) => {
      server.script.push({ status: 503, headers: { 'retry-after': '0' } });
      assert.equal((await exporter.consume(spans(1))).status, 'success');
      assert.equal(server.calls.length, 2);
    },
  );
});

test('other failures are permanent: not retried, counted with error.permanent and the Status message', async () => {
  const cases: [number, string][] = [
    [400, 'InvalidArgument'],
    [404, 'Unimplemented'],
    [413, 'ResourceExhausted'],
    [500, 'Unknown'],
  ];
  for (const [status, errorType] of cases) {
    await withExporter(
      () => undefined,
      async ({ server, exporter, settings }) => {
        server.script.push({
          status,
          headers: { 'content-type': 'application/x-protobuf' },
          body: statusBody(GrpcStatus.INVALID_ARGUMENT, 'bad span'),
        });
        const result = await exporter.consume(spans(4));
        assert.equal(result.status, 'failure', `status ${status}`);
        assert.equal(server.calls.length, 1);
        assert.match(messageOf(result), new RegExp(`HTTP Status Code ${status}, Message=bad span`));
        const labels = { ...EXP, 'error.type': errorType, 'error.permanent': 'true' };
        assert.equal(settings.telemetry.get('otelcol_exporter_send_failed_spans', labels), 4, `status ${status}`);
      },
    );
  }
});

test('a JSON Status body is read too, and a body that is no Status gives no message', async () => {
  await withExporter(
    () => undefined,
    async ({ server, exporter }) => {
      server.script.push({
        status: 400,
        headers: { 'content-type': 'application/json' },
        body: '{"code":3,"message":"json says no"}',
      });
      server.script.push({ status: 400, headers: { 'content-type': 'text/html' }, body: '<html>proxy</html>' });
      assert.match(messageOf(await exporter.consume(spans(1))), /Message=json says no$/);
      assert.match(messageOf(await exporter.consume(spans(1))), /HTTP Status Code 400$/);
    },
  );
});

test('partial success (protobuf and JSON): success, logged and counted, not retried', async () => {
  const proto = Buffer.from(
    ResponseTypes.traces
      .encode(ResponseTypes.traces.fromObject({ partialSuccess: { rejectedSpans: 2, errorMessage: 'too old' } }))
      .finish(),
  );
  const replies = [
    { headers: { 'content-type': 'application/x-protobuf' }, body: proto },
    {
      headers: { 'content-type': 'application/json' },
      body: '{"partialSuccess":{"rejectedSpans":"2","errorMessage":"too old"}}',
    },
  ];
  for (const reply of replies) {
    await withExporter(
      () => undefined,
      async ({ server, exporter, settings }) => {
        server.fallback = reply;
        const result = await exporter.consume(spans(5));
        assert.equal(result.status, 'success');
        assert.equal(server.calls.length, 1);
        const warn = settings.logger.lines.find((l) => l.msg === 'Partial success response');
        assert.equal(warn?.fields.dropped_spans, 2);
        assert.equal(warn.fields.message, 'too old');
        assert.equal(settings.telemetry.get('otelcol_exporter_sent_spans', EXP), 5);
        assert.equal(settings.telemetry.get('telegate_exporter_rejected_spans', EXP), 2);
      },
    );
  }
});

test('partial success is logged once per interval, the rejected items summed', async () => {
  await withExporter(
    () => undefined,
    async ({ server, exporter, settings }) => {
      server.fallback = {
        headers: { 'content-type': 'application/json' },
        body: '{"partialSuccess":{"rejectedSpans":1,"errorMessage":"x"}}',
      };
      for (let i = 0; i < 5; i++) assert.equal((await exporter.consume(spans(1))).status, 'success');
      await exporter.shutdown();
      const lines = settings.logger.lines.filter((l) => l.msg === 'Partial success response');
      assert.equal(lines.length, 2, 'the first at once, the rest in one summary');
      assert.equal(lines[1]?.fields.dropped_spans, 4);
      assert.equal(settings.telemetry.get('telegate_exporter_rejected_spans', EXP), 5);
    },
  );
});

test('connection refused is retryable; with retries off the sender is told at once', async () => {
  const settings = testSettings('exporter', 'otlphttp/test');
  const cfg = config('http://127.0.0.1:1', (c) => (c.retry_on_failure.enabled = false));
  const exporter = createOtlpHttpExporter(settings, cfg, 'traces');
  await exporter.start(testHost());
  try {
    const result = await exporter.consume(spans(1));
    assert.equal(result.status, 'retryable');
    assert.match(
      messageOf(result),
      /failed to make an HTTP request to http:\/\/127\.0\.0\.1:1\/v1\/traces: .*ECONNREFUSED/,
    );
  } finally {
    await exporter.shutdown();
  }
});

test('a server slower than the timeout: the attempt ends at the deadline and is retried', async () => {
  await withExporter(
    (c) => (c.timeout = 100),
    async ({ server, exporter }) => {
      server.script.push({ delayMs: 5_000 });
      assert.equal((await exporter.consume(spans(1))).status, 'success');
      assert.equal(server.calls.length, 2);
    },
  );
});

test('401: permanent TG_EXPORT_AUTH_REFUSED naming the user, header values redacted, logged once', async () => {
  const secret = 'Basic c2VjcmV0LXZhbHVl';
  const auth: ClientAuthenticator = {
    isClientAuthenticator: true,
    identity: 'edge-1',
    requestHeaders: () => ({ Authorization: secret }),
    start: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
  await withExporter(
    (c) => {
      c.auth = { authenticator: 'basicauth/client' };
      c.headers = { authorization: new Secret('Basic from-headers') };
    },
    async ({ server, exporter, settings }) => {
      server.fallback = { status: 401, body: statusBody(GrpcStatus.UNAUTHENTICATED, `bad credentials ${secret}`) };
      const first = await exporter.consume(spans(1));
      await exporter.consume(spans(1));
      assert.equal(server.calls[0]?.headers.authorization, secret, 'the authenticator wins over headers');
      assert.equal(first.status, 'failure');
      assert.equal((first as { error: { code?: string } }).error.code, 'TG_EXPORT_AUTH_REFUSED');
      assert.match(messageOf(first), /authenticator "basicauth\/client" for user "edge-1"/);
      assert.ok(!messageOf(first).includes('c2VjcmV0LXZhbHVl'), messageOf(first));
      const refusals = settings.logger.lines.filter((l) => l.msg.startsWith('the gateway refused user edge-1'));
      assert.equal(refusals.length, 1);
      assert.ok(!JSON.stringify(settings.logger.lines).includes('c2VjcmV0LXZhbHVl'));
    },
    { extensions: { 'basicauth/client': auth } },
  );
});

test('401 with a renewable token (oauth2client): renewed and sent once more with the new one', async () => {
  let headers: Readonly<Record<string, string>> = { authorization: 'Bearer old' };
  const auth: ClientAuthenticator = {
    isClientAuthenticator: true,
    identity: 'edge-1',
    requestHeaders: () => headers,
    renewCredentials: () => {
      headers = { authorization: 'Bearer new' };
      return Promise.resolve();
    },
    start: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
  await withExporter(
    (c) => (c.auth = { authenticator: 'oauth2client' }),
    async ({ server, exporter }) => {
      server.script.push({ status: 401, body: statusBody(GrpcStatus.UNAUTHENTICATED, 'the token has expired') });
      assert.equal((await exporter.consume(spans(1))).status, 'success');
      assert.deepEqual(
        server.calls.map((c) => c.headers.authorization),
        ['Bearer old', 'Bearer new'],
      );
    },
    { extensions: { oauth2client: auth } },
  );
});

test('https:// with the server CA: TLS is used and the data arrives', async () => {
  await withExporter(
    (c) => (c.tls.ca_file = cert.certFile),
    async ({ server, exporter }) => {
      const payload = spans(1);
      assert.equal((await exporter.consume(payload)).status, 'success');
      assert.ok(server.calls[0]?.body.equals(payload.bytes));
    },
    { tls: cert },
  );
});

test('https:// without the CA: the certificate is refused, retryable, and the message says why', async () => {
  await withExporter(
    (c) => (c.retry_on_failure.enabled = false),
    async ({ server, exporter }) => {
      const result = await exporter.consume(spans(1));
      assert.equal(result.status, 'retryable');
      assert.match(messageOf(result), /certificate/i);
      assert.equal(server.calls.length, 0);
    },
    { tls: cert },
  );
});

test('a signal without a URL fails at create, naming the key', () => {
  const cfg = defaultOtlpHttpExporterConfig('');
  cfg.traces_endpoint = 'http://127.0.0.1:1/v1/traces';
  assert.throws(
    () => createOtlpHttpExporter(testSettings('exporter', 'otlphttp/test'), cfg, 'logs'),
    /either endpoint or logs_endpoint must be specified/,
  );
});

test('json of bytes that are no OTLP request: a permanent failure, nothing sent', async () => {
  await withExporter(
    (c) => (c.encoding = 'json'),
    async ({ server, exporter }) => {
      const result = await exporter.consume({
        signal: 'traces',
        bytes: Buffer.from([0x0a, 0xff]),
        items: 1,
        context: {},
      });
      assert.equal(result.status, 'failure');
      assert.match(messageOf(result), /cannot encode the request as json/);
      assert.equal(server.calls.length, 0);
    },
  );
});

test('with the sending queue (the default), consume answers at once and the data is delivered', async () => {
  await withExporter(
    (c) => (c.sending_queue.enabled = true),
    async ({ server, exporter, settings }) => {
      server.script.push({ status: 503 });
      assert.equal((await exporter.consume(spans(2))).status, 'success');
      await server.waitForCalls(2);
      await exporter.shutdown();
      assert.equal(settings.telemetry.get('otelcol_exporter_sent_spans', EXP), 2);
    },
  );
});
