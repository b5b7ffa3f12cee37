import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RecordingConsumer, testSettings } from '../../../../test/helpers/fakes.ts';
import { decodeRequest, encodeRequest } from '../../../../test/helpers/otlp-proto.ts';
import type { Payload, RequestContext } from '../../../contracts/payload.ts';
import type { Signal } from '../../../contracts/signal.ts';
import { TelegateError } from '../../../errors/catalogue.ts';
import type { ResourceConfig } from './config.ts';
import { resourceFactory } from './factory.ts';

function create(attributes: ResourceConfig['attributes'], signal: Signal = 'traces') {
  const next = new RecordingConsumer();
  const proc = resourceFactory.create(testSettings('processor', 'resource'), { attributes }, signal, next);
  return { proc, next };
}

const REQUEST = {
  resourceSpans: [
    {
      resource: {
        attributes: [
          { key: 'service.name', value: { stringValue: 'api' } },
          { key: 'secret', value: { stringValue: 's3' } },
        ],
      },
      scopeSpans: [{ spans: [{ name: 'a' }] }],
    },
    { scopeSpans: [{ spans: [{ name: 'b' }, { name: 'c' }] }] },
  ],
};

function payload(context: RequestContext = {}): Payload {
  return { signal: 'traces', bytes: encodeRequest('traces', REQUEST), items: 3, context };
}

test('stamps the authenticated user and edits every Resource; spans are untouched', async () => {
  const { proc, next } = create([
    { key: 'user', action: 'upsert', from_context: 'auth.username' },
    { key: 'secret', action: 'delete' },
    { key: 'env', action: 'insert', value: 'prod' },
  ]);
  await proc.start({ getExtension: () => undefined });
  const r = await proc.consume(payload({ auth: { username: 'alice' } }));
  assert.equal(r.status, 'success');
  const out = decodeRequest('traces', next.payloads[0]!.bytes);
  assert.deepEqual(out.resourceSpans[0].resource.attributes, [
    { key: 'service.name', value: { stringValue: 'api' } },
    { key: 'user', value: { stringValue: 'alice' } },
    { key: 'env', value: { stringValue: 'prod' } },
  ]);
  assert.deepEqual(out.resourceSpans[1].resource.attributes, [
    { key: 'user', value: { stringValue: 'alice' } },
    { key: 'env', value: { stringValue: 'prod' } },
  ]);
  const spans: unknown[] = [];
  for (const rs of out.resourceSpans) spans.push(...rs.scopeSpans[0].spans);
  assert.deepEqual(spans, [{ name: 'a' }, { name: 'b' }, { name: 'c' }]);
  assert.equal(next.payloads[0]!.items, 3);
  await proc.shutdown();
});

test('a request that no action changes is passed on as the same buffer', async () => {
  const { proc, next } = create([{ key: 'absent', action: 'update', value: 'x' }]);
  const p = payload();
  await proc.consume(p);
  assert.equal(next.payloads[0]!.bytes, p.bytes);
});

test('works on metrics and logs requests too', async () => {
  for (const signal of ['metrics', 'logs'] as const) {
    const { proc, next } = create([{ key: 'k', action: 'insert', value: 1 }], signal);
    const req =
      signal === 'metrics'
        ? { resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'm' }] }] }] }
        : { resourceLogs: [{ scopeLogs: [{ logRecords: [{}] }] }] };
    await proc.consume({ signal, bytes: encodeRequest(signal, req), items: 1, context: {} });
    const out = decodeRequest(signal, next.payloads[0]!.bytes);
    const entry = signal === 'metrics' ? out.resourceMetrics[0] : out.resourceLogs[0];
    assert.deepEqual(entry.resource.attributes, [{ key: 'k', value: { intValue: '1' } }]);
  }
});

test('malformed bytes are refused for good, never thrown', async () => {
  const { proc, next } = create([{ key: 'k', action: 'insert', value: 1 }]);
  const r = await proc.consume({ signal: 'traces', bytes: Buffer.from([0x0a, 0x09, 0x01]), items: 1, context: {} });
  assert.ok(r.status === 'failure' && r.error instanceof TelegateError);
  assert.equal(r.error.code, 'TG_OTLP_MALFORMED');
  assert.equal(next.payloads.length, 0);
});

test('the downstream result is returned as it is', async () => {
  const { proc, next } = create([{ key: 'k', action: 'insert', value: 1 }]);
  next.result = { status: 'retryable', error: new Error('busy') };
  assert.equal((await proc.consume(payload())).status, 'retryable');
});
