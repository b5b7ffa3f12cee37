import { test } from 'node:test';
import assert from 'node:assert/strict';
import { convertValue } from './convert.ts';
import { clientIp } from './from-context.ts';
import { asString, fromRaw } from './value.ts';

test('fromRaw keeps the YAML type, as pcommon FromRaw', () => {
  assert.deepEqual(fromRaw('s'), { type: 'string', value: 's' });
  assert.deepEqual(fromRaw(7), { type: 'int', value: 7n });
  assert.deepEqual(fromRaw(7.5), { type: 'double', value: 7.5 });
  assert.deepEqual(fromRaw(false), { type: 'bool', value: false });
  assert.deepEqual(fromRaw(null), { type: 'empty' });
  assert.deepEqual(fromRaw(['a', 1]), {
    type: 'array',
    value: [
      { type: 'string', value: 'a' },
      { type: 'int', value: 1n },
    ],
  });
  assert.deepEqual(fromRaw({ k: true }), {
    type: 'kvlist',
    value: [{ key: 'k', value: { type: 'bool', value: true } }],
  });
  assert.equal(
    fromRaw(() => 1),
    '<Invalid value type function>',
  );
});

test('asString formats as Go AsString: ES6 numbers, base64 bytes, JSON with sorted keys', () => {
  const d = (value: number) => asString({ type: 'double', value });
  assert.deepEqual(
    [d(1.5), d(1e-7), d(1e21), d(123456789), d(-0), d(NaN), d(-Infinity)],
    ['1.5', '1e-7', '1e+21', '123456789', '-0', 'NaN', '-Infinity'],
  );
  assert.equal(asString({ type: 'int', value: -(2n ** 63n) }), '-9223372036854775808');
  assert.equal(asString({ type: 'bytes', value: Buffer.from('hi') }), 'aGk=');
  assert.equal(asString({ type: 'empty' }), '');
  const list = fromRaw([{ z: 1, a: [true, 'x<y'] }, null, 2.5]);
  assert.ok(typeof list !== 'string');
  assert.equal(asString(list), '[{"a":[true,"x<y"],"z":1},null,2.5]');
});

test('convert leaves values it cannot convert unchanged (undefined)', () => {
  assert.equal(convertValue('int', { type: 'string', value: '9223372036854775808' }), undefined);
  assert.equal(convertValue('int', { type: 'bytes', value: Buffer.alloc(1) }), undefined);
  assert.equal(convertValue('double', { type: 'string', value: 'abc' }), undefined);
  assert.equal(convertValue('double', { type: 'string', value: '1e400' }), undefined);
  assert.deepEqual(convertValue('double', { type: 'string', value: '-Inf' }), { type: 'double', value: -Infinity });
  assert.equal(convertValue('string', { type: 'string', value: 'x' }), undefined);
  assert.deepEqual(convertValue('string', { type: 'bool', value: true }), { type: 'string', value: 'true' });
});

test('clientIp drops the port, as Go clientutil.Address', () => {
  assert.equal(clientIp('10.0.0.1:4317'), '10.0.0.1');
  assert.equal(clientIp('[2001:db8::1]:4317'), '2001:db8::1');
  assert.equal(clientIp('::1'), '::1');
  assert.equal(clientIp('unix-socket'), 'unix-socket');
  assert.equal(clientIp(''), '');
});
