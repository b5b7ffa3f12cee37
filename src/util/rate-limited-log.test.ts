import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import { RecordingLogger } from '../../test/helpers/fakes.ts';
import { RateLimitedLog } from './rate-limited-log.ts';

// Mocked clock and timers: the interval is crossed by ticking, never by waiting.
beforeEach(() => {
  mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 });
});
afterEach(() => {
  mock.timers.reset();
});

test('the first line of a key is written at once, repeats within the interval are held back and counted', () => {
  const logger = new RecordingLogger();
  const log = new RateLimitedLog(logger, { intervalMs: 1000 });
  log.log('warn', 'export failed', { attempt: 1 });
  log.log('warn', 'export failed', { attempt: 2 });
  log.log('warn', 'export failed', { attempt: 3 });
  assert.deepEqual(
    logger.lines.map((l) => l.fields),
    [{ attempt: 1 }],
  );
  mock.timers.tick(1500);
  log.log('warn', 'export failed', { attempt: 4 });
  // The summary at the interval's end wrote attempt 3 (standing for 2 as well); attempt 4 is
  // within the interval after that summary, so it waits for the next one.
  assert.deepEqual(
    logger.lines.map((l) => l.fields),
    [{ attempt: 1 }, { attempt: 3, suppressed_since_last: 1 }],
  );
  mock.timers.tick(1000);
  assert.deepEqual(logger.lines.at(-1)?.fields, { attempt: 4 });
  assert.equal(logger.lines.length, 3);
});

test('a burst that stops is summarised when the interval ends, with counts summed', () => {
  const logger = new RecordingLogger();
  const log = new RateLimitedLog(logger, { intervalMs: 1000 });
  for (let i = 0; i < 5; i++) log.log('warn', 'dropped', { error: 'full' }, { counts: { dropped_items: 10 } });
  assert.deepEqual(logger.lines.at(-1)?.fields, { error: 'full', dropped_items: 10 });
  mock.timers.tick(999);
  assert.equal(logger.lines.length, 1);
  mock.timers.tick(1);
  assert.deepEqual(logger.lines.at(-1)?.fields, { error: 'full', dropped_items: 40, suppressed_since_last: 3 });
  mock.timers.tick(10_000);
  assert.equal(logger.lines.length, 2, 'nothing more to say');
});

test('keys are limited separately; the message is the default key', () => {
  const logger = new RecordingLogger();
  const log = new RateLimitedLog(logger, { intervalMs: 1000 });
  log.log('error', 'a', {});
  log.log('error', 'b', {});
  log.log('error', 'same text', {}, { key: 'k1' });
  log.log('error', 'same text', {}, { key: 'k2' });
  log.log('error', 'a', {});
  assert.deepEqual(
    logger.lines.map((l) => l.msg),
    ['a', 'b', 'same text', 'same text'],
  );
});

test('the key table is bounded: past maxKeys the oldest key is summarised and forgotten', () => {
  const logger = new RecordingLogger();
  const log = new RateLimitedLog(logger, { intervalMs: 1000, maxKeys: 2 });
  log.log('info', 'k1', { n: 1 });
  log.log('info', 'k1', { n: 2 });
  log.log('info', 'k2', {});
  log.log('info', 'k3', {});
  assert.deepEqual(
    logger.lines.map((l) => [l.msg, l.fields]),
    [
      ['k1', { n: 1 }],
      ['k2', {}],
      ['k1', { n: 2 }],
      ['k3', {}],
    ],
  );
  // k1 was forgotten, so it logs at once again.
  log.log('info', 'k1', { n: 3 });
  assert.deepEqual(logger.lines.at(-1)?.fields, { n: 3 });
});

test('close writes what is held back and leaves no timer behind', () => {
  const logger = new RecordingLogger();
  const log = new RateLimitedLog(logger, { intervalMs: 1000 });
  log.log('warn', 'x', { n: 1 });
  log.log('warn', 'x', { n: 2 });
  log.close();
  assert.deepEqual(
    logger.lines.map((l) => l.fields),
    [{ n: 1 }, { n: 2 }],
  );
  mock.timers.tick(5000);
  assert.equal(logger.lines.length, 2);
});

test('a pending summary timer does not keep the process alive', () => {
  mock.timers.reset();
  const unref = mock.method(globalThis, 'setTimeout', (fn: () => void, ms: number) => {
    const t = { fn, ms, unrefed: false, unref: () => ((t.unrefed = true), t) };
    return t;
  });
  const log = new RateLimitedLog(new RecordingLogger(), { intervalMs: 1000 });
  log.log('warn', 'x', {});
  log.log('warn', 'x', {});
  const timer = unref.mock.calls[0]?.result as unknown as { unrefed: boolean } | undefined;
  assert.equal(timer?.unrefed, true);
  unref.mock.restore();
  mock.timers.enable({ apis: ['setTimeout', 'Date'] });
});
