// The byte budget: reserve while it fits, a first-come-first-served line bounded in bytes, waits that end
// by admission, timeout or the client leaving, and every reservation returned.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteBudget, overBudgetMessage } from './byte-budget.ts';

test('reserves while the bytes fit and gives them back on release', () => {
  const b = new ByteBudget(100, 50);
  assert.equal(b.tryAcquire(60), true);
  assert.equal(b.tryAcquire(40), true);
  assert.equal(b.tryAcquire(1), false);
  assert.equal(b.heldBytes, 100);
  b.release(60);
  assert.equal(b.tryAcquire(50), true);
  b.release(40);
  b.release(50);
  assert.equal(b.heldBytes, 0);
});

test('one request larger than the whole limit passes alone, never stuck', () => {
  const b = new ByteBudget(100, 50);
  assert.equal(b.tryAcquire(500), true);
  assert.equal(b.tryAcquire(1), false);
  b.release(500);
  assert.equal(b.tryAcquire(10), true);
  assert.equal(b.tryAcquire(500), false);
});

test('a waiter is admitted when enough is released, in arrival order', async () => {
  const b = new ByteBudget(100, 100);
  assert.ok(b.tryAcquire(100));
  const order: string[] = [];
  const first = b.acquire(60, 60_000).then((o) => order.push(`a:${o}`));
  const second = b.acquire(30, 60_000).then((o) => order.push(`b:${o}`));
  assert.equal(b.waitingBytes, 90);
  // A newcomer that would fit does not overtake the line.
  assert.equal(b.tryAcquire(1), false);
  b.release(50);
  await Promise.resolve();
  assert.deepEqual(order, []);
  b.release(50);
  await Promise.all([first, second]);
  assert.deepEqual(order, ['a:admitted', 'b:admitted']);
  assert.equal(b.heldBytes, 90);
  assert.equal(b.waitingBytes, 0);
});

test('past waiting_limit a request is refused at once', async () => {
  const b = new ByteBudget(10, 20);
  assert.ok(b.tryAcquire(10));
  const waiting = b.acquire(15, 60_000);
  assert.equal(await b.acquire(10, 60_000), 'waiting-full');
  b.release(10);
  assert.equal(await waiting, 'admitted');
});

test('a wait ends with timeout or gone, and leaves the line', async () => {
  const b = new ByteBudget(10, 100);
  assert.ok(b.tryAcquire(10));
  assert.equal(await b.acquire(5, 1), 'timeout');
  const gone = new AbortController();
  const pending = b.acquire(5, 60_000, gone.signal);
  assert.equal(b.waitingBytes, 5);
  gone.abort();
  assert.equal(await pending, 'gone');
  assert.equal(b.waitingBytes, 0);
  assert.equal(await b.acquire(5, 0), 'timeout');
  assert.equal(await b.acquire(5, 10, gone.signal), 'gone');
  assert.equal(b.heldBytes, 10);
});

test('when the head of the line leaves, those behind it that fit are admitted', async () => {
  const b = new ByteBudget(100, 1000);
  assert.ok(b.tryAcquire(70));
  const big = new AbortController();
  const head = b.acquire(90, 60_000, big.signal);
  const small = b.acquire(20, 60_000);
  big.abort();
  assert.equal(await head, 'gone');
  assert.equal(await small, 'admitted');
  assert.equal(b.heldBytes, 90);
});

test('the refusal says which limit and that the data was not dropped', () => {
  const b = new ByteBudget(10, 10);
  assert.match(overBudgetMessage('waiting-full', b, 5), /waiting_limit_mib/);
  assert.match(overBudgetMessage('timeout', b, 5), /within 5 ms.*request_limit_mib.*not dropped/);
});
