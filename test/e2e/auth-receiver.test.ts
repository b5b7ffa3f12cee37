// Secure exposure end to end: the official OpenTelemetry JS SDK exporters (gRPC, HTTP/protobuf,
// HTTP/JSON) against an otlp receiver guarded by the bearertokenauth extension — accepted with the
// token, refused (UNAUTHENTICATED / 401) without it — and the verified identity stamped on the data
// by the resource processor (`from_context: auth.username`) in a receiver → processor chain.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ExportResultCode } from '@opentelemetry/core';
import { fromPlain } from '../../src/config/node.ts';
import { validateConfig } from '../../src/config/validate.ts';
import type { AuthResult, ServerAuthenticator } from '../../src/contracts/auth.ts';
import type { Component, Factory } from '../../src/contracts/component.ts';
import { bearerTokenAuthFactory } from '../../src/components/extensions/bearertokenauth/factory.ts';
import { resourceFactory } from '../../src/components/processors/resource/factory.ts';
import { otlpReceiverFactory } from '../../src/components/receivers/otlp/factory.ts';
import { MemoryTelemetry, RecordingConsumer, RecordingLogger, testHost, testSettings } from '../helpers/fakes.ts';
import { decodeRequest } from '../helpers/otlp-proto.ts';
import { PROTOCOLS, sdkBatch, sdkExporter, sdkSend } from '../helpers/sdk.ts';

function configOf(factory: Factory, raw: unknown): unknown {
  const r = validateConfig(factory.configSchema, fromPlain(raw, undefined), factory.type, undefined);
  assert.deepEqual(r.issues, []);
  return r.value;
}

const TOKEN = 'edge-7f3a9c-token';
const telemetry = new MemoryTelemetry();
const logger = new RecordingLogger();
const traces = new RecordingConsumer();
let bearer: Component;
let receiver: Component;
const urls = { grpc: '', http: '' };

before(async () => {
  bearer = bearerTokenAuthFactory.create(
    testSettings('extension', 'bearertokenauth'),
    configOf(bearerTokenAuthFactory, { token: TOKEN }) as never,
  );
  await bearer.start(testHost());
  const auth = { authenticator: 'bearertokenauth' };
  const cfg = configOf(otlpReceiverFactory, {
    protocols: { grpc: { endpoint: '127.0.0.1:0', auth }, http: { endpoint: '127.0.0.1:0', auth } },
  });
  receiver = otlpReceiverFactory.create(testSettings('receiver', 'otlp', telemetry, logger), cfg as never, {
    traces,
  });
  await receiver.start(testHost({ bearertokenauth: bearer }));
  const ep = (msg: string): string => String(logger.lines.find((l) => l.msg === msg)?.fields['endpoint']);
  urls.grpc = `http://${ep('Starting GRPC server')}`;
  urls.http = `http://${ep('Starting HTTP server')}`;
});
after(async () => {
  await receiver.shutdown();
  await bearer.shutdown();
});

for (const protocol of PROTOCOLS) {
  test(`SDK ${protocol}: with the bearer token the spans arrive; without it UNAUTHENTICATED / 401`, async () => {
    const batch = await sdkBatch('traces');
    const before = traces.items();
    const good = sdkExporter('traces', protocol, urls, { headers: { Authorization: `Bearer ${TOKEN}` } });
    try {
      const r = await sdkSend(good, batch.items);
      assert.equal(r.code, ExportResultCode.SUCCESS, String(r.error));
    } finally {
      await good.shutdown();
    }
    assert.equal(traces.items(), before + batch.count);

    for (const headers of [{}, { Authorization: 'Bearer not-the-token' }]) {
      const bad = sdkExporter('traces', protocol, urls, { headers });
      try {
        const r = await sdkSend(bad, batch.items);
        assert.equal(r.code, ExportResultCode.FAILED);
        const error = r.error as { code?: number; message?: string } | undefined;
        if (protocol === 'grpc') assert.equal(error?.code, 16, String(error?.message));
        else assert.equal(error?.code, 401, String(error?.message));
      } finally {
        await bad.shutdown();
      }
    }
    assert.equal(traces.items(), before + batch.count, 'nothing refused reached the pipeline');
  });
}

test('refusals are counted per transport and never log the token', () => {
  const get = (transport: string): number =>
    telemetry.get('otelcol_receiver_requests', { receiver: 'otlp', transport, outcome: 'unauthenticated' });
  assert.ok(get('grpc') >= 2);
  assert.ok(get('http') >= 4);
  assert.doesNotMatch(logger.text(), new RegExp(TOKEN));
});

/** Verifies `Basic <user>` by a fixed table, like basicauth with htpasswd would. */
class TableAuthenticator implements ServerAuthenticator {
  readonly isServerAuthenticator = true;
  start(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
  authenticate(headers: Readonly<Record<string, string | readonly string[] | undefined>>): AuthResult {
    const value = headers['authorization'];
    if (value === 'Basic edge-1-credentials') return { ok: true, auth: { username: 'edge-1' } };
    return { ok: false, reason: 'unauthenticated', message: 'invalid credentials', challenge: 'Basic realm="x"' };
  }
}

test('receiver → resource processor: `from_context: auth.username` stamps the verified user, not a claimed one', async () => {
  const sink = new RecordingConsumer();
  const processor = resourceFactory.create(
    testSettings('processor', 'resource'),
    configOf(resourceFactory, {
      attributes: [{ key: 'enduser.id', from_context: 'auth.username', action: 'upsert' }],
    }) as never,
    'traces',
    sink,
  );
  const log = new RecordingLogger();
  const r = otlpReceiverFactory.create(
    testSettings('receiver', 'otlp/chain', new MemoryTelemetry(), log),
    configOf(otlpReceiverFactory, {
      protocols: { http: { endpoint: '127.0.0.1:0', auth: { authenticator: 'basicauth/server' } } },
    }) as never,
    { traces: processor },
  );
  await processor.start(testHost());
  await r.start(testHost({ 'basicauth/server': new TableAuthenticator() }));
  try {
    const http = `http://${String(log.lines.find((l) => l.msg === 'Starting HTTP server')?.fields['endpoint'])}`;
    // The client claims to be someone else in its own resource: the verified identity wins.
    const { resourceFromAttributes } = await import('@opentelemetry/resources');
    const batch = await sdkBatch('traces', resourceFromAttributes({ 'service.name': 'x', 'enduser.id': 'admin' }));
    const exporter = sdkExporter(
      'traces',
      'http/protobuf',
      { grpc: '', http },
      {
        headers: { Authorization: 'Basic edge-1-credentials' },
      },
    );
    try {
      assert.equal((await sdkSend(exporter, batch.items)).code, ExportResultCode.SUCCESS);
    } finally {
      await exporter.shutdown();
    }
    const payload = sink.payloads[0];
    assert.ok(payload);
    assert.deepEqual(payload.context.auth, { username: 'edge-1' });
    const decoded = decodeRequest('traces', payload.bytes) as {
      resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] } }[];
    };
    const attrs = decoded.resourceSpans[0]?.resource.attributes ?? [];
    assert.deepEqual(
      attrs.filter((a) => a.key === 'enduser.id').map((a) => a.value.stringValue),
      ['edge-1'],
    );
  } finally {
    await r.shutdown();
    await processor.shutdown();
  }
});
