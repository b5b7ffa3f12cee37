// The server authenticator as a receiver calls it: the seed's plain entry, header parsing, the same
// refusal for an unknown user and a wrong password, the credential cache (bcrypt once per credential,
// hits answered synchronously), throttling, and that no secret reaches a log line or a metric.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashSync } from '@node-rs/bcrypt';
import type { AuthResult, RequestHeaders } from '../../../contracts/auth.ts';
import { MemoryTelemetry, RecordingLogger, testSettings } from '../../../../test/helpers/fakes.ts';
import { AUTH_FAILURES } from './auth-metrics.ts';
import type { BasicAuthConfig } from './config.ts';
import { defaultBcryptVerify } from './hash-schemes.ts';
import type { BcryptVerify } from './password-verifier.ts';
import { BasicAuthServer, CHALLENGE } from './server-authenticator.ts';
import { Secret } from '../../../util/secret.ts';

const THROTTLE_OFF = { enabled: false, max_failures: 10, window: 60_000, block: 60_000 };

function serverConfig(inline: string, throttle = THROTTLE_OFF): BasicAuthConfig {
  return { htpasswd: { file: '', inline: new Secret(inline) }, client_auth: undefined, throttle };
}

function basic(user: string, password: string): RequestHeaders {
  return { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}

/** A bcrypt verifier that counts calls and records the hashes it was asked about. */
function spyBcrypt(): { verify: BcryptVerify; hashes: string[] } {
  const hashes: string[] = [];
  return {
    hashes,
    verify: (pw, hash) => {
      hashes.push(hash);
      return defaultBcryptVerify(pw, hash);
    },
  };
}

async function started(inline: string, options = {}, throttle = THROTTLE_OFF) {
  const settings = testSettings('extension', 'basicauth/server', new MemoryTelemetry(), new RecordingLogger());
  const server = new BasicAuthServer(settings, serverConfig(inline, throttle), options);
  await server.start();
  return { server, logger: settings.logger, telemetry: settings.telemetry };
}

function failures(telemetry: MemoryTelemetry, reason: string): number {
  return telemetry.get(AUTH_FAILURES, { authenticator: 'basicauth/server', reason });
}

test("the seed's `user-1:1234` authenticates, with a startup warning that counts plain passwords", async () => {
  const { server, logger } = await started('user-1:1234\n');
  const r = await server.authenticate(basic('user-1', '1234'), '10.0.0.1:5000');
  assert.deepEqual(r, { ok: true, auth: { username: 'user-1' } });
  const warning = logger.lines.find((l) => l.level === 'warn' && /plain-text passwords/.test(l.msg));
  assert.equal(warning?.fields['plain_users'], 1);
  // The blog post's header was made with `echo` (no -n): it ends in a newline, so the password is "1234\n".
  const seedHeader = await server.authenticate({ authorization: 'Basic dXNlci0xOjEyMzQK' }, undefined);
  assert.equal(seedHeader.ok, false);
  await server.shutdown();
});

test('missing and malformed headers are refused with a challenge and a helpful message', async () => {
  const { server, telemetry } = await started('user-1:1234');
  const cases: [RequestHeaders, RegExp][] = [
    [{}, /^no basic auth provided: send an Authorization: Basic header/],
    [{ authorization: 'Bearer abc' }, /^invalid authorization format/],
    [{ authorization: 'Basic not*base64' }, /^invalid authorization format/],
    [{ authorization: `Basic ${Buffer.from('no-colon').toString('base64')}` }, /^invalid authorization format/],
  ];
  for (const [headers, message] of cases) {
    const r = (await server.authenticate(headers, undefined)) as Extract<AuthResult, { ok: false }>;
    assert.equal(r.ok, false);
    assert.equal(r.reason, 'unauthenticated');
    assert.equal(r.challenge, CHALLENGE);
    assert.match(r.message, message);
  }
  assert.equal(failures(telemetry, 'missing'), 1);
  assert.equal(failures(telemetry, 'malformed'), 3);
});

test('the scheme is case-insensitive, the header key too, and the first of several values counts', async () => {
  const { server } = await started('user-1:1234');
  const value = `bAsIc ${Buffer.from('user-1:1234').toString('base64')}`;
  assert.equal((await server.authenticate({ authorization: value }, undefined)).ok, true);
  assert.equal((await server.authenticate({ Authorization: value }, undefined)).ok, true);
  assert.equal((await server.authenticate({ authorization: [value, 'Basic eDp5'] }, undefined)).ok, true);
  assert.equal((await server.authenticate({ authorization: ['Basic eDp5', value] }, undefined)).ok, false);
  const colonInPassword = await server.authenticate(basic('user-1', '12:34'), undefined);
  assert.equal(colonInPassword.ok, false, 'split at the first colon: the password is "12:34"');
});

test('an unknown user and a wrong password get the same answer', async () => {
  const { server, telemetry } = await started('user-1:1234');
  const unknown = await server.authenticate(basic('nobody', '1234'), undefined);
  const wrong = await server.authenticate(basic('user-1', '4321'), undefined);
  assert.deepEqual(unknown, wrong);
  assert.equal(failures(telemetry, 'invalid_credentials'), 2);
});

test('bcrypt runs once per distinct credential; a cache hit answers synchronously', async () => {
  const spy = spyBcrypt();
  const { server } = await started(`alice:${hashSync('wonderland', 4)}`, { bcryptVerify: spy.verify });
  const first = server.authenticate(basic('alice', 'wonderland'), undefined);
  assert.ok(first instanceof Promise, 'a miss verifies asynchronously');
  const concurrent = server.authenticate(basic('alice', 'wonderland'), undefined);
  assert.deepEqual(await first, { ok: true, auth: { username: 'alice' } });
  assert.deepEqual(await concurrent, { ok: true, auth: { username: 'alice' } });
  for (let i = 0; i < 5; i++) {
    const hit = server.authenticate(basic('alice', 'wonderland'), undefined);
    assert.ok(!(hit instanceof Promise), 'a hit is synchronous');
    assert.equal(hit.ok, true);
  }
  assert.equal(spy.hashes.length, 1, 'one bcrypt verification for seven requests');
  assert.equal((await server.authenticate(basic('alice', 'wrong'), undefined)).ok, false);
  assert.equal((await server.authenticate(basic('alice', 'wrong'), undefined)).ok, false);
  assert.equal(spy.hashes.length, 3, 'failures are not cached');
  assert.equal(server.cachedCredentials, 1);
});

test('an unknown user is checked against the costliest entry before being refused', async () => {
  const spy = spyBcrypt();
  const hash = hashSync('pw', 5);
  const { server } = await started(`cheap:plain\nalice:${hash}`, { bcryptVerify: spy.verify });
  const r = await server.authenticate(basic('mallory', 'pw'), undefined);
  assert.equal(r.ok, false, "alice's password under another name is refused");
  assert.deepEqual(spy.hashes, [hash]);
});

test('repeated failures from one address are throttled, then allowed again after the block', async () => {
  let now = 1_000_000;
  const throttle = { enabled: true, max_failures: 3, window: 60_000, block: 30_000 };
  const { server, telemetry, logger } = await started('user-1:1234', { now: () => now }, throttle);
  for (let i = 0; i < 3; i++)
    assert.equal((await server.authenticate(basic('user-1', `guess${i}`), '10.0.0.9:4000')).ok, false);
  const blocked = (await server.authenticate(basic('user-1', '1234'), '10.0.0.9:4001')) as Extract<
    AuthResult,
    { ok: false }
  >;
  assert.equal(blocked.ok, false, 'even the right password is refused while blocked (another port, same host)');
  assert.equal(blocked.reason, 'throttled');
  assert.equal(blocked.retryAfterMs, 30_000);
  assert.equal((await server.authenticate(basic('user-1', '1234'), '10.0.0.10:4000')).ok, true, 'other hosts are not');
  now += 10_000;
  const later = (await server.authenticate({}, '10.0.0.9:1')) as Extract<AuthResult, { ok: false }>;
  assert.equal(later.retryAfterMs, 20_000);
  now += 20_000;
  assert.equal((await server.authenticate(basic('user-1', '1234'), '10.0.0.9:4002')).ok, true);
  assert.equal(failures(telemetry, 'throttled'), 2);
  assert.equal(failures(telemetry, 'invalid_credentials'), 3);
  assert.match(logger.text(), /refusing it for a while/);
});

test('failures spread beyond the window are not throttled', async () => {
  let now = 0;
  const throttle = { enabled: true, max_failures: 2, window: 1000, block: 5000 };
  const { server } = await started('user-1:1234', { now: () => now }, throttle);
  for (let i = 0; i < 4; i++) {
    assert.equal((await server.authenticate(basic('user-1', 'x'), '[::1]:1')).ok, false);
    now += 1000;
  }
  const r = await server.authenticate(basic('user-1', '1234'), '[::1]:2');
  assert.equal(r.ok, true);
});

test('no log line or metric holds a password, the header or its base64', async () => {
  const secret = 'pa55-Very-Secret';
  const spy = spyBcrypt();
  const inline = `plainuser:${secret}\nhashed:${hashSync(secret, 4)}\n`;
  const throttle = { enabled: true, max_failures: 2, window: 60_000, block: 60_000 };
  const { server, logger, telemetry } = await started(inline, { bcryptVerify: spy.verify }, throttle);
  const headers = [
    basic('plainuser', secret),
    basic('hashed', secret),
    basic('hashed', `${secret}x`),
    basic('x', secret),
  ];
  for (const h of headers) await server.authenticate(h, '192.0.2.1:1');
  const text = `${logger.text()}\n${[...telemetry.values.keys()].join('\n')}`;
  assert.ok(logger.lines.length > 0);
  for (const h of headers) {
    const value = String(h['authorization']);
    assert.ok(!text.includes(value.slice(6)), 'no base64 credential');
  }
  assert.ok(!text.includes(secret), 'no password');
  assert.ok(!/authorization/i.test(text), 'no header');
});
