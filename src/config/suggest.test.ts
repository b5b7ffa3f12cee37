// "Did you mean": edit distance with transpositions, prefixes, and when to stay silent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closestMatch, didYouMean, editDistance, listSome } from './suggest.ts';

test('edit distance counts an adjacent transposition as one edit', () => {
  assert.equal(editDistance('grpc', 'grcp'), 1);
  assert.equal(editDistance('endpoint', 'endpont'), 1);
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(editDistance('', 'abc'), 3);
});

const cases: [word: string, candidates: string[], expected: string | undefined][] = [
  ['grcp', ['grpc', 'http'], 'grpc'],
  ['otlpp', ['otlp', 'otlphttp', 'debug'], 'otlp'],
  ['Batch', ['batch'], 'batch'],
  ['memory', ['memory_limiter', 'batch'], 'memory_limiter'], // prefix
  ['tracs', ['traces', 'metrics', 'logs'], 'traces'],
  ['zzzzzz', ['endpoint', 'tls'], undefined],
  ['x', ['y', 'tls'], undefined], // a one-letter word matches nothing by a single edit
  ['abc', [], undefined],
];
for (const [word, candidates, expected] of cases) {
  test(`closest to ${word} is ${String(expected)}`, () => {
    assert.equal(closestMatch(word, candidates), expected);
  });
}

test('didYouMean and listSome phrase suggestions for messages', () => {
  assert.equal(didYouMean('grcp', ['grpc']), '; did you mean `grpc`?');
  assert.equal(didYouMean('qqqq', ['grpc']), '');
  assert.equal(listSome(['c', 'a', 'b']), 'a, b, c');
  assert.equal(listSome(['e', 'd', 'c', 'b', 'a'], 3), 'a, b, c, … (5 in all)');
});
