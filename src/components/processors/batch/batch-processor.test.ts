import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countConcats } from '../../../../test/helpers/count-concats.ts';
import { RecordingConsumer, testSettings } from '../../../../test/helpers/fakes.ts';
import { decodeRequest, encodeRequest } from '../../../../test/helpers/otlp-proto.ts';
import type { ConsumeResult } from '../../../contracts/consumer.ts';
import type { Payload, RequestContext } from '../../../contracts/payload.ts';
import { EMPTY_CONTEXT } from '../../../contracts/payload.ts';
import { TelegateError } from '../../../errors/catalogue.ts';
import { PartsPayload } from '../../../pdata/payload-bytes.ts';
import { BatchProcessor } from './batch-processor.ts';
import type { BatchConfig } from './config.ts';

const L = { processor: 'batch' };
const LONG = 60_000;

function config(over: Partial<BatchConfig>): BatchConfig {
  return {
    timeout: 200,
    send_batch_size: 8192,
    send_batch_max_size: 0,
    metadata_keys: [],
    metadata_cardinality_limit: 1000,
    ...over,
  };
}

let spanNo = 0;
/** A traces payload of `n` spans named s<k>, k counting up across calls. */
function spans(n: number, context: RequestContext = EMPTY_CONTEXT): Payload {
  const list = Array.from({ length: n }, () => ({ name: `s${spanNo++}` }));
  const bytes = encodeRequest('traces', {
    resourceSpans: [
      { resource: { attributes: [{ key: 'r', value: { stringValue: 'x' } }] }, scopeSpans: [{ spans: list }] },
    ],
  });
  return { signal: 'traces', bytes, items: n, context };
}

function names(p: Payload): string[] {
  const out: string[] = [];
  for (const rs of decodeRequest('traces', p.bytes).resourceSpans) {
    for (const ss of rs.scopeSpans) for (const s of ss.spans) out.push(s.name as string);
  }
  return out;
}

/** Rejects if `p` has not settled within `ms` (a bound for waiting on events, not a timing assertion). */
function within<T>(p: Promise<T>, ms = 5_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const fail = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`not within ${ms} ms`));
    }, ms);
  });
  return Promise.race([p, fail]).finally(() => {
    clearTimeout(timer);
  });
}

/** The error code of a refused result. */
function codeOf(r: ConsumeResult): string | undefined {
  return r.status !== 'success' && r.error instanceof TelegateError ? r.error.code : undefined;
}

function setup(over: Partial<BatchConfig>) {
  const settings = testSettings('processor', 'batch');
  const next = new RecordingConsumer();
  const proc = new BatchProcessor(settings, config(over), 'traces', next);
  return { proc, next, telemetry: settings.telemetry, logger: settings.logger };
}

test('sends a batch when send_batch_size items are pending, as one concatenated request', async () => {
  const { proc, next, telemetry } = setup({ send_batch_size: 10, timeout: LONG });
  const inputs = [spans(3), spans(3), spans(3)];
  for (const p of inputs) assert.equal((await proc.consume(p)).status, 'success');
  assert.equal(next.payloads.length, 0);
  const last = spans(3);
  await proc.consume(last);
  await within(next.waitForItems(12));
  assert.equal(next.payloads.length, 1);
  assert.deepEqual(names(next.payloads[0]!), [...inputs, last].flatMap(names));
  assert.equal(telemetry.get('otelcol_processor_batch_batch_size_trigger_send', L), 1);
  assert.equal(telemetry.values.get('otelcol_processor_batch_batch_send_size{processor=batch}:sum'), 12);
  assert.equal(
    telemetry.values.get('otelcol_processor_batch_batch_send_size_bytes{processor=batch}:sum'),
    next.payloads[0]!.bytes.length,
  );
  await proc.shutdown();
});

test('sends what is pending once the timeout has passed since the first item', async () => {
  const { proc, next, telemetry } = setup({ send_batch_size: 1000, timeout: 20 });
  await proc.consume(spans(2));
  await proc.consume(spans(3));
  await within(next.waitForItems(5));
  assert.equal(next.payloads.length, 1);
  assert.equal(telemetry.get('otelcol_processor_batch_timeout_trigger_send', L), 1);
  assert.equal(telemetry.get('otelcol_processor_batch_batch_size_trigger_send', L), 0);
  await proc.shutdown();
});

test('send_batch_max_size splits a batch; a remainder below send_batch_size waits', async () => {
  const { proc, next } = setup({ send_batch_size: 4, send_batch_max_size: 4, timeout: LONG });
  const input = spans(10);
  await proc.consume(input);
  await within(next.waitForItems(8));
  assert.deepEqual(
    next.payloads.map((p) => p.items),
    [4, 4],
  );
  await proc.shutdown();
  assert.deepEqual(
    next.payloads.map((p) => p.items),
    [4, 4, 2],
  );
  assert.deepEqual(next.payloads.flatMap(names), names(input));
});

test('a batch of several requests goes downstream as their own Buffers, not concatenated', async () => {
  const { proc, next, telemetry } = setup({ send_batch_size: 9, timeout: LONG });
  const inputs = [spans(3), spans(3), spans(3)];
  const concats = await countConcats(async () => {
    for (const p of inputs) await proc.consume(p);
    await within(next.waitForItems(9));
  });
  assert.equal(concats, 0);
  const batch = next.payloads[0]!;
  assert.equal(batch.parts?.length, 3);
  inputs.forEach((p, i) => {
    assert.equal(batch.parts?.[i], p.bytes, 'the very Buffer the request brought');
  });
  const total = inputs.reduce((n, p) => n + p.bytes.length, 0);
  assert.equal(telemetry.values.get('otelcol_processor_batch_batch_send_size_bytes{processor=batch}:sum'), total);
  assert.deepEqual(batch.bytes, Buffer.concat(inputs.map((p) => p.bytes)));
  assert.deepEqual(names(batch), inputs.flatMap(names));
  await proc.shutdown();
});

test('a payload of parts (from an upstream batch) is batched part by part, without concatenating', async () => {
  const { proc, next } = setup({ send_batch_size: 6, timeout: LONG });
  const a = spans(2);
  const b = spans(2);
  const c = spans(2);
  const upstream = new PartsPayload('traces', [a.bytes, b.bytes], a.bytes.length + b.bytes.length, 4, EMPTY_CONTEXT);
  const concats = await countConcats(async () => {
    await proc.consume(upstream);
    await proc.consume(c);
    await within(next.waitForItems(6));
  });
  assert.equal(concats, 0);
  assert.deepEqual(next.payloads[0]!.parts, [a.bytes, b.bytes, c.bytes]);
  await proc.shutdown();
});

test('requests pending together are concatenated, then split by send_batch_max_size', async () => {
  const { proc, next } = setup({ send_batch_size: 4, send_batch_max_size: 5, timeout: LONG });
  const inputs = [spans(3), spans(3)];
  for (const p of inputs) await proc.consume(p);
  await within(next.waitForItems(5));
  await proc.shutdown();
  assert.deepEqual(
    next.payloads.map((p) => p.items),
    [5, 1],
  );
  assert.deepEqual(next.payloads.flatMap(names), inputs.flatMap(names));
});

test('timeout 0 sends every request at once, split by send_batch_max_size', async () => {
  const { proc, next } = setup({ send_batch_size: 100, send_batch_max_size: 3, timeout: 0 });
  await proc.consume(spans(7));
  await within(next.waitForItems(7));
  assert.deepEqual(
    next.payloads.map((p) => p.items),
    [3, 3, 1],
  );
  await proc.shutdown();
});

test('metadata_keys keeps one batch per combination, carrying those values', async () => {
  const { proc, next, telemetry } = setup({ send_batch_size: 1000, timeout: 20, metadata_keys: ['Tenant'] });
  const ctx = (t: string): RequestContext => ({
    metadata: new Map([
      ['tenant', [t]],
      ['other', ['z']],
    ]),
    auth: { username: t },
  });
  await proc.consume(spans(1, ctx('a')));
  await proc.consume(spans(2, ctx('b')));
  await proc.consume(spans(3, ctx('a')));
  await proc.consume(spans(4, EMPTY_CONTEXT));
  assert.equal(telemetry.get('otelcol_processor_batch_metadata_cardinality', L), 3);
  await within(next.waitForItems(10));
  const byTenant = new Map(next.payloads.map((p) => [p.context.metadata?.get('tenant')?.[0] ?? '-', p]));
  assert.deepEqual([...byTenant.keys()].sort(), ['-', 'a', 'b']);
  assert.equal(byTenant.get('a')!.items, 4);
  assert.equal(byTenant.get('b')!.items, 2);
  // Only the listed keys travel with the batch.
  assert.deepEqual([...byTenant.get('a')!.context.metadata!.keys()], ['tenant']);
  assert.equal(byTenant.get('a')!.context.auth, undefined);
  await proc.shutdown();
});

test('a combination beyond metadata_cardinality_limit is refused with a retryable error', async () => {
  const { proc, telemetry } = setup({ timeout: LONG, metadata_keys: ['tenant'], metadata_cardinality_limit: 1 });
  const ctx = (t: string): RequestContext => ({ metadata: new Map([['tenant', [t]]]) });
  assert.equal((await proc.consume(spans(1, ctx('a')))).status, 'success');
  const r = await proc.consume(spans(2, ctx('b')));
  assert.equal(r.status, 'retryable');
  assert.equal(codeOf(r), 'TG_PIPELINE_BUSY');
  assert.equal(telemetry.get('telegate_processor_batch_refused_items', { ...L, reason: 'cardinality' }), 2);
  await proc.shutdown();
});

test('a batch keeps the request context its inputs share, and none when they differ', async () => {
  const { proc, next } = setup({ send_batch_size: 4, timeout: LONG });
  const shared: RequestContext = { auth: { username: 'alice' } };
  await proc.consume(spans(2, shared));
  await proc.consume(spans(2, shared));
  await proc.consume(spans(2, shared));
  await proc.consume(spans(2, { auth: { username: 'bob' } }));
  await within(next.waitForItems(8));
  assert.deepEqual(
    next.payloads.map((p) => p.context),
    [shared, EMPTY_CONTEXT],
  );
  await proc.shutdown();
});

test('while the downstream refuses, data is retried and, past a bound, new data is refused', async () => {
  const { proc, next, telemetry } = setup({ send_batch_size: 2, timeout: 0 });
  next.result = { status: 'retryable', error: new Error('busy'), retryAfterMs: 10 };
  let accepted = 0;
  let refused: ConsumeResult | undefined;
  for (let i = 0; i < 50 && refused === undefined; i++) {
    const r = await proc.consume(spans(1));
    if (r.status === 'success') accepted++;
    else refused = r;
  }
  assert.equal(refused?.status, 'retryable');
  assert.ok(accepted >= 1 && accepted <= 8, `accepted ${accepted}`);
  assert.equal(telemetry.get('telegate_processor_batch_refused_items', { ...L, reason: 'backpressure' }), 1);
  next.result = { status: 'success' };
  await within(next.waitForItems(accepted));
  assert.equal((await proc.consume(spans(1))).status, 'success');
  await proc.shutdown();
  assert.equal(next.items(), accepted + 1);
  assert.equal(telemetry.get('telegate_processor_batch_dropped_items', L), 0);
});

test('a permanent failure drops the batch, counts it and logs once, the rest summarised at shutdown', async () => {
  const { proc, next, telemetry, logger } = setup({ timeout: 0 });
  next.result = { status: 'failure', error: new Error('rejected by peer') };
  await proc.consume(spans(3));
  await proc.consume(spans(2));
  await proc.consume(spans(4));
  await proc.shutdown();
  assert.equal(telemetry.get('telegate_processor_batch_dropped_items', L), 9);
  const warns = logger.lines.filter((l) => l.level === 'warn');
  assert.deepEqual(
    warns.map((w) => w.fields),
    [
      { error: 'rejected by peer', dropped_items: 3, failed_batches: 1 },
      { error: 'rejected by peer', dropped_items: 6, failed_batches: 2, suppressed_since_last: 1 },
    ],
  );
  assert.equal(telemetry.get('otelcol_processor_batch_batch_size_trigger_send', L), 0);
});

test('shutdown flushes everything pending, waits for it, then refuses new data', async () => {
  const { proc, next, telemetry } = setup({ send_batch_size: 1000, timeout: LONG });
  await proc.consume(spans(3));
  await proc.consume(spans(4));
  await within(proc.shutdown());
  assert.equal(next.items(), 7);
  assert.equal(telemetry.get('otelcol_processor_batch_timeout_trigger_send', L), 1);
  const r = await proc.consume(spans(1));
  assert.equal(codeOf(r), 'TG_SHUTTING_DOWN');
  await proc.shutdown();
});

test('shutdown does not wait on a downstream that keeps refusing: the data is dropped and counted', async () => {
  const { proc, next, telemetry } = setup({ timeout: 0 });
  next.result = { status: 'retryable', error: new Error('busy'), retryAfterMs: 20_000 };
  await proc.consume(spans(2));
  await within(proc.shutdown());
  assert.equal(telemetry.get('telegate_processor_batch_dropped_items', L), 2);
});

test('requests without items are dropped, as Go does; shutdown before start is safe', async () => {
  const { proc, next } = setup({ timeout: 0 });
  await proc.shutdown();
  const fresh = setup({ timeout: 0 });
  const empty = encodeRequest('traces', { resourceSpans: [{ schemaUrl: 'x' }] });
  assert.equal(
    (await fresh.proc.consume({ signal: 'traces', bytes: empty, items: 0, context: EMPTY_CONTEXT })).status,
    'success',
  );
  await fresh.proc.shutdown();
  assert.equal(fresh.next.payloads.length + next.payloads.length, 0);
});

test('room: none while the data held is at its bound, back (and announced) once a batch is sent', async () => {
  const { proc, next } = setup({ send_batch_size: 2, timeout: 0 });
  next.result = { status: 'retryable', error: new Error('busy'), retryAfterMs: 60_000 };
  assert.equal(proc.room.hasRoom(), true);
  for (let i = 0; i < 50 && proc.room.hasRoom(); i++) await proc.consume(spans(1));
  assert.equal(proc.room.hasRoom(), false, 'full: a receiver would wait now');
  const announced = new Promise<void>((resolve) => {
    const off = proc.room.onRoom(() => {
      off();
      resolve();
    });
  });
  next.result = { status: 'success' };
  // The shard waits 60 s to retry; shutdown wakes it, the batches go, and room comes back.
  const stopped = proc.shutdown();
  await within(announced);
  assert.equal(proc.room.hasRoom(), true);
  await stopped;
});

test('a batch refused by a full downstream is retried as soon as the downstream announces room', async () => {
  const settings = testSettings('processor', 'batch');
  const next = new RecordingConsumer();
  let open = false;
  const { RoomSignal } = await import('../../../util/room-signal.ts');
  const room = new RoomSignal(() => open);
  const downstream = { consume: (p: Payload) => next.consume(p), room };
  const proc = new BatchProcessor(settings, config({ send_batch_size: 1, timeout: 0 }), 'traces', downstream);
  next.result = { status: 'retryable', error: new Error('queue full'), retryAfterMs: 60_000 };
  assert.equal((await proc.consume(spans(1))).status, 'success');
  // One turn of the event loop: the batch is sent, refused, and its retry wait begins.
  await new Promise(setImmediate);
  next.result = { status: 'success' };
  open = true;
  room.notify();
  // Without the room signal this would wait the advised 60 s.
  await within(next.waitForItems(1));
  await proc.shutdown();
});
