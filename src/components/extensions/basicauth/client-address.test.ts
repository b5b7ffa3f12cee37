// Which client an attempt counts against: the peer's host, and a forwarded address only from a
// trusted proxy (the right-most untrusted hop); forged headers from anyone else are ignored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClientResolver, cidrProblem, hostOf } from './client-address.ts';

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

test('trusted_proxies entries are addresses or CIDR ranges', () => {
  for (const ok of ['10.0.0.0/8', '127.0.0.1', '::1', 'fd00::/8', '0.0.0.0/0'])
    assert.equal(cidrProblem(ok), undefined, ok);
  for (const bad of ['10.0.0.0/33', 'localhost', '10.0.0.0/8/1', '10.0.0.0/x', '', '::/129'])
    assert.match(cidrProblem(bad) ?? '', /is not an IP address or CIDR range/, bad);
});

const XFF = { 'x-forwarded-for': '203.0.113.9' };

test('without trusted proxies the peer is the client and a forged X-Forwarded-For is ignored', () => {
  const r = new ClientResolver([]);
  assert.equal(r.resolve(XFF, '127.0.0.1:5000'), '127.0.0.1');
  assert.equal(r.resolve({ 'x-real-ip': '203.0.113.9' }, '[::ffff:10.0.0.1]:1'), '10.0.0.1');
});

test('from an untrusted peer, forwarded headers are ignored even when proxies are configured', () => {
  const r = new ClientResolver(['10.0.0.0/8']);
  assert.equal(r.resolve(XFF, '192.0.2.7:1'), '192.0.2.7');
});

test('behind a trusted proxy the right-most untrusted hop is the client', () => {
  const r = new ClientResolver(['10.0.0.0/8', '127.0.0.1']);
  const cases: [Record<string, string | string[]>, string][] = [
    [{ 'x-real-ip': '198.51.100.2' }, '198.51.100.2'],
    [{ 'x-forwarded-for': '1.1.1.1, 198.51.100.2, 10.1.1.1' }, '198.51.100.2'],
    [{ 'x-forwarded-for': ['1.1.1.1', '198.51.100.3'] }, '198.51.100.3'],
    [{ forwarded: 'for=1.1.1.1, for="[2001:db8::1]:443";proto=https, for=10.2.2.2' }, '2001:db8::1'],
    [{ 'x-forwarded-for': '10.1.1.1, 10.2.2.2' }, '10.1.1.1'],
    [{ 'x-forwarded-for': 'garbage, 198.51.100.4' }, '198.51.100.4'],
    [{ 'x-forwarded-for': '198.51.100.4, garbage' }, '127.0.0.1'],
    [{}, '127.0.0.1'],
  ];
  for (const [headers, client] of cases)
    assert.equal(r.resolve(headers, '127.0.0.1:9'), client, JSON.stringify(headers));
});
