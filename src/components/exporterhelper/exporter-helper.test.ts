// The exporterhelper chain with a scripted push function: retries, permanence, RetryInfo, the bounded
// queue (full → retryable, never a drop), wait_for_result, draining on shutdown and the Go metric names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConsumeResult } from '../../contracts/consumer.ts';
import type { Payload } from '../../contracts/payload.ts';
import { defaultQueueConfig, type QueueConfig } from '../../config/blocks/queue.ts';
import { defaultRetryConfig, type RetryConfig } from '../../config/blocks/retry.ts';
import { testSettings } from '../../../test/helpers/fakes.ts';
import { ExponentialBackoff } from './backoff.ts';
import { permanentResult, retryableResult } from './export-error.ts';
import { ExporterHelper, type ExporterHelperOptions } from './exporter-helper.ts';
import { QUEUE_MAX_BYTES } from './queue-sender.ts';

const FAST_RETRY: RetryConfig = {
  ...defaultRetryConfig(),
  initial_interval: 1,
  max_interval: 5,
  max_elapsed_time: 10_000,
};
const EXP = { exporter: 'otlp/x' };

function messageOf(result: ConsumeResult): string {
  return result.status === 'success' ? '' : result.error.message;
}

function payload(items = 3): Payload {
  return { signal: 'traces', bytes: Buffer.alloc(10), items, context: {} };
}

/** A push function answering from a script (then success), recording calls; `gate` holds sends. */
class ScriptedPush {
  readonly script: ConsumeResult[] = [];
  calls = 0;
  delivered = 0;
  gate: Promise<void> | undefined;
  private waiters: { n: number; resolve: () => void }[] = [];
  readonly push = async (p: Payload): Promise<ConsumeResult> => {
    this.calls++;
    this.notify();
    if (this.gate) await this.gate;
    const r = this.script.shift() ?? { status: 'success' };
    if (r.status === 'success') this.delivered += p.items;
    return r;
  };
  waitForCalls(n: number): Promise<void> {
    if (this.calls >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }
  private notify(): void {
    this.waiters = this.waiters.filter((w) => (this.calls >= w.n ? (w.resolve(), false) : true));
  }
}

function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

function make(
  push: ScriptedPush,
  opts: { queue?: Partial<QueueConfig>; retry?: RetryConfig; extra?: Partial<ExporterHelperOptions> } = {},
) {
  const settings = testSettings('exporter', 'otlp/x');
  const helper = new ExporterHelper(settings, {
    signal: 'traces',
    push: push.push,
    timeoutMs: 0,
    retry: opts.retry ?? FAST_RETRY,
    queue: { ...defaultQueueConfig(), ...opts.queue },
    ...opts.extra,
  });
  return { helper, telemetry: settings.telemetry, logger: settings.logger };
}

test('without a queue: success counts sent spans; consume returns the outcome', async () => {
  const push = new ScriptedPush();
  const { helper, telemetry } = make(push, { queue: { enabled: false } });
  assert.equal((await helper.consume(payload(4))).status, 'success');
  assert.equal(telemetry.get('otelcol_exporter_sent_spans', EXP), 4);
  await helper.shutdown();
});

test('retryable failures are retried until success and counted once as sent', async () => {
  const push = new ScriptedPush();
  push.script.push(retryableResult('down', 'Unavailable'), retryableResult('down', 'Unavailable'));
  const { helper, telemetry } = make(push, { queue: { enabled: false } });
  assert.equal((await helper.consume(payload(2))).status, 'success');
  assert.equal(push.calls, 3);
  assert.equal(telemetry.get('otelcol_exporter_sent_spans', EXP), 2);
  await helper.shutdown();
});

test('a permanent failure is not retried and is counted with error.permanent=true', async () => {
  const push = new ScriptedPush();
  push.script.push(permanentResult('bad data', 'InvalidArgument'));
  const { helper, telemetry } = make(push, { queue: { enabled: false } });
  const result = await helper.consume(payload(5));
  assert.equal(result.status, 'failure');
  assert.equal(push.calls, 1);
  const labels = { ...EXP, 'error.type': 'InvalidArgument', 'error.permanent': 'true' };
  assert.equal(telemetry.get('otelcol_exporter_send_failed_spans', labels), 5);
  await helper.shutdown();
});

test('retry disabled: one attempt, the retryable outcome is returned', async () => {
  const push = new ScriptedPush();
  push.script.push(retryableResult('down', 'Unavailable'));
  const { helper } = make(push, { queue: { enabled: false }, retry: { ...FAST_RETRY, enabled: false } });
  assert.equal((await helper.consume(payload())).status, 'retryable');
  assert.equal(push.calls, 1);
  await helper.shutdown();
});

test("the server's RetryInfo delay counts: a delay past max_elapsed_time gives up at once", async () => {
  const push = new ScriptedPush();
  push.script.push(retryableResult('throttled', 'ResourceExhausted', 60_000));
  const { helper } = make(push, { queue: { enabled: false }, retry: { ...FAST_RETRY, max_elapsed_time: 1000 } });
  const result = await helper.consume(payload());
  assert.equal(result.status, 'retryable');
  assert.match(messageOf(result), /no more retries left: throttled/);
  assert.equal(push.calls, 1);
  await helper.shutdown();
});

test('exponential backoff: interval × (1 ± factor), growing by multiplier up to max_interval', () => {
  const cfg = {
    ...defaultRetryConfig(),
    initial_interval: 100,
    multiplier: 2,
    max_interval: 300,
    randomization_factor: 0.5,
  };
  const low = new ExponentialBackoff(cfg, () => 0);
  assert.deepEqual([low.next(), low.next(), low.next(), low.next()], [50, 100, 150, 150]);
  const high = new ExponentialBackoff(cfg, () => 1);
  assert.deepEqual([high.next(), high.next(), high.next()], [150, 300, 450]);
});

test('queue: consume answers at once; the data is sent in the background', async () => {
  const push = new ScriptedPush();
  const g = gate();
  push.gate = g.promise;
  const { helper, telemetry } = make(push);
  assert.equal((await helper.consume(payload(3))).status, 'success');
  await push.waitForCalls(1);
  assert.equal(telemetry.get('otelcol_exporter_queue_size', { ...EXP, data_type: 'traces' }), 1);
  assert.equal(telemetry.get('otelcol_exporter_queue_capacity', { ...EXP, data_type: 'traces' }), 1000);
  g.open();
  await helper.shutdown();
  assert.equal(push.delivered, 3);
  assert.equal(telemetry.get('otelcol_exporter_sent_spans', EXP), 3);
});

test('queue full: a retryable TG_PIPELINE_BUSY with retryAfterMs, counted; nothing already queued is lost', async () => {
  const push = new ScriptedPush();
  const g = gate();
  push.gate = g.promise;
  const { helper, telemetry } = make(push, { queue: { queue_size: 2, num_consumers: 1 } });
  assert.equal((await helper.consume(payload(1))).status, 'success');
  assert.equal((await helper.consume(payload(1))).status, 'success');
  const refused = await helper.consume(payload(7));
  assert.equal(refused.status, 'retryable');
  assert.equal((refused.error as { code?: string }).code, 'TG_PIPELINE_BUSY');
  assert.ok((refused.retryAfterMs ?? 0) > 0);
  assert.equal(telemetry.get('otelcol_exporter_enqueue_failed_spans', EXP), 7);
  g.open();
  await helper.shutdown();
  assert.equal(push.delivered, 2);
});

test('with sizer requests the queue also stops at QUEUE_MAX_BYTES of request bytes; sizer bytes replaces that bound', async () => {
  const push = new ScriptedPush();
  const g = gate();
  push.gate = g.promise;
  const big = (): Payload => ({ signal: 'traces', bytes: Buffer.alloc(QUEUE_MAX_BYTES / 2), items: 1, context: {} });
  const { helper } = make(push, { queue: { queue_size: 1000, num_consumers: 1 } });
  assert.equal((await helper.consume(big())).status, 'success');
  assert.equal((await helper.consume(big())).status, 'success');
  const refused = await helper.consume(big());
  assert.equal(refused.status, 'retryable');
  assert.match(messageOf(refused), /64 MiB held, the bound is 64 MiB; set sizer: bytes/);
  g.open();
  await helper.shutdown();
  assert.equal(push.delivered, 2);

  const push2 = new ScriptedPush();
  const g2 = gate();
  push2.gate = g2.promise;
  const bytes = make(push2, { queue: { queue_size: 4 * QUEUE_MAX_BYTES, sizer: 'bytes', num_consumers: 1 } });
  for (let i = 0; i < 3; i++) assert.equal((await bytes.helper.consume(big())).status, 'success');
  g2.open();
  await bytes.helper.shutdown();
  assert.equal(push2.delivered, 3);
});

test("the queue's byte accounting reads a payload's size from its parts, never concatenating them", async () => {
  let bytesRead = 0;
  const half = Buffer.alloc(QUEUE_MAX_BYTES / 4);
  const batch = (): Payload => ({
    signal: 'traces',
    get bytes(): Buffer {
      bytesRead++;
      return Buffer.concat([half, half]);
    },
    items: 1,
    context: {},
    parts: [half, half],
  });
  for (const sizer of ['requests', 'bytes'] as const) {
    const push = new ScriptedPush();
    const g = gate();
    push.gate = g.promise;
    const queueSize = sizer === 'bytes' ? QUEUE_MAX_BYTES : 1000;
    const { helper } = make(push, { queue: { queue_size: queueSize, sizer, num_consumers: 1 } });
    assert.equal((await helper.consume(batch())).status, 'success');
    assert.equal((await helper.consume(batch())).status, 'success');
    // Two payloads of QUEUE_MAX_BYTES / 2 fill the bound: the sizes were counted from the parts.
    assert.equal((await helper.consume(batch())).status, 'retryable', sizer);
    g.open();
    await helper.shutdown();
    assert.equal(push.delivered, 2);
  }
  assert.equal(bytesRead, 0);
});

test('block_on_overflow waits for room instead of refusing', async () => {
  const push = new ScriptedPush();
  const g = gate();
  push.gate = g.promise;
  const { helper } = make(push, { queue: { queue_size: 1, num_consumers: 1, block_on_overflow: true } });
  await helper.consume(payload(1));
  const second = helper.consume(payload(1));
  await push.waitForCalls(1);
  g.open();
  assert.equal((await second).status, 'success');
  await helper.shutdown();
  assert.equal(push.delivered, 2);
});

test('sizer items: queue_size counts spans', async () => {
  const push = new ScriptedPush();
  const g = gate();
  push.gate = g.promise;
  const { helper } = make(push, { queue: { queue_size: 10, sizer: 'items', num_consumers: 1 } });
  assert.equal((await helper.consume(payload(6))).status, 'success');
  assert.equal((await helper.consume(payload(6))).status, 'retryable');
  assert.equal((await helper.consume(payload(11))).status, 'failure');
  g.open();
  await helper.shutdown();
});

test('wait_for_result: consume returns the outcome of the queued send', async () => {
  const push = new ScriptedPush();
  push.script.push(permanentResult('rejected', 'InvalidArgument'));
  const { helper } = make(push, { queue: { wait_for_result: true } });
  assert.equal((await helper.consume(payload())).status, 'failure');
  assert.equal((await helper.consume(payload())).status, 'success');
  await helper.shutdown();
});

test('shutdown drains the queue through the exporter, then refuses new data', async () => {
  const push = new ScriptedPush();
  const g = gate();
  push.gate = g.promise;
  const { helper } = make(push, { queue: { num_consumers: 2 } });
  for (let i = 0; i < 20; i++) await helper.consume(payload(1));
  const done = helper.shutdown();
  g.open();
  await done;
  assert.equal(push.delivered, 20);
  const after = await helper.consume(payload(1));
  assert.equal(after.status, 'retryable');
});

test('shutdown gives up at its deadline and logs and counts what was not delivered', async () => {
  const push = new ScriptedPush();
  push.gate = new Promise(() => undefined);
  const { helper, logger, telemetry } = make(push, { queue: { num_consumers: 1 }, extra: { shutdownTimeoutMs: 50 } });
  for (let i = 0; i < 5; i++) await helper.consume(payload(2));
  await helper.shutdown();
  const line = logger.lines.find((l) => l.msg.startsWith('Shutdown: dropping data'));
  assert.deepEqual(line?.fields, {
    dropped_items: 10,
    failed_while_draining_items: 0,
    still_queued_at_deadline_requests: 4,
    still_queued_at_deadline_items: 8,
    in_flight_at_deadline_items: 2,
  });
  assert.equal(
    telemetry.get('otelcol_exporter_send_failed_spans', {
      ...EXP,
      'error.type': 'Shutdown',
      'error.permanent': 'false',
    }),
    8,
  );
});

test('shutdown interrupts a retry wait (each queued request still gets its attempt)', async () => {
  const push = new ScriptedPush();
  push.script.push(retryableResult('down', 'Unavailable'));
  const { helper } = make(push, {
    retry: { ...FAST_RETRY, initial_interval: 60_000, max_interval: 60_000, max_elapsed_time: 0 },
  });
  await helper.consume(payload(1));
  await push.waitForCalls(1);
  await helper.shutdown();
  assert.equal(push.calls, 1);
});

test('failure logs are rate-limited, not one per request', async () => {
  const push = new ScriptedPush();
  for (let i = 0; i < 50; i++) push.script.push(permanentResult('bad', 'InvalidArgument'));
  const { helper, logger } = make(push, { queue: { wait_for_result: true } });
  for (let i = 0; i < 50; i++) await helper.consume(payload(1));
  await helper.shutdown();
  // One line at the first failure, and at shutdown one summary standing for the other 49.
  const lines = logger.lines.filter((l) => l.msg === 'Exporting failed. Dropping data.');
  assert.equal(lines.length, 2);
  assert.equal(lines[1]?.fields.suppressed_since_last, 48);
});

test('shutdown is idempotent and safe before start', async () => {
  const { helper } = make(new ScriptedPush());
  await helper.shutdown();
  await helper.shutdown();
});

test('a failed send is reported as a recoverable error, the next success once as ok', async () => {
  const push = new ScriptedPush();
  push.script.push(retryableResult('down', 'Unavailable'));
  const reports: string[] = [];
  const settings = {
    ...testSettings('exporter', 'otlp/x'),
    reportStatus: (status: string, error?: Error) => reports.push(`${status}${error ? `: ${error.message}` : ''}`),
  };
  const helper = new ExporterHelper(settings, {
    signal: 'traces',
    push: push.push,
    timeoutMs: 0,
    retry: { ...FAST_RETRY, enabled: false },
    queue: { ...defaultQueueConfig(), enabled: false },
  });
  await helper.consume(payload());
  await helper.consume(payload());
  await helper.consume(payload());
  assert.deepEqual(reports, ['recoverable_error: down', 'ok']);
  await helper.shutdown();
});

test('room: a full queue says so, and announces room when a send ends; no queue, no room to watch', async () => {
  const push = new ScriptedPush();
  const g = gate();
  push.gate = g.promise;
  const { helper } = make(push, { queue: { queue_size: 1, num_consumers: 1 } });
  const room = helper.room;
  assert.ok(room);
  assert.equal(room.hasRoom(), true);
  assert.equal((await helper.consume(payload(1))).status, 'success');
  assert.equal(room.hasRoom(), false);
  const announced = new Promise<void>((resolve) => room.onRoom(resolve));
  g.open();
  await announced;
  assert.equal(room.hasRoom(), true);
  await helper.shutdown();
  assert.equal(make(new ScriptedPush(), { queue: { enabled: false } }).helper.room, undefined);
});
