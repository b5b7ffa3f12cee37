// `telegate passwd` end to end: spawned with a password on stdin, its line verifies with
// @node-rs/bcrypt, with Apache's `htpasswd -vb` and with telegate's own htpasswd parser; usage
// errors exit 2, an unusable password exits 1, and the password is never printed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifySync } from '@node-rs/bcrypt';
import { parseHtpasswd } from '../components/extensions/basicauth/htpasswd.ts';
import { parsePasswdArgs } from './passwd.ts';

const MAIN = new URL('main.ts', import.meta.url).pathname;
const hasHtpasswd = spawnSync('htpasswd', ['-nbp', 'u', 'p']).status === 0;

function passwd(args: string[], stdin: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'passwd', ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  child.stdin.end(stdin);
  return new Promise((resolve) => {
    child.once('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

test('prints USER:$2y$ bcrypt that bcrypt, htpasswd -vb and telegate accept', async () => {
  const password = 'correct horse: battery';
  const { code, stdout, stderr } = await passwd(['alice', '--cost', '5'], `${password}\nsecond line ignored\n`);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /^alice:\$2y\$05\$[./A-Za-z0-9]{53}\n$/);
  assert.ok(!stdout.includes(password) && !stderr.includes(password), 'the password is not printed');
  const hash = stdout.trim().slice('alice:'.length);
  assert.equal(verifySync(password, hash), true);
  assert.equal(verifySync('second line ignored', hash), false);
  const parsed = parseHtpasswd([{ name: 'out', text: stdout }]);
  assert.ok(parsed.ok);
  assert.equal(await parsed.table.users.get('alice')?.verify(Buffer.from(password)), true);
  if (hasHtpasswd) {
    const file = join(mkdtempSync(join(tmpdir(), 'telegate-passwd-')), 'htpasswd');
    writeFileSync(file, stdout);
    assert.equal(spawnSync('htpasswd', ['-vb', file, 'alice', password]).status, 0, 'htpasswd -vb accepts it');
    assert.notEqual(spawnSync('htpasswd', ['-vb', file, 'alice', 'wrong']).status, 0, 'and refuses a wrong one');
  }
});

test('the default cost is 10 and a CRLF line ending is not part of the password', async () => {
  const { code, stdout } = await passwd(['bob'], 'pw\r\n');
  assert.equal(code, 0);
  assert.match(stdout, /^bob:\$2y\$10\$/);
  assert.equal(verifySync('pw', stdout.trim().slice(4)), true);
});

test('an empty password or empty stdin exits 1 with a clear message', async () => {
  const empty = await passwd(['alice'], '\n');
  assert.equal(empty.code, 1);
  assert.match(empty.stderr, /the password is empty/);
  assert.equal(empty.stdout, '');
  const none = await passwd(['alice'], '');
  assert.equal(none.code, 1);
  assert.match(none.stderr, /no password on stdin/);
});

test('usage errors exit 2: a colon in the user, no user, a bad cost', async () => {
  const colon = await passwd(['al:ice'], 'pw\n');
  assert.equal(colon.code, 2);
  assert.match(colon.stderr, /cannot contain ':'/);
  assert.match(colon.stderr, /usage: telegate passwd USER/);
  assert.equal((await passwd([], 'pw\n')).code, 2);
  const cost = await passwd(['alice', '--cost', '3'], 'pw\n');
  assert.equal(cost.code, 2);
  assert.match(cost.stderr, /--cost must be an integer from 4 to 31/);
});

test('argument parsing', () => {
  assert.deepEqual(parsePasswdArgs(['u']), { user: 'u', cost: 10 });
  assert.deepEqual(parsePasswdArgs(['--cost', '12', 'u']), { user: 'u', cost: 12 });
  assert.throws(() => parsePasswdArgs(['u', 'v']), /exactly one USER/);
  assert.throws(() => parsePasswdArgs(['u', '--cost', '1e1']), /--cost/);
  assert.throws(() => parsePasswdArgs(['u', '--frob']), /Unknown option '--frob'/);
});
