// Fan-out: every consumer gets the same payload object, so a batch's lazily concatenated bytes are
// made once for all of them; outcomes combine as Go's fanout does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConsumeResult } from '../contracts/consumer.ts';
import type { Payload } from '../contracts/payload.ts';
import { PartsPayload } from '../pdata/payload-bytes.ts';
import { countConcats } from '../../test/helpers/count-concats.ts';
import { FanoutConsumer, combineResults } from './fanout.ts';

test('fan-out hands the same payload to every consumer: its parts are concatenated once', async () => {
  const parts = [Buffer.from([0x0a, 0x01, 0x00]), Buffer.from([0x0a, 0x02, 0x00, 0x00])];
  const p = new PartsPayload('traces', parts, 7, 2, {});
  const seen: Payload[] = [];
  const bytes: Buffer[] = [];
  const reader = {
    consume: (q: Payload): Promise<ConsumeResult> => {
      seen.push(q);
      bytes.push(q.bytes);
      return Promise.resolve({ status: 'success' });
    },
  };
  const fan = new FanoutConsumer([reader, reader, reader]);
  assert.equal(await countConcats(() => fan.consume(p)), 1);
  assert.equal(seen.length, 3);
  assert.ok(seen.every((q) => q === p));
  assert.ok(bytes.every((b) => b === bytes[0]));
  assert.deepEqual(bytes[0], Buffer.concat(parts));
});

test('combineResults: a permanent failure wins, then the retryable with the longest delay', () => {
  const fail: ConsumeResult = { status: 'failure', error: new Error('x') };
  const r1: ConsumeResult = { status: 'retryable', error: new Error('a'), retryAfterMs: 10 };
  const r2: ConsumeResult = { status: 'retryable', error: new Error('b'), retryAfterMs: 30 };
  assert.equal(combineResults([r1, fail, r2]), fail);
  assert.equal(combineResults([r1, { status: 'success' }, r2]), r2);
  assert.deepEqual(combineResults([{ status: 'success', rejectedItems: 2 }, { status: 'success' }]), {
    status: 'success',
    rejectedItems: 2,
  });
});
