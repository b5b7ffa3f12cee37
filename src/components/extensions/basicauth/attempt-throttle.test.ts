// The throttle's bookkeeping: reserve before the check, settle after; limits per (client, user) and per
// client; a block that refusals do not extend; a disabled throttle or an unknown client never blocks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AttemptThrottle, type Admission, type Reservation } from './attempt-throttle.ts';

const SETTINGS = { enabled: true, maxFailures: 3, maxFailuresPerClient: 5, windowMs: 1000, blockMs: 10_000 };

function reserved(a: Admission): Reservation {
  assert.ok(a.ok, 'admitted');
  return a.reservation;
}

test('a disabled throttle and an unknown client admit everything', () => {
  const off = new AttemptThrottle({ ...SETTINGS, enabled: false }, () => 0);
  for (let i = 0; i < 10; i++) off.settle(reserved(off.admit('h', 'u')), true);
  assert.equal(off.admit('h', 'u').ok, true);
  const on = new AttemptThrottle(SETTINGS, () => 0);
  for (let i = 0; i < 10; i++) on.settle(reserved(on.admit(undefined, 'u')), true);
  assert.equal(on.tracked, 0);
});

test('attempts in flight count: at most max_failures unverified per (client, user)', () => {
  const t = new AttemptThrottle(SETTINGS, () => 0);
  const held = [0, 1, 2].map(() => reserved(t.admit('h', 'u')));
  const fourth = t.admit('h', 'u');
  assert.ok(!fourth.ok && fourth.retryAfterMs > 0);
  assert.equal(t.admit('h', 'other').ok, true, 'another user from the same client has its own budget');
  t.cancel(held[0] as Reservation);
  assert.equal(t.admit('h', 'u').ok, true, 'a cancelled reservation frees its place');
});

test('max_failures settled failures start a block; refusals during it do not extend it', () => {
  let now = 0;
  const t = new AttemptThrottle(SETTINGS, () => now);
  const started = [0, 1, 2].map(() => t.settle(reserved(t.admit('h', 'u')), true));
  assert.deepEqual(started, [[], [], ['user']]);
  now = 5000;
  const refused = t.admit('h', 'u');
  assert.ok(!refused.ok && refused.retryAfterMs === 5000);
  now = 10_000;
  assert.equal(t.admit('h', 'u').ok, true, 'the block ends on time');
});

test('the per-client limit spans users; a success clears only its user-scope count', () => {
  const t = new AttemptThrottle(SETTINGS, () => 0);
  for (const user of ['a', 'b']) for (let i = 0; i < 2; i++) t.settle(reserved(t.admit('h', user)), true);
  t.settle(reserved(t.admit('h', 'a')), false);
  assert.deepEqual(t.settle(reserved(t.admit('h', 'c')), true), ['client'], 'the fifth failure over all users');
  assert.equal(t.admit('h', 'd').ok, false, 'the whole client is blocked');
  assert.equal(t.admit('other', 'a').ok, true);
});

test('failures older than the window are forgotten', () => {
  let now = 0;
  const t = new AttemptThrottle(SETTINGS, () => now);
  for (let i = 0; i < 6; i++) {
    assert.deepEqual(t.settle(reserved(t.admit('h', 'u')), true), []);
    now += 600;
  }
});
