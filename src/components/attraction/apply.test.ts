import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { AnyValue, KeyValue } from '../../pdata/attributes.ts';
import type { RequestContext } from '../../contracts/payload.ts';
import { applyActions } from './apply.ts';
import { compileActions } from './compile.ts';
import { stripRaw } from './proto-model.test-helper.ts';
import type { ActionConfig } from './config.ts';
import { fromRaw } from './value.ts';

/** Attributes from a plain object, values read as config values are (FromRaw). */
function attrs(o: Record<string, unknown>): KeyValue[] {
  return Object.entries(o).map(([key, v]) => ({
    key,
    value: v instanceof Double ? { type: 'double', value: v.n } : (fromRaw(v) as AnyValue),
  }));
}

/** A double that is an integer (FromRaw would read a plain 1 as an int). */
class Double {
  readonly n: number;
  constructor(n: number) {
    this.n = n;
  }
}

function run(
  configs: ActionConfig[],
  input: Record<string, unknown>,
  ctx: RequestContext = {},
): { out: KeyValue[]; changed: boolean } {
  const compiled = compileActions(configs);
  assert.ok(compiled.ok, compiled.ok ? '' : compiled.errors.join('; '));
  const out = attrs(input);
  const changed = applyActions(compiled.actions, out, ctx);
  // A configured value comes encoded once (`raw`); compare what it means.
  return { out: stripRaw(out), changed };
}

/** Go's attraction_test cases, as [name, actions, input, expected]. */
const CASES: [string, ActionConfig[], Record<string, unknown>, Record<string, unknown>][] = [
  ['insert into empty', [{ key: 'attribute1', action: 'insert', value: 123 }], {}, { attribute1: 123 }],
  [
    'insert keeps existing',
    [{ key: 'attribute1', action: 'INSERT', value: 123 }],
    { attribute1: 'bob' },
    { attribute1: 'bob' },
  ],
  [
    'insert from attribute',
    [{ key: 'string key', action: 'insert', from_attribute: 'anotherkey' }],
    { anotherkey: 8892342 },
    { anotherkey: 8892342, 'string key': 8892342 },
  ],
  [
    'insert from missing attribute',
    [{ key: 'string key', action: 'insert', from_attribute: 'anotherkey' }],
    { bob: 1 },
    { bob: 1 },
  ],
  [
    'update existing',
    [{ key: 'db.secret', action: 'update', value: 'redacted' }],
    { 'db.secret': 'password1234' },
    { 'db.secret': 'redacted' },
  ],
  ['update missing key', [{ key: 'db.secret', action: 'update', value: 'redacted' }], { boo: 'foo' }, { boo: 'foo' }],
  [
    'update from attribute',
    [{ key: 'boo', action: 'update', from_attribute: 'foo' }],
    { foo: 'party', boo: 'not here' },
    { foo: 'party', boo: 'party' },
  ],
  [
    'upsert inserts',
    [{ key: 'region', action: 'upsert', value: 'planet-earth' }],
    { mission: 'to mars' },
    { mission: 'to mars', region: 'planet-earth' },
  ],
  [
    'upsert updates',
    [{ key: 'region', action: 'upsert', value: 'planet-earth' }],
    { region: 'solar system' },
    { region: 'planet-earth' },
  ],
  [
    'upsert a map value',
    [{ key: 'm', action: 'upsert', value: { a: [1, 2.5, true] } }],
    {},
    { m: { a: [1, 2.5, true] } },
  ],
  [
    'delete key and pattern',
    [{ key: 'duplicate_key', pattern: '^duplicate_key_.', action: 'delete' }],
    { duplicate_key_a: 1.5, duplicate_key_b: 1.5, duplicate_key: 1.5, original_key: 1.5, not_duplicate_key: 2.5 },
    { original_key: 1.5, not_duplicate_key: 2.5 },
  ],
  [
    'delete by pattern only',
    [{ pattern: 'duplicate.*', action: 'delete' }],
    { duplicate_key: 1.5, original_key: 1.5 },
    { original_key: 1.5 },
  ],
  [
    'extract named groups',
    [
      {
        key: 'user_key',
        pattern: '^\\/api\\/v1\\/document\\/(?P<new_user_key>.*)\\/update\\/(?P<version>.*)$',
        action: 'extract',
      },
    ],
    { user_key: '/api/v1/document/12345678/update/v1', new_user_key: '2321' },
    { user_key: '/api/v1/document/12345678/update/v1', new_user_key: '12345678', version: 'v1' },
  ],
  ['extract without a match', [{ key: 'k', pattern: '^(?P<a>x+)$', action: 'extract' }], { k: 'yyy' }, { k: 'yyy' }],
  ['extract from a non-string', [{ key: 'k', pattern: '^(?P<a>.*)$', action: 'extract' }], { k: 1234 }, { k: 1234 }],
  [
    'extract an optional group that did not match gives ""',
    [{ key: 'k', pattern: '^(?P<a>x)?(?P<b>y)$', action: 'extract' }],
    { k: 'y' },
    { k: 'y', a: '', b: 'y' },
  ],
  ['convert int to string', [{ key: 'k', action: 'convert', converted_type: 'string' }], { k: 123 }, { k: '123' }],
  ['convert string to int', [{ key: 'k', action: 'convert', converted_type: 'int' }], { k: '-42' }, { k: -42 }],
  [
    'convert bad string to int keeps it',
    [{ key: 'k', action: 'convert', converted_type: 'int' }],
    { k: '4.2' },
    { k: '4.2' },
  ],
  ['convert double to int truncates', [{ key: 'k', action: 'convert', converted_type: 'int' }], { k: -2.7 }, { k: -2 }],
  [
    'convert bool to double',
    [{ key: 'k', action: 'convert', converted_type: 'double' }],
    { k: true },
    { k: new Double(1) },
  ],
  [
    'convert string to double',
    [{ key: 'k', action: 'convert', converted_type: 'double' }],
    { k: '2.5e3' },
    { k: new Double(2500) },
  ],
  [
    'convert map to string is its JSON',
    [{ key: 'k', action: 'convert', converted_type: 'string' }],
    { k: { b: 1, a: 'x' } },
    { k: '{"a":"x","b":1}' },
  ],
];

for (const [name, configs, input, expected] of CASES) {
  test(`attraction: ${name}`, () => {
    const { out, changed } = run(configs, input);
    assert.deepEqual(out, attrs(expected));
    assert.equal(changed, !isDeepStrictEqual(out, attrs(input)));
  });
}

test('hash is the hex SHA-256 of the value bytes; the empty string and other types become ""', () => {
  const le = (write: (b: Buffer) => void): string => {
    const b = Buffer.alloc(8);
    write(b);
    return createHash('sha256').update(b).digest('hex');
  };
  const { out } = run([{ action: 'hash', pattern: '.' }], {
    s: 'hello',
    i: 24,
    d: 2.4,
    t: true,
    f: false,
    e: '',
    l: [1],
  });
  const byKey = Object.fromEntries(
    out.map((kv) => [kv.key, kv.value.type === 'string' ? kv.value.value : kv.value.type]),
  );
  assert.equal(byKey.s, '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
  assert.equal(
    byKey.i,
    le((b) => b.writeBigInt64LE(24n)),
  );
  assert.equal(
    byKey.d,
    le((b) => b.writeDoubleLE(2.4)),
  );
  assert.equal(
    byKey.t,
    createHash('sha256')
      .update(Buffer.from([1]))
      .digest('hex'),
  );
  assert.equal(
    byKey.f,
    createHash('sha256')
      .update(Buffer.from([0]))
      .digest('hex'),
  );
  assert.equal(byKey.e, '');
  assert.equal(byKey.l, '');
});

test('from_context reads metadata (joined with ;), auth and the client IP', () => {
  const ctx: RequestContext = {
    clientAddress: '192.0.2.7:55000',
    auth: { username: 'alice' },
    metadata: new Map([['x-tenant', ['a', 'b']]]),
  };
  const { out } = run(
    [
      { key: 'tenant', action: 'insert', from_context: 'metadata.X-Tenant' },
      { key: 'legacy', action: 'insert', from_context: 'x-tenant' },
      { key: 'user', action: 'insert', from_context: 'auth.username' },
      { key: 'ip', action: 'insert', from_context: 'client.address' },
      { key: 'none', action: 'insert', from_context: 'auth.nothing' },
      { key: 'none2', action: 'insert', from_context: 'metadata.absent' },
    ],
    {},
    ctx,
  );
  assert.deepEqual(out, attrs({ tenant: 'a;b', legacy: 'a;b', user: 'alice', ip: '192.0.2.7' }));
  assert.deepEqual(
    run([{ key: 'ip', action: 'insert', from_context: 'client.address' }], {}, { clientAddress: '[::1]:4317' }).out,
    attrs({ ip: '::1' }),
  );
});

test('a removal moves the last attribute into the freed slot, as pcommon.Map.Remove does', () => {
  const { out } = run([{ key: 'a', action: 'delete' }], { a: 1, b: 2, c: 3 });
  assert.deepEqual(
    out.map((kv) => kv.key),
    ['c', 'b'],
  );
});

test('an action that sets the value already there reports no change', () => {
  assert.equal(run([{ key: 'env', action: 'upsert', value: 'prod' }], { env: 'prod' }).changed, false);
  assert.equal(run([{ key: 'env', action: 'upsert', value: 'prod' }], { env: 'dev' }).changed, true);
  assert.equal(run([{ key: 'x', action: 'delete' }], { env: 'dev' }).changed, false);
});
