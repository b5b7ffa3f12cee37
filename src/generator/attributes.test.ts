import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage } from '../pdata/decode.ts';
import { keyValue, parseKeyValue } from './attributes.ts';

test('key=value as telemetrygen parses it', () => {
  const cases: [string, [string, unknown]][] = [
    ['a="x=y"', ['a', 'x=y']],
    ['b=true', ['b', true]],
    ['c=-42', ['c', -42]],
    ['d=[1, 2, 3]', ['d', [1, 2, 3]]],
    ['e=["x", "y, z"]', ['e', ['x', 'y, z']]],
  ];
  for (const [text, expected] of cases) assert.deepEqual(parseKeyValue(text), expected, text);
  assert.throws(() => parseKeyValue('novalue'), /formats/);
  assert.throws(() => parseKeyValue('k=[]'), /slice should not be empty/);
});

test('values encode as OTLP AnyValues, negative ints in two’s complement', () => {
  const decode = (key: string, v: Parameters<typeof keyValue>[1]): unknown =>
    decodeMessage('KeyValue', keyValue(key, v).finish())['value'];
  assert.deepEqual(decode('s', 'x'), { stringValue: 'x' });
  assert.deepEqual(decode('b', false), { boolValue: false });
  assert.deepEqual(decode('i', -5), { intValue: '-5' });
  assert.deepEqual(decode('i', 7), { intValue: '7' });
  assert.deepEqual(decode('d', 2.5), { doubleValue: 2.5 });
  assert.deepEqual(decode('a', ['p', 'q']), { arrayValue: { values: [{ stringValue: 'p' }, { stringValue: 'q' }] } });
});
