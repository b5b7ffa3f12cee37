import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorMessage, toError } from './thrown.ts';

test('errorMessage reads an Error and stringifies anything else', () => {
  assert.equal(errorMessage(new TypeError('bad')), 'bad');
  assert.equal(errorMessage('plain'), 'plain');
  assert.equal(errorMessage(42), '42');
  assert.equal(errorMessage(undefined), 'undefined');
});

test('toError keeps an Error and wraps anything else', () => {
  const err = new RangeError('r');
  assert.equal(toError(err), err);
  const wrapped = toError({ toString: () => 'thing' });
  assert.ok(wrapped instanceof Error);
  assert.equal(wrapped.message, 'thing');
});
