// Bounded decompression: every accepted encoding round-trips, corrupt input and bombs are refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateRawSync, deflateSync, gunzipSync, gzipSync } from 'node:zlib';
import { DEFAULT_GZIP_LEVEL, decompress, gzipAsync, parseEncoding, unsupportedEncodingMessage } from './compression.ts';

const data = Buffer.from('telegate '.repeat(1000));

test('parseEncoding maps header values, case-insensitively; unknown ones are undefined', () => {
  assert.equal(parseEncoding(undefined), 'identity');
  assert.equal(parseEncoding(''), 'identity');
  assert.equal(parseEncoding('Identity'), 'identity');
  assert.equal(parseEncoding(' GZIP '), 'gzip');
  assert.equal(parseEncoding('deflate'), 'deflate');
  assert.equal(parseEncoding('zlib'), 'zlib');
  assert.equal(parseEncoding('zstd'), 'zstd');
  assert.equal(parseEncoding('lz4'), undefined);
  assert.equal(parseEncoding('Snappy'), 'snappy');
  assert.equal(parseEncoding('x-snappy-framed'), 'x-snappy-framed');
  assert.equal(parseEncoding('br'), undefined);
});

test('gzip, zlib, deflate (wrapped and raw) and identity round-trip', async () => {
  const cases = [
    ['gzip', gzipSync(data)],
    ['zlib', deflateSync(data)],
    ['deflate', deflateSync(data)],
    ['deflate', deflateRawSync(data)],
    ['identity', data],
  ] as const;
  for (const [enc, body] of cases) {
    const out = await decompress(enc, body, 1 << 20);
    assert.ok(out.ok, enc);
    assert.deepEqual(out.bytes, data, enc);
  }
});

test('bytes that are not what the encoding claims are "corrupt"', async () => {
  const out = await decompress('gzip', Buffer.from('not gzip at all'), 1 << 20);
  assert.ok(!out.ok);
  assert.equal(out.error, 'corrupt');
  assert.match(out.message, /not valid gzip/);
  const truncated = gzipSync(data).subarray(0, 20);
  const t = await decompress('gzip', truncated, 1 << 20);
  assert.equal(!t.ok && t.error, 'corrupt');
});

test('output is bounded: a small bomb is refused as too-large without inflating it all', async () => {
  const bomb = gzipSync(Buffer.alloc(64 << 20));
  assert.ok(bomb.length < 100_000);
  const out = await decompress('gzip', bomb, 1 << 20);
  assert.equal(!out.ok && out.error, 'too-large');
  const exact = await decompress('gzip', gzipSync(Buffer.alloc(1000)), 1000);
  assert.ok(exact.ok);
  const over = await decompress('gzip', gzipSync(Buffer.alloc(1001)), 1000);
  assert.equal(!over.ok && over.error, 'too-large');
  const plain = await decompress('identity', Buffer.alloc(1001), 1000);
  assert.equal(!plain.ok && plain.error, 'too-large');
});

test('the unsupported-encoding message names the encoding and what is accepted', () => {
  assert.equal(
    unsupportedEncodingMessage('lz4', ['', 'gzip']),
    'unsupported Content-Encoding: lz4 (not available in this Node.js build); accepted: identity, gzip',
  );
  assert.equal(unsupportedEncodingMessage('br2', ['gzip']), 'unsupported Content-Encoding: br2; accepted: gzip');
});

test('gzipAsync: standard gzip at the level asked (the header says fastest/best), small and multi-chunk bodies', async () => {
  // A 2 MiB body with little repetition makes several output chunks even at the largest chunk size.
  const big = Buffer.from(Array.from({ length: 1 << 17 }, (_, i) => `${(i * 2654435761) >>> 0},`).join(''));
  for (const body of [Buffer.alloc(0), data, big]) {
    for (const level of [DEFAULT_GZIP_LEVEL, -1, 9]) {
      const out = await gzipAsync(body, level);
      assert.deepEqual(gunzipSync(out), body, `${body.length} bytes at level ${level}`);
      // Byte 8 of a gzip header (XFL): 4 = fastest (level 1), 2 = best (9), 0 = other levels.
      assert.equal(out[8], level === 1 ? 4 : level === 9 ? 2 : 0, `XFL at level ${level}`);
    }
  }
  assert.equal(DEFAULT_GZIP_LEVEL, 1);
});

test('zstd: round trip, and a bomb refused from its frame headers before it is inflated', async () => {
  const { zstdAsync } = await import('./compression.ts');
  const data = Buffer.from('telegate '.repeat(50_000));
  const packed = await zstdAsync(data, 0);
  const out = await decompress('zstd', packed, data.length);
  assert.ok(out.ok);
  assert.deepEqual(out.bytes, data);
  const small = await decompress('zstd', packed, data.length - 1);
  assert.equal(!small.ok && small.error, 'too-large');
  // 1,000 RLE blocks of 128 KiB: 4 KB that would inflate to 125 MiB.
  const blocks = Array.from({ length: 1000 }, (_, i) => {
    const h = (i === 999 ? 1 : 0) | (1 << 1) | ((128 * 1024) << 3);
    return Buffer.from([h & 0xff, (h >> 8) & 0xff, (h >> 16) & 0xff, 0x41]);
  });
  const bomb = Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x58]), ...blocks]);
  const refused = await decompress('zstd', bomb, 1024 * 1024);
  assert.equal(!refused.ok && refused.error, 'too-large');
  const corrupt = await decompress('zstd', Buffer.from('not zstd at all'), 1024);
  assert.equal(!corrupt.ok && corrupt.error, 'corrupt');
  const broken = await decompress(
    'zstd',
    Buffer.concat([packed.subarray(0, 8), Buffer.alloc(packed.length - 8)]),
    1 << 20,
  );
  assert.equal(broken.ok, false);
});

test('zstd: compression_params.level reaches the encoder (level 1 and level 19 give different frames); unset is level 1', async () => {
  const { zstdAsync } = await import('./compression.ts');
  // Varied text: levels differ in how hard they search, so their outputs differ in size.
  const words = ['span', 'trace', 'resource', 'scope', 'http.route', '/api/v1/orders', 'GET', '200', 'db3', 'pg'];
  let x = 1;
  const text = Array.from({ length: 60_000 }, () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return words[x % words.length] ?? '';
  }).join(' ');
  const data = Buffer.from(text);
  const fast = await zstdAsync(data, 1);
  const best = await zstdAsync(data, 19);
  assert.ok(best.length < fast.length, `level 19 (${best.length} B) should be smaller than level 1 (${fast.length} B)`);
  // Unset (0) is telegate's default, level 1 (Go's is about 3): the same frame as level 1, not level 3's.
  assert.deepEqual(await zstdAsync(data, 0), fast);
  assert.notDeepEqual(await zstdAsync(data, 3), fast);
  for (const packed of [fast, best]) {
    const out = await decompress('zstd', packed, data.length);
    assert.ok(out.ok);
    assert.deepEqual(out.bytes, data);
  }
});

test('snappy: block and framed round trips; `snappy` recognises a framed stream by its identifier', async () => {
  const { snappyAsync } = await import('./compression.ts');
  const block = await snappyAsync(data, false);
  const framed = await snappyAsync(data, true);
  for (const [enc, body] of [
    ['snappy', block],
    ['snappy', framed],
    ['x-snappy-framed', framed],
  ] as const) {
    const out = await decompress(enc, body, data.length);
    assert.ok(out.ok, enc);
    assert.deepEqual(out.bytes, data, enc);
  }
  // A block is not a framed stream: x-snappy-framed wants the identifier first, as golang/snappy's Reader.
  const notFramed = await decompress('x-snappy-framed', block, 1 << 20);
  assert.equal(!notFramed.ok && notFramed.error, 'corrupt');
});

test('snappy: a block bomb is refused from its stated length, before it is inflated', async () => {
  const { snappyAsync } = await import('./compression.ts');
  // 8 MiB of zeros compress to ~380 KB; the limit is 1 MiB.
  const bomb = await snappyAsync(Buffer.alloc(8 << 20), false);
  const out = await decompress('snappy', bomb, 1 << 20);
  assert.equal(!out.ok && out.error, 'too-large');
  // A header stating 4 GiB over a few bytes: refused on the header alone, nothing allocated.
  const forged = await decompress('snappy', Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0, 1, 2]), 1 << 20);
  assert.equal(!forged.ok && forged.error, 'too-large');
  const exact = await decompress('snappy', await snappyAsync(Buffer.alloc(1000), false), 1000);
  assert.ok(exact.ok);
  const over = await decompress('snappy', await snappyAsync(Buffer.alloc(1001), false), 1000);
  assert.equal(!over.ok && over.error, 'too-large');
});

test('snappy: corrupt and truncated blocks, and an empty body, are corrupt (as Go: snappy.ErrCorrupt)', async () => {
  const { snappyAsync } = await import('./compression.ts');
  const block = await snappyAsync(data, false);
  const bodies = [Buffer.alloc(0), Buffer.from([0x80]), block.subarray(0, block.length - 3), Buffer.from([5, 0xff])];
  for (const body of bodies) {
    const out = await decompress('snappy', body, 1 << 20);
    assert.equal(!out.ok && out.error, 'corrupt', body.toString('hex'));
    assert.match(!out.ok ? out.message : '', /not valid snappy data/);
  }
  const framed = await snappyAsync(data, true);
  const broken = await decompress('snappy', framed.subarray(0, framed.length - 1), 1 << 20);
  assert.match(!broken.ok ? broken.message : '', /not valid framed snappy data/);
});
