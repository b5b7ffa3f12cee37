// The sending queue backed by a file_storage extension: stored before the answer, replayed after a
// restart, acknowledged once delivered, kept (not dropped) when shutdown cannot deliver; and the
// shutdown total of an in-memory queue whose destination is down.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConsumeResult } from '../../contracts/consumer.ts';
import type { Payload } from '../../contracts/payload.ts';
import { defaultQueueConfig, type QueueConfig } from '../../config/blocks/queue.ts';
import { defaultRetryConfig } from '../../config/blocks/retry.ts';
import { testHost, testSettings } from '../../../test/helpers/fakes.ts';
import { fileStorageFactory } from '../extensions/file_storage/factory.ts';
import { FileStorageConfigSchema, type FileStorageConfig } from '../extensions/file_storage/config.ts';
import { retryableResult } from './export-error.ts';
import { ExporterHelper } from './exporter-helper.ts';
import { Value } from 'typebox/value';
import { decodeRequest, encodeRequest } from '../../../test/helpers/otlp-proto.ts';

const RETRY = { ...defaultRetryConfig(), initial_interval: 1, max_interval: 2, max_elapsed_time: 50 };

function storageConfig(directory: string): FileStorageConfig {
  const cfg = Value.Default(FileStorageConfigSchema, { directory }) as FileStorageConfig;
  return { ...cfg, timeout: 1000, compaction: { ...cfg.compaction, check_interval: 5000 } };
}

function payload(tag: number, items = 2): Payload {
  return { signal: 'traces', bytes: Buffer.from(`req-${tag}`), items, context: {} };
}

/** A destination that is up or down (or up for its next `upFor` sends), recording what it accepted. */
class Destination {
  up = true;
  upFor = Infinity;
  attempts = 0;
  readonly got: string[] = [];
  readonly push = (p: Payload): Promise<ConsumeResult> => {
    this.attempts++;
    if (!this.up || this.upFor-- <= 0) return Promise.resolve(retryableResult('connection refused', 'Unavailable'));
    this.got.push(p.bytes.toString('latin1'));
    return Promise.resolve({ status: 'success' });
  };
}

async function edge(dir: string, dest: Destination, queue: Partial<QueueConfig> = {}, retry = RETRY) {
  const storage = fileStorageFactory.create(testSettings('extension', 'file_storage/q'), storageConfig(dir));
  await storage.start(testHost());
  const settings = testSettings('exporter', 'otlp/x');
  const helper = new ExporterHelper(settings, {
    signal: 'traces',
    push: dest.push,
    timeoutMs: 0,
    retry,
    queue: { ...defaultQueueConfig(), num_consumers: 1, storage: 'file_storage/q', ...queue },
    shutdownTimeoutMs: 2000,
  });
  await helper.start(testHost({ 'file_storage/q': storage }));
  const stop = async (): Promise<void> => {
    await helper.shutdown();
    await storage.shutdown();
  };
  return { helper, settings, stop };
}

test('data accepted while the destination is down is delivered after a restart, in order', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'telegate-pq-'));
  const dest = new Destination();
  dest.up = false;
  const first = await edge(dir, dest);
  for (let i = 0; i < 5; i++) assert.equal((await first.helper.consume(payload(i))).status, 'success');
  await first.stop();
  const kept = first.settings.logger.lines.find((l) => l.msg.startsWith('Shutdown: data not yet delivered stays'));
  assert.ok(kept, 'shutdown says what stays queued');
  assert.equal(
    first.settings.telemetry.get('otelcol_exporter_send_failed_spans', {
      exporter: 'otlp/x',
      'error.type': 'Shutdown',
      'error.permanent': 'false',
    }),
    0,
  );
  dest.up = true;
  const second = await edge(dir, dest);
  const labels = { exporter: 'otlp/x', data_type: 'traces' };
  assert.equal(second.settings.telemetry.get('telegate_exporter_queue_replayed_requests', labels), 5);
  await second.stop();
  assert.deepEqual(dest.got, ['req-0', 'req-1', 'req-2', 'req-3', 'req-4']);
  const third = await edge(dir, dest);
  assert.equal(third.settings.telemetry.get('telegate_exporter_queue_replayed_requests', labels), 0);
  await third.stop();
  assert.equal(dest.got.length, 5, 'delivered records are not replayed again');
});

test('a request that exhausts its retries outside shutdown is dropped, counted and not replayed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'telegate-pq-'));
  const dest = new Destination();
  dest.up = false;
  const first = await edge(dir, dest);
  await first.helper.consume(payload(1, 3));
  for (
    let i = 0;
    i < 200 &&
    first.settings.telemetry.get('otelcol_exporter_send_failed_spans', {
      exporter: 'otlp/x',
      'error.type': 'Unavailable',
      'error.permanent': 'false',
    }) === 0;
    i++
  ) {
    await new Promise((r) => setTimeout(r, 10));
  }
  await first.stop();
  dest.up = true;
  const second = await edge(dir, dest);
  await second.stop();
  assert.deepEqual(dest.got, []);
});

test('the queue refuses (retryable) when the storage cannot write, and keeps serving', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'telegate-pq-'));
  const dest = new Destination();
  const e = await edge(dir, dest);
  const queueDir = join(dir, 'exporter_otlp~002Fx_traces');
  chmodSync(queueDir, 0o500);
  try {
    // The first append opens a new segment in the (now read-only) directory.
    const r = await e.helper.consume(payload(1));
    if (process.getuid?.() !== 0) {
      assert.ok(r.status === 'retryable');
      assert.match(r.error.message, /could not store the data/);
    }
  } finally {
    chmodSync(queueDir, 0o750);
  }
  assert.equal((await e.helper.consume(payload(2))).status, 'success');
  await e.stop();
});

test('start fails clearly when sending_queue.storage names no storage extension', async () => {
  const settings = testSettings('exporter', 'otlp/x');
  const helper = new ExporterHelper(settings, {
    signal: 'traces',
    push: () => Promise.resolve({ status: 'success' }),
    timeoutMs: 0,
    retry: RETRY,
    queue: { ...defaultQueueConfig(), storage: 'file_storage/missing' },
  });
  await assert.rejects(helper.start(testHost()), /sending_queue\.storage: file_storage\/missing is not a configured/);
  await assert.rejects(
    helper.start(
      testHost({ 'file_storage/missing': { start: () => Promise.resolve(), shutdown: () => Promise.resolve() } }),
    ),
    /is not a storage extension/,
  );
  await helper.shutdown();
});

test('in memory: shutdown logs one total of what it could not deliver, failures during the drain included', async () => {
  const dest = new Destination();
  dest.up = false;
  const settings = testSettings('exporter', 'otlp/x');
  const helper = new ExporterHelper(settings, {
    signal: 'traces',
    push: dest.push,
    timeoutMs: 0,
    retry: { ...RETRY, max_elapsed_time: 0, initial_interval: 60_000, max_interval: 60_000 },
    queue: { ...defaultQueueConfig(), num_consumers: 2 },
    shutdownTimeoutMs: 2000,
  });
  for (let i = 0; i < 6; i++) await helper.consume(payload(i));
  await helper.shutdown();
  const line = settings.logger.lines.find((l) => l.msg.startsWith('Shutdown: dropping data'));
  assert.equal(line?.level, 'error');
  assert.equal(line.fields.dropped_items, 12);
  assert.equal(line.fields.failed_while_draining_items, 12);
});

test('with sending_queue.batch, merged requests are each acknowledged once the batch is delivered', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'telegate-pq-'));
  const dest = new Destination();
  const batch = { flush_timeout: 60_000, min_size: 6, max_size: 0, sizer: 'items' as const };
  const first = await edge(dir, dest, { batch });
  for (let i = 0; i < 3; i++) await first.helper.consume(payload(i));
  assert.deepEqual(dest.got, ['req-0req-1req-2']);
  await first.stop();
  const second = await edge(dir, dest, { batch });
  await second.stop();
  assert.equal(dest.got.length, 1, 'nothing replayed');
});

/** A traces request of `n` spans named `${tag}.${i}`. */
function spansRequest(tag: string, n: number): Payload {
  const spans = Array.from({ length: n }, (_, i) => ({
    traceId: Buffer.alloc(16, 1),
    spanId: Buffer.alloc(8, 2),
    name: `${tag}.${i}`,
  }));
  const bytes = encodeRequest('traces', { resourceSpans: [{ scopeSpans: [{ spans }] }] });
  return { signal: 'traces', bytes, items: n, context: {} };
}

function spanNames(sent: readonly string[]): string[] {
  return sent.flatMap((b) => {
    const req = decodeRequest('traces', Buffer.from(b, 'latin1')) as {
      resourceSpans: { scopeSpans: { spans: { name: string }[] }[] }[];
    };
    return req.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans.map((x) => x.name)));
  });
}

test('with sending_queue.batch max_size, a cut request is acknowledged only once every piece was delivered', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'telegate-pq-'));
  const dest = new Destination();
  const batch = { flush_timeout: 60_000, min_size: 4, max_size: 4, sizer: 'items' as const };
  // Retries every minute, forever: the second piece is still being retried when shutdown comes.
  const slow = { ...RETRY, max_elapsed_time: 0, initial_interval: 60_000, max_interval: 60_000 };
  dest.upFor = 1;
  const first = await edge(dir, dest, { batch }, slow);
  assert.equal((await first.helper.consume(spansRequest('r', 10))).status, 'success');
  for (let i = 0; i < 200 && dest.attempts < 2; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(dest.attempts, 2, 'first piece delivered, second refused');
  await first.stop();
  assert.deepEqual(spanNames(dest.got), ['r.0', 'r.1', 'r.2', 'r.3']);
  // Not acknowledged: after the restart the whole request goes again (its first piece a counted duplicate).
  dest.upFor = Infinity;
  dest.got.length = 0;
  const second = await edge(dir, dest, { batch });
  const labels = { exporter: 'otlp/x', data_type: 'traces' };
  assert.equal(second.settings.telemetry.get('telegate_exporter_queue_replayed_requests', labels), 1);
  await second.stop();
  assert.deepEqual(
    spanNames(dest.got),
    Array.from({ length: 10 }, (_, i) => `r.${i}`),
  );
  assert.ok(
    dest.got.every((b) => spanNames([b]).length <= 4),
    'pieces of at most max_size',
  );
  // Every piece delivered this time: acknowledged, nothing replayed.
  dest.got.length = 0;
  const third = await edge(dir, dest, { batch });
  assert.equal(third.settings.telemetry.get('telegate_exporter_queue_replayed_requests', labels), 0);
  await third.stop();
  assert.deepEqual(dest.got, []);
});
