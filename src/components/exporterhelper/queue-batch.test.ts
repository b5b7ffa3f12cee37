// sending_queue.batch: queued requests merged whole (bytes laid end to end) up to min_size / max_size,
// a short batch sent after flush_timeout or at shutdown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConsumeResult } from '../../contracts/consumer.ts';
import type { Payload } from '../../contracts/payload.ts';
import { defaultQueueConfig, type QueueBatchConfig } from '../../config/blocks/queue.ts';
import { QueueSender } from './queue-sender.ts';
import { mergePayloads } from './queue-batch.ts';

function payload(tag: string, items: number, context = {}): Payload {
  return { signal: 'traces', bytes: Buffer.from(tag), items, context };
}

const BATCH: QueueBatchConfig = { flush_timeout: 60_000, min_size: 10, max_size: 0, sizer: 'items' };

function sender(batch: Partial<QueueBatchConfig>, numConsumers = 1) {
  const sent: Payload[] = [];
  const waiters: (() => void)[] = [];
  const queue = new QueueSender(
    { ...defaultQueueConfig(), num_consumers: numConsumers, batch: { ...BATCH, ...batch } },
    (p) => {
      sent.push(p);
      for (const w of waiters.splice(0)) w();
      return Promise.resolve<ConsumeResult>({ status: 'success' });
    },
    1000,
  );
  const nextSend = (): Promise<void> => new Promise((resolve) => waiters.push(resolve));
  return { queue, sent, nextSend };
}

test('requests are merged whole once they reach min_size', async () => {
  const { queue, sent } = sender({});
  for (const [tag, items] of [
    ['a', 4],
    ['b', 4],
    ['c', 4],
  ] as const)
    await queue.offer(payload(tag, items));
  assert.deepEqual(
    sent.map((p) => [p.bytes.toString(), p.items]),
    [['abc', 12]],
  );
  await queue.drain(1000);
});

test('max_size: a request whose bytes cannot be cut is sent whole, alone', async () => {
  const { queue, sent } = sender({ min_size: 10, max_size: 10 });
  await queue.offer(payload('x', 1));
  for (const [tag, items] of [
    ['a', 4],
    ['b', 4],
    ['c', 4],
    ['d', 30],
  ] as const)
    await queue.offer(payload(tag, items));
  await queue.drain(1000);
  assert.deepEqual(
    sent.map((p) => p.bytes.toString()),
    ['xab', 'c', 'd'],
  );
});

test('a batch short of min_size goes after flush_timeout', async () => {
  const { queue, sent, nextSend } = sender({ flush_timeout: 20 });
  const sentOnce = nextSend();
  // The flush timer is unref'd (it must not keep a collector alive); this keeps the test's loop up.
  const keepAlive = setInterval(() => undefined, 1000);
  await queue.offer(payload('a', 1));
  await queue.offer(payload('b', 1));
  assert.equal(sent.length, 0);
  await sentOnce;
  clearInterval(keepAlive);
  assert.equal(sent[0]?.bytes.toString(), 'ab');
  await queue.drain(1000);
});

test('shutdown sends a short batch at once', async () => {
  const { queue, sent } = sender({});
  await queue.offer(payload('a', 1));
  const left = await queue.drain(1000);
  assert.equal(left.requests, 0);
  assert.equal(sent[0]?.bytes.toString(), 'a');
});

test('merging keeps parts and a shared context, and empties a mixed one', () => {
  const ctx = { clientAddress: '1.2.3.4:5' };
  const same = mergePayloads([
    { payload: payload('a', 1, ctx) },
    {
      payload: {
        signal: 'traces',
        bytes: Buffer.from('bc'),
        parts: [Buffer.from('b'), Buffer.from('c')],
        items: 2,
        context: ctx,
      },
    },
  ]);
  assert.equal(same.bytes.toString(), 'abc');
  assert.equal(same.context, ctx);
  const mixed = mergePayloads([{ payload: payload('a', 1, ctx) }, { payload: payload('b', 1, {}) }]);
  assert.deepEqual(mixed.context, {});
  assert.throws(() => mergePayloads([]));
});

test('merging keeps the deflate pieces, in order, only when every request has them', () => {
  const piece = (s: string) => ({ deflate: Buffer.from(`deflated ${s}`), crc: s.length, length: s.length });
  const withPieces = (s: string): Payload => ({ ...payload(s, 1), deflatePieces: [piece(s)] });
  const all = mergePayloads([{ payload: withPieces('a') }, { payload: withPieces('bb') }]);
  assert.deepEqual(all.deflatePieces, [piece('a'), piece('bb')]);
  const some = mergePayloads([
    { payload: withPieces('a') },
    { payload: payload('b', 1) },
    { payload: withPieces('c') },
  ]);
  assert.equal(some.deflatePieces, undefined);
});

test('with wait_for_result, each merged request is answered with its batch outcome (end-to-end ack)', async () => {
  const results: ConsumeResult[] = [{ status: 'success' }];
  const sent: Payload[] = [];
  const queue = new QueueSender(
    { ...defaultQueueConfig(), num_consumers: 1, wait_for_result: true, batch: { ...BATCH, min_size: 3 } },
    (p) => {
      sent.push(p);
      return Promise.resolve(results.shift() ?? { status: 'failure', error: new Error('refused downstream') });
    },
    1000,
  );
  const answers = await Promise.all(['a', 'b', 'c'].map((tag) => queue.offer(payload(tag, 1))));
  assert.deepEqual(
    answers.map((a) => a.status),
    ['success', 'success', 'success'],
  );
  const refused = await Promise.all(['d', 'e', 'f'].map((tag) => queue.offer(payload(tag, 1))));
  assert.deepEqual(
    refused.map((a) => a.status),
    ['failure', 'failure', 'failure'],
  );
  assert.deepEqual(
    sent.map((p) => p.bytes.toString()),
    ['abc', 'def'],
  );
  await queue.drain(1000);
});
