// sending_queue.batch max_size: a request that would overflow a batch is cut (Go's MergeSplit), every span
// is sent exactly once, no batch passes max_size (items or bytes), each request answered once all its
// pieces were.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { ConsumeResult } from '../../contracts/consumer.ts';
import type { Payload } from '../../contracts/payload.ts';
import { defaultQueueConfig, type QueueBatchConfig } from '../../config/blocks/queue.ts';
import { payloadByteLength } from '../../pdata/payload-bytes.ts';
import { decodeRequest, encodeRequest } from '../../../test/helpers/otlp-proto.ts';
import { QueueSender } from './queue-sender.ts';
import { cutToFit } from './queue-split.ts';

/** A traces request: `shape[r][s]` spans in scope s of resource r, named `${tag}.${n}`. */
function request(tag: string, shape: readonly (readonly number[])[]): Payload {
  let n = 0;
  const resourceSpans = shape.map((scopes, r) => ({
    resource: { attributes: [{ key: 'service.name', value: { stringValue: `svc-${tag}-${r}` } }] },
    scopeSpans: scopes.map((count, s) => ({
      scope: { name: `scope-${s}` },
      spans: Array.from({ length: count }, () => ({
        traceId: Buffer.alloc(16, 1),
        spanId: Buffer.alloc(8, 2),
        name: `${tag}.${n++}`,
      })),
    })),
  }));
  return { signal: 'traces', bytes: encodeRequest('traces', { resourceSpans }), items: n, context: {} };
}

/** The span names of a payload, with their service (a cut must keep each span under its resource). */
function spans(p: Payload): string[] {
  const out: string[] = [];
  const req = decodeRequest('traces', p.bytes) as {
    resourceSpans?: {
      resource: { attributes: { value: { stringValue: string } }[] };
      scopeSpans?: { spans?: { name: string }[] }[];
    }[];
  };
  for (const rs of req.resourceSpans ?? []) {
    const service = rs.resource.attributes[0]?.value.stringValue ?? '';
    for (const ss of rs.scopeSpans ?? []) for (const s of ss.spans ?? []) out.push(`${service}/${s.name}`);
  }
  return out;
}

test('cutToFit by items: a first piece that fills the room, then pieces of max_size', () => {
  const p = request('a', [[5, 3], [4]]);
  const cut = cutToFit(p, 'items', 3, 5);
  assert.ok(cut !== undefined);
  assert.deepEqual(
    [cut.first, ...cut.rest].map((x) => x.items),
    [3, 5, 4],
  );
  assert.deepEqual([cut.first, ...cut.rest].flatMap(spans), spans(p));
  // Bytes that are not a request cannot be cut: undefined, and the caller sends them whole.
  assert.equal(cutToFit({ ...p, bytes: Buffer.from([0xff, 0xff]) }, 'items', 3, 5), undefined);
});

test('cutToFit by bytes: every piece within its bound, undefined when not one span fits the room', () => {
  const p = request('b', [[40], [25, 10]]);
  const cut = cutToFit(p, 'bytes', 300, 500);
  assert.ok(cut !== undefined);
  assert.ok(cut.first.bytes.length <= 300);
  for (const r of cut.rest) assert.ok(r.bytes.length <= 500, `${r.bytes.length} > 500`);
  assert.deepEqual([cut.first, ...cut.rest].flatMap(spans), spans(p));
  assert.equal(cutToFit(p, 'bytes', 10, 500), undefined);
});

const arbShape = fc.array(fc.array(fc.nat(6), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 });

test('property: through the queue, every span is sent exactly once and no batch passes max_size', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(arbShape, { minLength: 1, maxLength: 6 }),
      fc.constantFrom<'items' | 'bytes'>('items', 'bytes'),
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 0, max: 12 }),
      fc.integer({ min: 1, max: 2 }),
      async (shapes, sizer, maxUnits, minUnits, numConsumers) => {
        // In bytes a span is ~40 bytes, a resource and scope ~40 more: bound in units of 60 bytes.
        const unit = sizer === 'bytes' ? 60 : 1;
        const max = maxUnits * unit;
        const batch: QueueBatchConfig = {
          flush_timeout: 60_000,
          min_size: Math.min(minUnits * unit, max),
          max_size: max,
          sizer,
        };
        const sent: Payload[] = [];
        const queue = new QueueSender(
          { ...defaultQueueConfig(), num_consumers: numConsumers, batch, wait_for_result: true },
          (p) => {
            sent.push(p);
            return Promise.resolve<ConsumeResult>({ status: 'success' });
          },
          1000,
        );
        const offered = shapes.map((shape, i) => request(String(i), shape));
        const answers = Promise.all(offered.map((p) => queue.offer(p)));
        const left = await queue.drain(5000);
        assert.equal(left.requests, 0);
        assert.ok((await answers).every((a) => a.status === 'success'));
        assert.equal(queue.size, 0, 'every request released its room');
        assert.deepEqual(sent.flatMap(spans).sort(), offered.flatMap(spans).sort());
        for (const p of sent) {
          const size = sizer === 'items' ? spans(p).length : payloadByteLength(p);
          // Only what cannot be cut may go over, alone: a single span larger than max_size bytes, or one
          // offered request of resources and scopes with no span at all (its bytes are all envelope).
          const uncuttable =
            spans(p).length === 1 || (spans(p).length === 0 && offered.some((o) => o.bytes.equals(p.bytes)));
          assert.ok(size <= max || uncuttable, `batch of ${size} ${sizer} > ${max}`);
          assert.equal(p.items, spans(p).length, 'items counted right');
        }
      },
    ),
    { numRuns: 150 },
  );
});

test('a request larger than max_size fills the batch queued before it, then goes in max_size pieces', async () => {
  const sent: Payload[] = [];
  const answers: string[] = [];
  const queue = new QueueSender(
    {
      ...defaultQueueConfig(),
      num_consumers: 1,
      wait_for_result: true,
      batch: { flush_timeout: 60_000, min_size: 4, max_size: 4, sizer: 'items' },
    },
    (p) => {
      sent.push(p);
      return Promise.resolve<ConsumeResult>({ status: 'success' });
    },
    1000,
  );
  const small = queue.offer(request('s', [[1]])).then(() => answers.push('small'));
  const big = queue.offer(request('b', [[6, 4]])).then(() => answers.push('big'));
  // The last piece (3 < min_size) waits for more data, or flush_timeout, or shutdown: as Go's.
  await small;
  assert.deepEqual(answers, ['small']);
  await queue.drain(1000);
  await big;
  assert.deepEqual(
    sent.map((p) => p.items),
    [4, 4, 3],
  );
  assert.deepEqual(spans(sent[0] as Payload), ['svc-s-0/s.0', 'svc-b-0/b.0', 'svc-b-0/b.1', 'svc-b-0/b.2']);
  // The big request is answered once its last piece was sent, after the small one.
  assert.deepEqual(answers, ['small', 'big']);
});

test('a request is answered with the worst outcome of its pieces', async () => {
  const outcomes: ConsumeResult[] = [
    { status: 'success' },
    { status: 'failure', error: new Error('refused') },
    { status: 'success' },
  ];
  const queue = new QueueSender(
    {
      ...defaultQueueConfig(),
      num_consumers: 1,
      wait_for_result: true,
      batch: { flush_timeout: 60_000, min_size: 2, max_size: 2, sizer: 'items' },
    },
    () => Promise.resolve(outcomes.shift() ?? { status: 'success' }),
    1000,
  );
  const answer = await queue.offer(request('w', [[6]]));
  assert.equal(answer.status, 'failure');
  assert.equal(outcomes.length, 0, 'all three pieces were sent');
  await queue.drain(1000);
});
