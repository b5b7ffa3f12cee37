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

const THROTTLE_OFF = {
  enabled: false,
  max_failures: 10,
  max_failures_per_client: 100,
  window: 60_000,
  block: 60_000,
  trusted_proxies: [] as string[],
};

function throttleOn(max_failures: number, window: number, block: number) {
  return { ...THROTTLE_OFF, enabled: true, max_failures, window, block };
}

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

test('an unknown user and a wrong password get the same answer, naming the user; the metric tells them apart', async () => {
  const { server, telemetry } = await started('user-1:1234\nuser-2:5678');
  const unknown = (await server.authenticate(basic('user-3', '1234'), undefined)) as Extract<AuthResult, { ok: false }>;
  const wrong = (await server.authenticate(basic('user-2', '4321'), undefined)) as Extract<AuthResult, { ok: false }>;
  assert.deepEqual(
    { ...unknown, message: unknown.message.replace('user-3', 'X') },
    {
      ...wrong,
      message: wrong.message.replace('user-2', 'X'),
    },
  );
  assert.match(wrong.message, /^invalid credentials for user "user-2": the user name or password is not accepted$/);
  assert.equal(failures(telemetry, 'unknown_user'), 1);
  assert.equal(failures(telemetry, 'wrong_password'), 1);
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
  const repeat = server.authenticate(basic('alice', 'wrong'), undefined);
  assert.ok(!(repeat instanceof Promise), 'a repeated failure is answered synchronously');
  assert.equal(repeat.ok, false);
  assert.equal(spy.hashes.length, 2, 'a failure is remembered: its repeat costs no bcrypt');
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

test('distinct failures for one user from one host are throttled, then allowed again after the block', async () => {
  let now = 1_000_000;
  const { server, telemetry, logger } = await started('user-1:1234', { now: () => now }, throttleOn(3, 60_000, 30_000));
  for (let i = 0; i < 3; i++)
    assert.equal((await server.authenticate(basic('user-1', `guess${i}`), '10.0.0.9:4000')).ok, false);
  const blocked = (await server.authenticate(basic('user-1', '1234'), '10.0.0.9:4001')) as Extract<
    AuthResult,
    { ok: false }
  >;
  assert.equal(blocked.ok, false, 'a new credential is refused while blocked (another port, same host)');
  assert.equal(blocked.reason, 'throttled');
  assert.equal(blocked.retryAfterMs, 30_000);
  assert.equal((await server.authenticate(basic('user-1', '1234'), '10.0.0.10:4000')).ok, true, 'other hosts are not');
  now += 10_000;
  const later = (await server.authenticate(basic('user-1', 'guess9'), '10.0.0.9:1')) as Extract<
    AuthResult,
    { ok: false }
  >;
  assert.equal(later.retryAfterMs, 20_000, 'a refusal during the block does not extend it');
  assert.equal(
    (await server.authenticate(basic('user-1', '1234'), '10.0.0.9:4002')).ok,
    true,
    'a credential that verified elsewhere passes even from the blocked host',
  );
  now += 20_000;
  assert.equal((await server.authenticate(basic('user-1', 'guess10'), '10.0.0.9:4002')).ok, false);
  assert.equal(failures(telemetry, 'throttled'), 2);
  assert.equal(failures(telemetry, 'wrong_password'), 4);
  assert.match(logger.text(), /blocking the user from this client for a while/);
});

test('failures spread beyond the window are not throttled', async () => {
  let now = 0;
  const throttle = throttleOn(2, 1000, 5000);
  const { server } = await started('user-1:1234', { now: () => now }, throttle);
  for (let i = 0; i < 4; i++) {
    assert.equal((await server.authenticate(basic('user-1', `x${i}`), '[::1]:1')).ok, false);
    now += 1000;
  }
  const r = await server.authenticate(basic('user-1', '1234'), '[::1]:2');
  assert.equal(r.ok, true);
});

test('no log line or metric holds a password, the header or its base64', async () => {
  const secret = 'pa55-Very-Secret';
  const spy = spyBcrypt();
  const inline = `plainuser:${secret}\nhashed:${hashSync(secret, 4)}\n`;
  const throttle = throttleOn(2, 60_000, 60_000);
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
