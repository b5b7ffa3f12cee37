import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pacer } from './pacer.ts';

test('batches are due at the rate from the start, however late the worker was (no drift)', () => {
  let now = 0n;
  const pacer = new Pacer(1000, () => now);
  // 100 items at 1000/s: the middle of the first 100 ms.
  assert.equal(pacer.delayMs(100), 50);
  pacer.take(100);
  now = 400_000_000n; // the worker was 250 ms late: the next batches are due at once
  assert.equal(pacer.delayMs(100), 0);
  pacer.take(100);
  pacer.take(100);
  pacer.take(100);
  assert.equal(pacer.delayMs(100), 50, 'the 5th batch is due at 450 ms, as if nothing had been late');
});

test('rate 0 is unthrottled', () => {
  const pacer = new Pacer(0, () => 0n);
  pacer.take(1e9);
  assert.equal(pacer.delayMs(1000), 0);
});
