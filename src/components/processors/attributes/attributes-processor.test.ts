import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { RecordingConsumer, testSettings } from '../../../../test/helpers/fakes.ts';
import { decodeRequest, encodeRequest } from '../../../../test/helpers/otlp-proto.ts';
import type { RequestContext } from '../../../contracts/payload.ts';
import type { Signal } from '../../../contracts/signal.ts';
import { TelegateError } from '../../../errors/catalogue.ts';
import type { AttributesConfig } from './config.ts';
import { attributesFactory } from './factory.ts';

type Obj = Record<string, any>;
const str = (key: string, v: string) => ({ key, value: { stringValue: v } });
const int = (key: string, v: number) => ({ key, value: { intValue: String(v) } });

async function run(signal: Signal, cfg: AttributesConfig, request: Obj, context: RequestContext = {}): Promise<Obj> {
  const next = new RecordingConsumer();
  const proc = attributesFactory.create(testSettings('processor', 'attributes'), cfg, signal, next);
  await proc.start({ getExtension: () => undefined });
  const r = await proc.consume({ signal, bytes: encodeRequest(signal, request), items: 1, context });
  assert.equal(r.status, 'success');
  await proc.shutdown();
  return decodeRequest(signal, next.payloads[0]!.bytes);
}

// ---- one row per action, on span attributes ----
const STMT = str('db.statement', 'SELECT 1');
const PATH = str('path', '/api/v1/users/42');
const CODE = int('code', 200);
const N = str('n', '7');
const SPAN_ATTRS: Obj[] = [STMT, PATH, CODE, N];
const hex = (s: string) => createHash('sha256').update(s).digest('hex');

const ACTIONS: [string, AttributesConfig['actions'], Obj[], RequestContext?][] = [
  ['insert a new key', [{ key: 'env', value: 'prod', action: 'insert' }], [...SPAN_ATTRS, str('env', 'prod')]],
  ['insert keeps an existing key', [{ key: 'code', value: 1, action: 'insert' }], SPAN_ATTRS],
  ['update an existing key', [{ key: 'code', value: 404, action: 'update' }], [STMT, PATH, int('code', 404), N]],
  ['update leaves a missing key absent', [{ key: 'x', value: 1, action: 'update' }], SPAN_ATTRS],
  [
    'upsert from another attribute',
    [{ key: 'copy', from_attribute: 'path', action: 'upsert' }],
    [...SPAN_ATTRS, str('copy', '/api/v1/users/42')],
  ],
  [
    'upsert from the authenticated user',
    [{ key: 'enduser.id', from_context: 'auth.username', action: 'upsert' }],
    [...SPAN_ATTRS, str('enduser.id', 'alice')],
    { auth: { username: 'alice' } },
  ],
  [
    'delete by key (the last attribute moves into its place)',
    [{ key: 'db.statement', action: 'delete' }],
    [N, PATH, CODE],
  ],
  ['delete by pattern', [{ pattern: '^(db|co)', action: 'delete' }], [N, PATH]],
  [
    'hash (SHA-256 hex)',
    [{ key: 'db.statement', action: 'hash' }],
    [str('db.statement', hex('SELECT 1')), ...SPAN_ATTRS.slice(1)],
  ],
  [
    'extract named groups',
    [{ key: 'path', pattern: '^/api/(?P<api_version>v\\d+)/users/(?P<user_id>\\d+)$', action: 'extract' }],
    [...SPAN_ATTRS, str('api_version', 'v1'), str('user_id', '42')],
  ],
  [
    'convert a string to int',
    [{ key: 'n', converted_type: 'int', action: 'convert' }],
    [...SPAN_ATTRS.slice(0, 3), int('n', 7)],
  ],
  [
    'convert an int to string',
    [{ key: 'code', converted_type: 'string', action: 'convert' }],
    [STMT, PATH, str('code', '200'), N],
  ],
  [
    'convert an int to double',
    [{ key: 'code', converted_type: 'double', action: 'convert' }],
    [STMT, PATH, { key: 'code', value: { doubleValue: 200 } }, N],
  ],
];

for (const [name, actions, expected, ctx] of ACTIONS) {
  test(`action: ${name}`, async () => {
    const out = await run(
      'traces',
      { actions },
      { resourceSpans: [{ scopeSpans: [{ spans: [{ name: 's', attributes: SPAN_ATTRS }] }] }] },
      ctx,
    );
    const span = out.resourceSpans[0].scopeSpans[0].spans[0];
    assert.equal(span.name, 's');
    assert.deepEqual(span.attributes, expected);
  });
}

test('a request no action changes is passed on as the same buffer', async () => {
  const next = new RecordingConsumer();
  const cfg = { actions: [{ key: 'absent', action: 'update', value: 'x' }] };
  const proc = attributesFactory.create(testSettings('processor', 'attributes'), cfg, 'traces', next);
  const bytes = encodeRequest('traces', {
    resourceSpans: [{ scopeSpans: [{ spans: [{ name: 's', attributes: SPAN_ATTRS }] }] }],
  });
  await proc.consume({ signal: 'traces', bytes, items: 1, context: {} });
  assert.equal(next.payloads[0]!.bytes, bytes);
});

test('malformed bytes are refused for good, never thrown; the downstream result is returned as it is', async () => {
  const next = new RecordingConsumer();
  const cfg = { actions: [{ key: 'k', action: 'insert', value: 1 }] };
  const proc = attributesFactory.create(testSettings('processor', 'attributes'), cfg, 'logs', next);
  const r = await proc.consume({ signal: 'logs', bytes: Buffer.from([0x0a, 0x09, 0x01]), items: 1, context: {} });
  assert.ok(r.status === 'failure' && r.error instanceof TelegateError);
  assert.equal(r.error.code, 'TG_OTLP_MALFORMED');
  assert.equal(next.payloads.length, 0);
  const bytes = encodeRequest('logs', { resourceLogs: [{ scopeLogs: [{ logRecords: [{}] }] }] });
  assert.equal((await proc.consume({ signal: 'logs', bytes, items: 1, context: {} })).status, 'success');
  assert.deepEqual(
    decodeRequest('logs', next.payloads[0]!.bytes).resourceLogs[0].scopeLogs[0].logRecords[0].attributes,
    [{ key: 'k', value: { intValue: '1' } }],
  );
  next.result = { status: 'retryable', error: new Error('busy') };
  assert.equal((await proc.consume({ signal: 'logs', bytes, items: 1, context: {} })).status, 'retryable');
});
