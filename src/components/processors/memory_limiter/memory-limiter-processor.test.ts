// The limiter's decisions with a scripted memory reading: accept below the soft limit, refuse at or
// above it with a retryable TG_MEMORY_LIMITED carrying a delay, accept again once memory falls;
// counted as Go's otelcol_processor_accepted_* / refused_*; GC forced only when available and due.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TelegateError } from '../../../errors/catalogue.ts';
import { RecordingConsumer, testSettings } from '../../../../test/helpers/fakes.ts';
import type { MemoryLimiterConfig } from './config.ts';
import { MemoryChecker, measureMemoryBytes } from './memory-checker.ts';
import { MemoryLimiterProcessor } from './memory-limiter-processor.ts';

const MIB = 1024 * 1024;
const config: MemoryLimiterConfig = {
  check_interval: 1000,
  limit_mib: 100,
  spike_limit_mib: 20,
  limit_percentage: 0,
  spike_limit_percentage: 0,
  min_gc_interval_when_soft_limited: 10_000,
  min_gc_interval_when_hard_limited: 0,
};
const payload = (items: number) => ({ signal: 'traces' as const, bytes: Buffer.alloc(0), items, context: {} });

test('accepts below the soft limit, refuses at it with retry information, accepts again when memory falls', async () => {
  let used = 10 * MIB;
  const settings = testSettings('processor', 'memory_limiter');
  const next = new RecordingConsumer();
  const p = new MemoryLimiterProcessor(settings, config, 'traces', next, { measure: () => used, gc: undefined });
  await p.start();
  try {
    assert.equal((await p.consume(payload(3))).status, 'success');
    used = 80 * MIB; // the soft limit: 100 − 20
    p.memory.check();
    const refused = await p.consume(payload(5));
    assert.ok(refused.status === 'retryable');
    assert.ok(refused.error instanceof TelegateError);
    assert.equal(refused.error.code, 'TG_MEMORY_LIMITED');
    assert.equal(refused.retryAfterMs, 1000);
    assert.match(settings.logger.text(), /Memory usage is above soft limit. Refusing data./);
    used = 79 * MIB;
    p.memory.check();
    assert.equal((await p.consume(payload(2))).status, 'success');
    assert.match(settings.logger.text(), /Memory usage back within limits/);
    assert.equal(next.payloads.length, 2, 'a refused payload never reaches the next consumer');
    const labels = { processor: 'memory_limiter' };
    assert.equal(settings.telemetry.get('otelcol_processor_accepted_spans', labels), 5);
    assert.equal(settings.telemetry.get('otelcol_processor_refused_spans', labels), 5);
  } finally {
    await p.shutdown();
    await p.shutdown();
  }
});

test('metrics and logs count in their own units; an uncounted payload is counted from its bytes', async () => {
  const settings = testSettings('processor', 'memory_limiter/x');
  const p = new MemoryLimiterProcessor(settings, config, 'logs', new RecordingConsumer(), { measure: () => 0 });
  p.memory.check();
  await p.consume({ ...payload(-1), signal: 'logs' });
  assert.equal(settings.telemetry.get('otelcol_processor_accepted_log_records', { processor: 'memory_limiter/x' }), 0);
  const m = new MemoryLimiterProcessor(settings, config, 'metrics', new RecordingConsumer(), { measure: () => 0 });
  await m.consume({ ...payload(4), signal: 'metrics' });
  assert.equal(
    settings.telemetry.get('otelcol_processor_accepted_metric_points', { processor: 'memory_limiter/x' }),
    4,
  );
});

test('GC is forced above the hard limit, and above the soft limit at most every interval', () => {
  let used = 0;
  let gcs = 0;
  const checker = new MemoryChecker({
    limits: { hardBytes: 100, spikeBytes: 20, softBytes: 80 },
    checkIntervalMs: 1000,
    minGcIntervalSoftMs: 10_000,
    minGcIntervalHardMs: 0,
    logger: testSettings('processor', 'm').logger,
    measure: () => used,
    gc: () => {
      gcs++;
      used = Math.floor(used / 2);
    },
  });
  used = 50;
  checker.check(1_000);
  assert.equal(gcs, 0, 'below the soft limit: no GC');
  used = 90;
  checker.check(20_000);
  assert.equal(gcs, 1);
  assert.equal(checker.mustRefuse, false, 'decided on the reading after the GC');
  used = 90;
  checker.check(21_000);
  assert.equal(gcs, 1, 'soft-limited GCs are at least min_gc_interval_when_soft_limited apart');
  assert.equal(checker.mustRefuse, true);
  used = 200;
  checker.check(21_001);
  assert.equal(gcs, 2, 'above the hard limit: no minimum interval by default');
  assert.equal(checker.mustRefuse, true);
  used = 90;
  checker.check(60_000);
  // As Go: above the soft limit a GC is forced every interval, refusing or not; an idle process whose
  // garbage holds it over the limit would otherwise refuse for ever.
  assert.equal(gcs, 3, 'still above the soft limit while refusing: a GC once the interval has passed');
  assert.equal(checker.mustRefuse, false, 'the GC freed enough: accepting again');
});

test('without --expose-gc nothing is forced; the measure is heap plus Buffers', () => {
  const checker = new MemoryChecker({
    limits: { hardBytes: 1, spikeBytes: 0, softBytes: 1 },
    checkIntervalMs: 1000,
    minGcIntervalSoftMs: 0,
    minGcIntervalHardMs: 0,
    logger: testSettings('processor', 'm').logger,
  });
  checker.start();
  checker.start();
  assert.equal(checker.mustRefuse, true);
  checker.stop();
  const m = process.memoryUsage();
  const measured = measureMemoryBytes();
  assert.ok(measured >= m.heapUsed && measured < m.rss + m.external, `${measured}`);
});
