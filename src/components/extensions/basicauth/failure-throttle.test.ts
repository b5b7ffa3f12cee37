// The throttle's host key: the same host on every port, IPv4-mapped IPv6 as IPv4, bare addresses kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FailureThrottle, hostOf } from './failure-throttle.ts';

test('client addresses reduce to their host', () => {
  assert.equal(hostOf('10.1.2.3:4567'), '10.1.2.3');
  assert.equal(hostOf('[::1]:4567'), '::1');
  assert.equal(hostOf('[::ffff:10.1.2.3]:80'), '10.1.2.3');
  assert.equal(hostOf('::ffff:10.1.2.3'), '10.1.2.3');
  assert.equal(hostOf('fe80::1'), 'fe80::1');
  assert.equal(hostOf('10.1.2.3'), '10.1.2.3');
  assert.equal(hostOf(''), undefined);
  assert.equal(hostOf(undefined), undefined);
});

test('an unknown address and a disabled throttle never block', () => {
  const off = new FailureThrottle({ enabled: false, maxFailures: 1, windowMs: 1000, blockMs: 1000 }, () => 0);
  assert.equal(off.fail('h'), false);
  assert.equal(off.retryAfterMs('h'), 0);
  const on = new FailureThrottle({ enabled: true, maxFailures: 1, windowMs: 1000, blockMs: 1000 }, () => 0);
  assert.equal(on.fail(undefined), false);
  assert.equal(on.fail('h'), true);
  assert.equal(on.retryAfterMs('h'), 1000);
  assert.equal(on.tracked, 1);
});
