import { test } from 'node:test';
import assert from 'node:assert/strict';
import { QueryScheduler } from './query-scheduler.ts';

test('admits up to maxConcurrent queries, refuses (and counts) the next, and a release is idempotent', () => {
  const s = new QueryScheduler({ maxConcurrent: 2, sliceMs: 1 });
  const a = s.admit();
  const b = s.admit();
  assert.ok(a && b);
  assert.equal(s.admit(), undefined);
  assert.equal(s.refused, 1);
  a.release();
  a.release();
  assert.equal(s.active, 1);
  assert.ok(s.admit());
  assert.equal(s.active, 2);
});

test('queries take turns: each waits for its slice, in arrival order, one per loop turn', async () => {
  // A zero-length slice: every checkpoint waits for a turn, so the order of turns is observable.
  const s = new QueryScheduler({ maxConcurrent: 4, sliceMs: 0 });
  const order: string[] = [];
  const run = async (name: string): Promise<void> => {
    for (let i = 0; i < 3; i++) {
      const wait = s.checkpoint();
      assert.ok(wait !== undefined);
      await wait;
      order.push(`${name}${i}`);
    }
  };
  await Promise.all([run('a'), run('b'), run('c')]);
  assert.deepEqual(order, ['a0', 'b0', 'c0', 'a1', 'b1', 'c1', 'a2', 'b2', 'c2']);
});

test('within a slice a checkpoint lets the caller go on without waiting', async () => {
  const s = new QueryScheduler({ maxConcurrent: 1, sliceMs: 60_000 });
  await s.checkpoint();
  assert.equal(s.checkpoint(), undefined);
});
