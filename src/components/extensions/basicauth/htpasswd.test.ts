// htpasswd parsing and loading: which lines are entries, comments or errors (with file and line),
// file and inline combined with inline taking precedence, a missing file, and the unknown-user dummy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseHtpasswd } from './htpasswd.ts';
import { INLINE_SOURCE, loadHtpasswd } from './htpasswd-loader.ts';

const MALFORMED = new URL('testdata/malformed.htpasswd', import.meta.url).pathname;

function tempFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'telegate-htpasswd-')), 'htpasswd');
  writeFileSync(path, text);
  return path;
}

test('every malformed line is reported with its file and line number; blanks and # comments are not', async () => {
  const loaded = await loadHtpasswd(MALFORMED, '');
  assert.equal(loaded.ok, false);
  assert.match(loaded.message, /^read htpasswd content: /);
  assert.ok(loaded.message.includes(`${MALFORMED}:4: no ':' between a user name and a password hash`), loaded.message);
  assert.ok(loaded.message.includes(`${MALFORMED}:5: empty user name`), loaded.message);
  assert.ok(loaded.message.includes(`${MALFORMED}:6: user "user-2" has an empty password hash`), loaded.message);
  assert.ok(loaded.message.includes(`${MALFORMED}:7: user "user-3": malformed $apr1$ MD5 hash`), loaded.message);
  assert.doesNotMatch(loaded.message, /:(1|2|3|8):/);
  assert.doesNotMatch(loaded.message, /no-colon-here|nosalt|1234/, 'line content is never quoted');
});

test('the file and inline entries both count; a user in inline replaces the same user in the file', async () => {
  const file = tempFile('alice:from-file\nbob:bob-pw\r\n');
  const loaded = await loadHtpasswd(file, 'alice:from-inline\ncarol:carol-pw\n');
  assert.ok(loaded.ok);
  const users = loaded.table.users;
  assert.deepEqual([...users.keys()].sort(), ['alice', 'bob', 'carol']);
  assert.equal(await users.get('alice')?.verify(Buffer.from('from-inline')), true);
  assert.equal(await users.get('alice')?.verify(Buffer.from('from-file')), false);
  assert.equal(await users.get('bob')?.verify(Buffer.from('bob-pw')), true, 'CRLF line endings are trimmed');
  assert.equal(loaded.table.plainUsers, 3);
});

test('an inline error names htpasswd.inline and its line', async () => {
  const loaded = await loadHtpasswd('', 'ok:fine\nbroken\n');
  assert.equal(loaded.ok, false);
  assert.equal(
    loaded.message,
    `read htpasswd content: ${INLINE_SOURCE}:2: no ':' between a user name and a password hash`,
  );
});

test('a missing file is an error naming the file, as Go words it', async () => {
  const loaded = await loadHtpasswd('/nonexistent/telegate/htpasswd', 'user-1:1234');
  assert.equal(loaded.ok, false);
  assert.match(loaded.message, /^open htpasswd file: /);
  assert.match(loaded.message, /\/nonexistent\/telegate\/htpasswd/);
  assert.match(loaded.message, /ENOENT/);
});

test("the seed's inline `user-1:1234` is one plain user", async () => {
  const parsed = parseHtpasswd([{ name: INLINE_SOURCE, text: 'user-1:1234\n' }]);
  assert.ok(parsed.ok);
  assert.equal(parsed.table.plainUsers, 1);
  assert.equal(await parsed.table.users.get('user-1')?.verify(Buffer.from('1234')), true);
  assert.equal(await parsed.table.users.get('user-1')?.verify(Buffer.from('1234\n')), false);
});

test('DES-crypt-looking entries are counted (they are read as plain text, as in Go)', () => {
  const parsed = parseHtpasswd([{ name: 'x', text: 'des:JZ/XzQmga4AKQ\nplain:hunter2\n' }]);
  assert.ok(parsed.ok);
  assert.equal(parsed.table.desLikeUsers, 1);
  assert.equal(parsed.table.plainUsers, 2);
});

test('unknown users are checked against the costliest entry', () => {
  const text = [
    'a:plain',
    'b:$apr1$Vv7XNv0V$p9PofBiTj91C29xC2.XA7.',
    'c:$2y$10$5wDVFXFjEEpXwYLCg2J4/OWSQFa8pyRg7BnsNAqTfa6h7YaSGBObu',
    'e:$6$rounds=5000$Q/48pjGrdTJyXOlf$zHf7fNEfFTPsILA5m.hUeZDlzRCJUyBes4ZZW/8NgZHBrzhsj7AvpjwiBxTISwGVR.pbkPURzzkRusB5Ftp2.0',
    'd:{SHA}r+PQ/OnaVl2XSPhlHUY75Onr1SQ=',
  ].join('\n');
  const parsed = parseHtpasswd([{ name: 'x', text }]);
  assert.ok(parsed.ok);
  assert.equal(parsed.table.dummy?.scheme, 'bcrypt', 'bcrypt cost 10 outweighs SHA-crypt 5000 rounds and apr1');
  const none = parseHtpasswd([{ name: 'x', text: '# nobody\n' }]);
  assert.ok(none.ok);
  assert.equal(none.table.dummy, undefined);
});
