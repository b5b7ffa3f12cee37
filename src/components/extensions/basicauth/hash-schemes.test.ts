// Every htpasswd format go-htpasswd accepts, checked against hashes made by Debian's htpasswd and by
// openssl (stored in testdata/formats.htpasswd, and made afresh when the tools are installed): the
// right password verifies, a wrong one does not. Also the published SHA-crypt test vectors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseHash } from './hash-schemes.ts';
import { parseHtpasswd } from './htpasswd.ts';
import { md5Crypt } from './md5-crypt.ts';
import { shaCrypt } from './sha-crypt.ts';
import type { PasswordVerifier } from './password-verifier.ts';

const PASSWORD = 's3cret pw';
const FORMATS = readFileSync(new URL('testdata/formats.htpasswd', import.meta.url), 'utf8');

function verifier(encoded: string): PasswordVerifier {
  const parsed = parseHash(encoded);
  assert.ok(parsed.ok, `${encoded} parses`);
  return parsed.verifier;
}

async function accepts(v: PasswordVerifier, password: string): Promise<boolean> {
  return v.verify(Buffer.from(password, 'utf8'));
}

function tool(cmd: string, args: string[]): string | undefined {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim().split('\n')[0] : undefined;
}
const hasHtpasswd = spawnSync('htpasswd', ['-nbp', 'u', 'p']).status === 0;
const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

test('every stored htpasswd and openssl hash verifies its password and refuses others', async () => {
  const parsed = parseHtpasswd([{ name: 'formats.htpasswd', text: FORMATS }]);
  assert.ok(parsed.ok);
  const users = parsed.table.users;
  assert.equal(users.size, 11);
  const schemes = new Set([...users.values()].map((v) => v.scheme));
  assert.deepEqual([...schemes].sort(), [
    'apr1',
    'bcrypt',
    'md5-crypt',
    'plain',
    'sha1',
    'sha256-crypt',
    'sha512-crypt',
  ]);
  for (const [user, v] of users) {
    assert.equal(await accepts(v, PASSWORD), true, `${user} accepts the password`);
    assert.equal(await accepts(v, 's3cret pW'), false, `${user} refuses a wrong password`);
    assert.equal(await accepts(v, ''), false, `${user} refuses an empty password`);
  }
});

test('hashes made now by Debian htpasswd verify', { skip: !hasHtpasswd && 'htpasswd not installed' }, async () => {
  const password = `pä ss:${randomBytes(4).toString('hex')}`;
  const flags = [['-B', '-C', '4'], ['-m'], ['-s'], ['-p'], ['-2', '-r', '5000'], ['-5', '-r', '1000']];
  for (const f of flags) {
    const line = tool('htpasswd', ['-nb', ...f, 'u', password]);
    assert.ok(line !== undefined && line.startsWith('u:'), `htpasswd ${f.join(' ')}`);
    const v = verifier(line.slice(2));
    assert.equal(await accepts(v, password), true, `htpasswd ${f.join(' ')} accepted`);
    assert.equal(await accepts(v, `${password}x`), false, `htpasswd ${f.join(' ')} refuses a wrong one`);
  }
});

test('hashes made now by openssl passwd verify', { skip: !hasOpenssl && 'openssl not installed' }, async () => {
  const password = `open ${randomBytes(4).toString('hex')}`;
  for (const [flag, scheme] of [
    ['-1', 'md5-crypt'],
    ['-apr1', 'apr1'],
    ['-5', 'sha256-crypt'],
    ['-6', 'sha512-crypt'],
  ] as const) {
    const hash = tool('openssl', ['passwd', flag, password]);
    assert.ok(hash !== undefined, `openssl passwd ${flag}`);
    const v = verifier(hash);
    assert.equal(v.scheme, scheme);
    assert.equal(await accepts(v, password), true, flag);
    assert.equal(await accepts(v, 'open'), false, flag);
  }
});

test('{SSHA}: base64 of SHA-1(password + salt) followed by the salt', async () => {
  const salt = randomBytes(8);
  const digest = createHash('sha1').update(PASSWORD).update(salt).digest();
  const v = verifier(`{SSHA}${Buffer.concat([digest, salt]).toString('base64')}`);
  assert.equal(v.scheme, 'ssha');
  assert.equal(await accepts(v, PASSWORD), true);
  assert.equal(await accepts(v, 's3cret'), false);
});

test('bcrypt is accepted under every prefix go-htpasswd knows ($2y$, $2a$, $2b$, $2x$)', async () => {
  const line = FORMATS.split('\n').find((l) => l.startsWith('bcrypt:')) ?? '';
  const body = line.slice('bcrypt:$2y$'.length);
  for (const prefix of ['$2y$', '$2a$', '$2b$', '$2x$']) {
    const v = verifier(prefix + body);
    assert.equal(v.scheme, 'bcrypt');
    assert.equal(await accepts(v, PASSWORD), true, prefix);
    assert.equal(await accepts(v, 'nope'), false, prefix);
  }
});

test('plain entries match the password or, as nginx writes them, {PLAIN} and the password', async () => {
  const tagged = verifier('{PLAIN}1234');
  assert.equal(await accepts(tagged, '1234'), true);
  assert.equal(await accepts(tagged, '{PLAIN}1234'), true);
  assert.equal(await accepts(tagged, '123'), false);
  const plain = verifier('1234');
  assert.equal(plain.scheme, 'plain');
  assert.equal(await accepts(plain, '1234'), true);
  assert.equal(await accepts(plain, '12345'), false);
});

test('SHA-crypt follows the published test vectors, including the rounds minimum', () => {
  const hello = Buffer.from('Hello world!');
  assert.equal(shaCrypt('sha256', hello, 'saltstring', 5000), '5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5');
  assert.equal(
    shaCrypt('sha512', hello, 'saltstring', 5000),
    'svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1',
  );
  const low = Buffer.from('the minimum number is still observed');
  assert.equal(shaCrypt('sha256', low, 'roundstoolow', 10), 'yfvwcWrQ8l/K0DAWyuPMDNHpIVlTQebY9l/gL972bIC');
});

test('MD5-crypt of an empty password matches openssl', () => {
  assert.equal(md5Crypt(Buffer.alloc(0), 'abc', '$1$'), 'Or2rbeUYTvt12aiVzMuS/.');
});

test('a known prefix with a malformed body is an error that does not quote the hash', () => {
  for (const bad of [
    '$apr1$nosalt',
    '$1$salt$tooshort',
    '{SHA}not base64!',
    '{SHA}AAAA',
    '{SSHA}AAAA',
    '$2y$05$short',
    '$2y$99$5wDVFXFjEEpXwYLCg2J4/OWSQFa8pyRg7BnsNAqTfa6h7YaSGBObu',
    '$5$salt$short',
    '$6$rounds=x$salt$zHf7fNEfFTPsILA5m',
  ]) {
    const parsed = parseHash(bad);
    assert.equal(parsed.ok, false, bad);
    assert.ok(!parsed.message.includes(bad), `message does not quote ${bad}`);
  }
});
