// decompress() hands back the gzip body itself (gzipWhole) only when zlib read every byte of it as whole
// members: a member followed by zero bytes, which zlib skips and Go's reader refuses, is never forwarded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync, gzipSync } from 'node:zlib';
import { decompress } from './compression.ts';

const a = gzipSync(Buffer.from('first request '));
const b = gzipSync(Buffer.from('second request'));

test('a whole gzip body, one member or several, is handed back as it came', async () => {
  for (const body of [a, Buffer.concat([a, b])]) {
    const out = await decompress('gzip', body, 1024);
    assert.ok(out.ok);
    assert.equal(out.gzipWhole, body);
  }
});

test('zero bytes after the member: decompressed as zlib does, but not handed back', async () => {
  const out = await decompress('gzip', Buffer.concat([a, Buffer.from([0, 0x41, 0x42])]), 1024);
  assert.ok(out.ok);
  assert.equal(out.bytes.toString(), 'first request ');
  assert.equal(out.gzipWhole, undefined);
});

test('deflate and identity bodies never carry gzipWhole', async () => {
  for (const [encoding, body] of [
    ['identity', Buffer.from('plain')],
    ['deflate', deflateSync(Buffer.from('plain'))],
  ] as const) {
    const out = await decompress(encoding, body, 1024);
    assert.ok(out.ok);
    assert.equal(out.bytes.toString(), 'plain');
    assert.equal(out.gzipWhole, undefined);
  }
});
