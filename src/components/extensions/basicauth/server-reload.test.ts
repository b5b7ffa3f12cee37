// The htpasswd file is watched: a change is loaded without a restart (a removed user is refused from
// the next request on, the cache is flushed), a reload that fails keeps the users in force and logs
// the file and line, and a malformed or missing file fails the start. Tests wait for reload events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once, type EventEmitter } from 'node:events';
import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashSync } from '@node-rs/bcrypt';
import type { RequestHeaders } from '../../../contracts/auth.ts';
import { TelegateError } from '../../../errors/catalogue.ts';
import { MemoryTelemetry, RecordingLogger, testSettings } from '../../../../test/helpers/fakes.ts';
import type { BasicAuthConfig } from './config.ts';
import { defaultBcryptVerify } from './hash-schemes.ts';
import { BasicAuthServer } from './server-authenticator.ts';
import { Secret } from '../../../util/secret.ts';

const THROTTLE_OFF = {
  enabled: false,
  max_failures: 10,
  max_failures_per_client: 100,
  window: 60_000,
  block: 60_000,
  trusted_proxies: [] as string[],
};
const FAST = { pollMs: 50, debounceMs: 10 };

function basic(user: string, password: string): RequestHeaders {
  return { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}

/**
 * Waits for an event within a bound. The watcher's handles do not keep the process alive (they are
 * unref'd in production), so this ref'd timer also keeps the test running while it waits.
 */
async function event(emitter: EventEmitter, name: string): Promise<unknown[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`no ${name} event within 10 s`));
    }, 10_000);
  });
  try {
    const args: unknown[] = await Promise.race([once(emitter, name), timeout]);
    return args;
  } finally {
    clearTimeout(timer);
  }
}

function htpasswdFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'telegate-reload-')), 'htpasswd');
  writeFileSync(path, text);
  return path;
}

function create(file: string, inline = '', options = {}) {
  const settings = testSettings('extension', 'basicauth/server', new MemoryTelemetry(), new RecordingLogger());
  const config: BasicAuthConfig = {
    htpasswd: { file, inline: new Secret(inline) },
    client_auth: undefined,
    throttle: THROTTLE_OFF,
  };
  return { server: new BasicAuthServer(settings, config, { ...FAST, ...options }), logger: settings.logger };
}

test('a user removed from the file is refused from the next request on; the cache is flushed', async () => {
  const aliceHash = hashSync('alice-pw', 4);
  const bobHash = hashSync('bob-pw', 4);
  const file = htpasswdFile(`alice:${aliceHash}\nbob:${bobHash}\n`);
  let calls = 0;
  const { server, logger } = create(file, '', {
    bcryptVerify: (pw: Buffer, hash: string) => {
      calls++;
      return defaultBcryptVerify(pw, hash);
    },
  });
  await server.start();
  try {
    assert.equal((await server.authenticate(basic('bob', 'bob-pw'), undefined)).ok, true);
    assert.equal((await server.authenticate(basic('alice', 'alice-pw'), undefined)).ok, true);
    assert.equal(server.cachedCredentials, 2);
    const reloaded = event(server.events, 'reloaded');
    writeFileSync(file, `alice:${aliceHash}\n`);
    assert.deepEqual(await reloaded, [1]);
    assert.equal(server.cachedCredentials, 0, 'flushed');
    assert.equal((await server.authenticate(basic('bob', 'bob-pw'), undefined)).ok, false, 'bob is gone');
    const before = calls;
    assert.equal((await server.authenticate(basic('alice', 'alice-pw'), undefined)).ok, true);
    assert.equal(calls, before + 1, 'alice is verified again after the flush');
    assert.match(logger.text(), /htpasswd reloaded/);
  } finally {
    await server.shutdown();
  }
});

test('a file replaced by rename (as Kubernetes updates Secrets) is reloaded', async () => {
  const file = htpasswdFile('old:old-pw\n');
  const { server } = create(file);
  await server.start();
  try {
    const reloaded = event(server.events, 'reloaded');
    const next = `${file}.new`;
    writeFileSync(next, 'new:new-pw\n');
    renameSync(next, file);
    await reloaded;
    assert.equal((await server.authenticate(basic('new', 'new-pw'), undefined)).ok, true);
    assert.equal((await server.authenticate(basic('old', 'old-pw'), undefined)).ok, false);
  } finally {
    await server.shutdown();
  }
});

test('a reload that fails to parse keeps the old users and logs the file and line', async () => {
  const file = htpasswdFile('alice:alice-pw\n');
  const { server, logger } = create(file, 'inline-user:inline-pw');
  await server.start();
  try {
    const failed = event(server.events, 'reload-failed');
    writeFileSync(file, 'alice:alice-pw\nthis line has no colon and maybe a password\n');
    const [message] = (await failed) as [string];
    assert.ok(message.includes(`${file}:2:`), message);
    const error = logger.lines.find((l) => l.level === 'error');
    assert.ok(error !== undefined);
    assert.ok(String(error.fields['error']).includes(`${file}:2: no ':'`));
    assert.doesNotMatch(logger.text(), /maybe a password/);
    assert.equal((await server.authenticate(basic('alice', 'alice-pw'), undefined)).ok, true, 'old users kept');
    assert.equal((await server.authenticate(basic('inline-user', 'inline-pw'), undefined)).ok, true);
  } finally {
    await server.shutdown();
  }
});

test('start fails on a malformed file (naming file and line) and on a missing file', async () => {
  const bad = htpasswdFile('ok:pw\n\nuser:$apr1$broken\n');
  await assert.rejects(create(bad).server.start(), (err: unknown) => {
    assert.ok(err instanceof TelegateError);
    assert.equal(err.code, 'TG_START_FAILED');
    assert.ok(err.message.includes(`${bad}:3: user "user": malformed $apr1$ MD5 hash`), err.message);
    return true;
  });
  await assert.rejects(create('/nonexistent/htpasswd').server.start(), /open htpasswd file: .*\/nonexistent\/htpasswd/);
});

test('shutdown stops watching: later changes are not loaded', async () => {
  const file = htpasswdFile('a:a\n');
  const { server } = create(file);
  await server.start();
  await server.shutdown();
  let reloads = 0;
  server.events.on('reloaded', () => reloads++);
  writeFileSync(file, 'b:b\n');
  // A second watcher on the same file proves the change was observable, without sleeping.
  const { server: witness } = create(file);
  await witness.start();
  const seen = event(witness.events, 'reloaded');
  writeFileSync(file, 'c:c\n');
  await seen;
  await witness.shutdown();
  assert.equal(reloads, 0);
  assert.equal((await server.authenticate(basic('a', 'a'), undefined)).ok, true);
});
