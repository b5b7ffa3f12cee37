// The bearertokenauth extension: Go's config rules and messages, server checks (missing, wrong,
// right, several tokens, custom header and scheme), the client header, and the token file read at
// start and reloaded when it changes.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromPlain } from '../../../config/node.ts';
import { validateConfig } from '../../../config/validate.ts';
import { isClientAuthenticator, isServerAuthenticator } from '../../../contracts/auth.ts';
import { TelegateError } from '../../../errors/catalogue.ts';
import { RecordingLogger, testHost, testSettings } from '../../../../test/helpers/fakes.ts';
import { BearerTokenAuth } from './bearer-token-auth.ts';
import type { BearerTokenAuthConfig } from './config.ts';
import { bearerTokenAuthFactory } from './factory.ts';

const dir = mkdtempSync(join(tmpdir(), 'bearertokenauth-'));
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Schema defaults and the factory's rules: the config, or the messages. */
function parse(raw: Record<string, unknown>): { config?: BearerTokenAuthConfig; messages: string[] } {
  const r = validateConfig(bearerTokenAuthFactory.configSchema, fromPlain(raw, undefined), 'x', undefined);
  const messages = r.issues.map((i) => i.message);
  if (r.value === undefined) return { messages };
  const rules = bearerTokenAuthFactory.validate?.(r.value) ?? [];
  messages.push(...rules.map(([p, m]) => (p === '' ? m : `${p}: ${m}`)));
  return { config: r.value as BearerTokenAuthConfig, messages };
}

function create(raw: Record<string, unknown>, logger = new RecordingLogger()): BearerTokenAuth {
  const { config, messages } = parse(raw);
  assert.deepEqual(messages, []);
  assert.ok(config);
  const auth = bearerTokenAuthFactory.create(testSettings('extension', 'bearertokenauth', undefined, logger), config);
  assert.ok(auth instanceof BearerTokenAuth);
  return auth;
}

test("config: Go's defaults and validation messages", () => {
  const { config } = parse({ token: 't' });
  assert.ok(config);
  assert.equal(config.header, 'Authorization');
  assert.equal(config.scheme, 'Bearer');
  assert.deepEqual(parse({}).messages, ['no bearer token provided']);
  assert.deepEqual(parse({ token: 'a', tokens: ['b'] }).messages, [
    'either tokens or token should be provided, not both',
  ]);
  assert.deepEqual(parse({ token: 'a', header: 'bad header' }).messages, [
    'header: "bad header" is not a valid header name',
  ]);
  assert.deepEqual(bearerTokenAuthFactory.authenticatorRoles?.({ token: 'a' }), ['server', 'client']);
});

test('server: missing or wrong → unauthenticated with a Bearer challenge; right → an empty identity', () => {
  const auth = create({ token: 's3cr3t' });
  assert.ok(isServerAuthenticator(auth) && isClientAuthenticator(auth));
  assert.deepEqual(auth.authenticate({}, undefined), {
    ok: false,
    reason: 'unauthenticated',
    message: 'missing or empty authorization header: Authorization',
    challenge: 'Bearer realm="telegate"',
  });
  for (const value of ['Bearer wrong', 's3cr3t', 'bearer s3cr3t', 'Bearer s3cr3t ', '']) {
    const r = auth.authenticate({ authorization: value }, undefined);
    assert.equal(r instanceof Promise, false);
    assert.deepEqual(r, {
      ok: false,
      reason: 'unauthenticated',
      message: 'provided authorization does not match expected scheme or token',
      challenge: 'Bearer realm="telegate"',
    });
  }
  assert.deepEqual(auth.authenticate({ authorization: 'Bearer s3cr3t' }, undefined), { ok: true, auth: {} });
  // Several values: the first one counts, as in Go.
  assert.equal((auth.authenticate({ authorization: ['Bearer s3cr3t', 'x'] }, undefined) as { ok: boolean }).ok, true);
});

test('server: any of `tokens`; a custom header and scheme; an empty scheme means the bare token', () => {
  const many = create({ tokens: ['one', 'two'] });
  for (const t of ['one', 'two'])
    assert.equal((many.authenticate({ authorization: `Bearer ${t}` }, undefined) as { ok: boolean }).ok, true);
  assert.equal((many.authenticate({ authorization: 'Bearer three' }, undefined) as { ok: boolean }).ok, false);
  assert.deepEqual(many.requestHeaders(), { authorization: 'Bearer one' });

  const custom = create({ token: 'k', header: 'X-Api-Key', scheme: '' });
  assert.equal((custom.authenticate({ 'x-api-key': 'k' }, undefined) as { ok: boolean }).ok, true);
  assert.equal((custom.authenticate({ authorization: 'k' }, undefined) as { ok: boolean }).ok, false);
  assert.deepEqual(custom.requestHeaders(), { 'x-api-key': 'k' });
  assert.deepEqual(custom.credentialHeaders, ['x-api-key']);
  assert.equal(custom.identity, '');
});

test('client: `<header>: <scheme> <token>`, the same object on every call', () => {
  const auth = create({ token: 's3cr3t', scheme: 'Token' });
  assert.deepEqual(auth.requestHeaders(), { authorization: 'Token s3cr3t' });
  assert.equal(auth.requestHeaders(), auth.requestHeaders());
});

test('filename: read at start (one token per line), reloaded on change, kept when the new file is empty', async () => {
  const file = join(dir, 'token');
  writeFileSync(file, 'first\n\nsecond\n');
  const logger = new RecordingLogger();
  const auth = create({ filename: file, token: 'ignored' }, logger);
  assert.ok(logger.lines.some((l) => l.level === 'warn' && /filename is specified/.test(l.msg)));
  await auth.start(testHost());
  try {
    assert.deepEqual(auth.requestHeaders(), { authorization: 'Bearer first' });
    assert.equal((auth.authenticate({ authorization: 'Bearer second' }, undefined) as { ok: boolean }).ok, true);
    assert.equal((auth.authenticate({ authorization: 'Bearer ignored' }, undefined) as { ok: boolean }).ok, false);
    assert.equal((auth.authenticate({ authorization: 'Bearer ' }, undefined) as { ok: boolean }).ok, false);

    // An atomic replacement, as a Kubernetes secret update does it. The watcher does not hold the
    // event loop open by itself (the collector's servers do), so the bound below does.
    const reloaded = auth.nextReload();
    writeFileSync(join(dir, 'token.new'), 'rotated\n');
    renameSync(join(dir, 'token.new'), file);
    let guard: NodeJS.Timeout | undefined;
    await Promise.race([
      reloaded,
      new Promise(
        (_, reject) =>
          (guard = setTimeout(() => {
            reject(new Error('no reload within 10 s'));
          }, 10_000)),
      ),
    ]);
    clearTimeout(guard);
    assert.deepEqual(auth.requestHeaders(), { authorization: 'Bearer rotated' });
    assert.equal((auth.authenticate({ authorization: 'Bearer first' }, undefined) as { ok: boolean }).ok, false);
    assert.ok(logger.lines.some((l) => l.msg === 'refresh token'));
    assert.doesNotMatch(logger.text(), /rotated|first|second/);
  } finally {
    await auth.shutdown();
    await auth.shutdown();
  }
});

test("filename: a missing or empty file fails start with Go's message", async () => {
  const missing = create({ filename: join(dir, 'absent') });
  await assert.rejects(missing.start(testHost()), (err: unknown) => {
    assert.ok(err instanceof TelegateError && err.code === 'TG_START_FAILED');
    assert.match(err.message, /failed to read credentials file ".*absent": no such file or directory/);
    return true;
  });
  const emptyFile = join(dir, 'empty');
  writeFileSync(emptyFile, ' \n');
  await assert.rejects(create({ filename: emptyFile }).start(testHost()), /credentials file ".*empty" is empty/);
});
