import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KeyValue } from '../../../pdata/attributes.ts';
import { createAttributesMatcher, matchAttributes } from './attribute-matcher.ts';

const attrs: KeyValue[] = [
  { key: 'list', value: { type: 'array', value: [{ type: 'int', value: 1n }] } },
  { key: 'map', value: { type: 'kvlist', value: [{ key: 'a', value: { type: 'bool', value: true } }] } },
  { key: 'bytes', value: { type: 'bytes', value: Buffer.from('hi') } },
  { key: 'none', value: { type: 'empty' } },
  { key: 'd', value: { type: 'double', value: 2.5 } },
  { key: 'b', value: { type: 'bool', value: false } },
];

/** [entry, match_type, matches attrs]: strict equality by type and value, lists and maps by content. */
const ROWS: [{ key: string; value?: unknown }, string, boolean][] = [
  [{ key: 'list', value: [1] }, 'strict', true],
  [{ key: 'list', value: [2] }, 'strict', false],
  [{ key: 'map', value: { a: true } }, 'strict', true],
  [{ key: 'map', value: { a: false } }, 'strict', false],
  [{ key: 'bytes', value: Buffer.from('hi') }, 'strict', true],
  [{ key: 'd', value: 2.5 }, 'strict', true],
  [{ key: 'd', value: 2 }, 'strict', false],
  [{ key: 'b', value: false }, 'strict', true],
  [{ key: 'b', value: 'false' }, 'regexp', true],
  [{ key: 'list', value: '.' }, 'regexp', false],
  [{ key: 'none' }, 'strict', true],
  [{ key: 'missing' }, 'strict', false],
];

for (const [entry, matchType, expected] of ROWS) {
  test(`attribute ${JSON.stringify(entry)} (${matchType}) ${expected ? 'matches' : 'does not match'}`, () => {
    const m = createAttributesMatcher([entry], matchType);
    assert.ok(typeof m !== 'string');
    assert.equal(matchAttributes(m, attrs), expected);
  });
}

test('an empty list never matches a non-empty matcher; an empty matcher matches all; bad values are refused', () => {
  const m = createAttributesMatcher([{ key: 'none' }], 'strict');
  assert.ok(typeof m !== 'string');
  assert.equal(matchAttributes(m, []), false);
  assert.equal(matchAttributes([], []), true);
  assert.equal(createAttributesMatcher([{ key: 'f', value: () => 1 }], 'strict'), '<Invalid value type function>');
  const bad = createAttributesMatcher([{ key: 'x', value: 'y' }], 'other');
  assert.ok(typeof bad === 'string');
  assert.match(bad, /unrecognized match_type: 'other'/);
});
