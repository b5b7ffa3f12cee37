// Passwords: given, reused from an earlier render, or generated; hashes reused while they verify.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generatePassword, htpasswdText, resolveCredentials, verifies } from './credentials.ts';
import { parseSpec } from './load-spec.ts';
import type { K8sSpec } from './spec.ts';

function spec(): K8sSpec {
  const text = `gateway: { cluster: gw, host: t.example.com }
edges: [{ cluster: e1, zone: z }, { cluster: e2, zone: z, user: second, password: given }]
`;
  const loaded = parseSpec(text, 'f');
  if ('issues' in loaded) throw new Error('bad spec');
  return loaded.spec;
}

test('a given password is used, a missing one generated, a known one reused with its hash', () => {
  const first = resolveCredentials(spec(), { passwords: new Map(), hashes: new Map() }, () => 'made-up', 4);
  assert.deepEqual(
    first.map((c) => [c.user, c.password, c.generated]),
    [
      ['e1', 'made-up', true],
      ['second', 'given', false],
    ],
  );
  for (const c of first) assert.ok(verifies(c.password, c.hash));
  const existing = { passwords: new Map([['e1', 'made-up']]), hashes: new Map(first.map((c) => [c.user, c.hash])) };
  const again = resolveCredentials(spec(), existing, () => assert.fail('nothing to generate'), 4);
  assert.deepEqual(
    again.map((c) => c.hash),
    first.map((c) => c.hash),
  );
  assert.equal(htpasswdText(again), `e1:${first[0]?.hash}\nsecond:${first[1]?.hash}\n`);
});

test('a hash that no longer verifies the password is replaced', () => {
  const stale = { passwords: new Map([['e1', 'new']]), hashes: new Map([['e1', '$2y$04$notavalidhashatall']]) };
  const [c] = resolveCredentials(spec(), stale, () => 'x', 4);
  assert.ok(c !== undefined && c.hash !== '$2y$04$notavalidhashatall' && verifies('new', c.hash));
  assert.equal(c.generated, false);
});

test('generated passwords are long, URL-safe and different', () => {
  const a = generatePassword();
  assert.match(a, /^[A-Za-z0-9_-]{32}$/);
  assert.notEqual(a, generatePassword());
});
