// gzip-piece.ts: which gzip bodies are passed on as deflate pieces, and that nothing else is. The bodies
// Go writes are made here bit by bit (a fixed-Huffman block, then Go's final empty stored block), so the
// BFINAL bit falls at each of the 8 positions of its byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, crc32, deflateRawSync, gzipSync, inflateRawSync } from 'node:zlib';
import { decompress } from './compression.ts';
import { finalStoredBlockBit, gunzipToPiece, gzipHeaderLength } from './gzip-piece.ts';
import { gzipMember } from './gzip-member.ts';

/** LSB-first bit writer, as deflate packs bits. */
class Bits {
  private readonly bytes: number[] = [];
  private acc = 0;
  private n = 0;
  put(value: number, count: number): void {
    for (let i = 0; i < count; i++) {
      this.acc |= ((value >> i) & 1) << this.n;
      if (++this.n === 8) this.flushByte();
    }
  }
  /** A Huffman code: its bits go most significant first. */
  code(code: number, length: number): void {
    for (let i = length - 1; i >= 0; i--) this.put((code >> i) & 1, 1);
  }
  align(): void {
    if (this.n > 0) this.flushByte();
  }
  done(): Buffer {
    this.align();
    return Buffer.from(this.bytes);
  }
  private flushByte(): void {
    this.bytes.push(this.acc);
    this.acc = 0;
    this.n = 0;
  }
}

/** `content` in one fixed-Huffman block, then a final empty stored block, as Go's flate writer closes. */
function goStyleDeflate(content: Buffer): Buffer {
  const w = new Bits();
  w.put(0, 1); // BFINAL=0
  w.put(1, 2); // BTYPE=01 fixed
  for (const v of content) {
    if (v < 144) w.code(0x30 + v, 8);
    else w.code(0x190 + v - 144, 9);
  }
  w.code(0, 7); // end of block
  w.put(1, 1); // BFINAL=1
  w.put(0, 2); // BTYPE=00 stored
  w.align();
  w.put(0, 16);
  w.put(0xffff, 16);
  return w.done();
}

function gzipOf(
  deflate: Buffer,
  content: Buffer,
  header = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]),
): Buffer {
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc32(content), 0);
  trailer.writeUInt32LE(content.length, 4);
  return Buffer.concat([header, deflate, trailer]);
}

const SYNC = { finishFlush: constants.Z_SYNC_FLUSH };

test('Go-style bodies with BFINAL at each bit position are passed on as pieces that inflate to the content', async () => {
  const positions = new Set<number>();
  for (let n = 0; n < 24; n++) {
    const content = Buffer.from('ab~'.repeat(8) + '\u00e9'.repeat(n), 'latin1');
    const deflate = goStyleDeflate(content);
    assert.deepEqual(inflateRawSync(deflate), content, 'the hand-made stream is valid deflate');
    const body = gzipOf(deflate, content);
    const final = finalStoredBlockBit(body, 10, body.length - 8);
    assert.ok(final, `found for n=${n}`);
    positions.add(final.bit);
    const out = await decompress('gzip', body, 1 << 20);
    assert.ok(out.ok);
    assert.deepEqual(out.bytes, content);
    assert.ok(out.deflatePiece, `a piece for n=${n}`);
    // The piece is not final: something may follow it, here another piece and then the end.
    assert.deepEqual(
      inflateRawSync(Buffer.concat([out.deflatePiece.deflate, out.deflatePiece.deflate]), SYNC),
      Buffer.concat([content, content]),
    );
  }
  assert.equal(positions.size, 8, 'every bit position was seen');
});

test("telegate's own gzip (gzip-member.ts) is passed on as a piece", async () => {
  const content = Buffer.from('span '.repeat(5000));
  const body = Buffer.concat(await gzipMember([{ plain: [content] }], 1, 'loop'));
  const out = await decompress('gzip', body, 1 << 20);
  assert.ok(out.ok && out.deflatePiece);
  assert.deepEqual(out.bytes, content);
});

test('zlib-style bodies (a final block with data) are gunzipped, with no piece', async () => {
  const content = Buffer.from('zlib closes with data in its final block '.repeat(50));
  for (const level of [1, 6, 9]) {
    const out = await decompress('gzip', gzipSync(content, { level }), 1 << 20);
    assert.ok(out.ok);
    assert.deepEqual(out.bytes, content);
    assert.equal(out.deflatePiece, undefined);
  }
});

test('a final stored block whose data ends in 00 00 ff ff is not mistaken for an empty one', async () => {
  const content = Buffer.concat([Buffer.from('stored data'), Buffer.from([0x05, 0, 0, 0xff, 0xff])]);
  const body = gzipOf(deflateRawSync(content, { level: 0 }), content);
  assert.ok(finalStoredBlockBit(body, 10, body.length - 8), 'the tail looks like an empty stored block');
  const out = await decompress('gzip', body, 1 << 20);
  assert.ok(out.ok);
  assert.deepEqual(out.bytes, content);
  assert.equal(out.deflatePiece, undefined, 'the check inflation saw through it');
});

test('several members (even an empty one first) are gunzipped whole, never passed on as one piece', async () => {
  const [a, b] = [Buffer.from('first '.repeat(30)), Buffer.from('second '.repeat(30))];
  const empty = Buffer.alloc(0);
  for (const parts of [
    [a, b],
    [empty, b],
  ]) {
    const body = Buffer.concat(parts.map((p) => gzipOf(goStyleDeflate(p), p)));
    const out = await decompress('gzip', body, 1 << 20);
    assert.ok(out.ok);
    assert.deepEqual(out.bytes, Buffer.concat(parts));
    assert.equal(out.deflatePiece, undefined);
  }
});

test('a wrong CRC, a wrong length, or too much content: refused as gunzip refuses them', async () => {
  const content = Buffer.from('checked '.repeat(40));
  const good = gzipOf(goStyleDeflate(content), content);
  const badCrc = Buffer.from(good);
  badCrc.writeUInt32LE((badCrc.readUInt32LE(badCrc.length - 8) ^ 1) >>> 0, badCrc.length - 8);
  const badLength = Buffer.from(good);
  badLength.writeUInt32LE(content.length + 1, badLength.length - 4);
  for (const body of [badCrc, badLength]) {
    const out = await decompress('gzip', body, 1 << 20);
    assert.ok(!out.ok);
    assert.equal(out.error, 'corrupt');
  }
  const small = await decompress('gzip', good, content.length - 1);
  assert.ok(!small.ok);
  assert.equal(small.error, 'too-large');
  const exact = await decompress('gzip', good, content.length);
  assert.ok(exact.ok && exact.deflatePiece);
});

test('zero bytes after the member: decompressed as zlib does, but no piece', async () => {
  const content = Buffer.from('first request ');
  const body = Buffer.concat([gzipOf(goStyleDeflate(content), content), Buffer.from([0, 0x41, 0x42])]);
  const out = await decompress('gzip', body, 1024);
  assert.ok(out.ok);
  assert.deepEqual(out.bytes, content);
  assert.equal(out.deflatePiece, undefined);
});

test('deflate and identity bodies never carry a piece', async () => {
  for (const [encoding, body] of [
    ['identity', Buffer.from('plain')],
    ['deflate', deflateRawSync(Buffer.from('plain'))],
  ] as const) {
    const out = await decompress(encoding, body, 1024);
    assert.ok(out.ok);
    assert.equal(out.bytes.toString(), 'plain');
    assert.equal(out.deflatePiece, undefined);
  }
});

test('gzip headers: optional fields are skipped, reserved bits and truncation refused', () => {
  const base = [0x1f, 0x8b, 8];
  const rest = [0, 0, 0, 0, 0, 0xff];
  assert.equal(gzipHeaderLength(Buffer.from([...base, 0, ...rest, 1, 2])), 10);
  // FEXTRA (2 bytes), FNAME, FCOMMENT, FHCRC.
  const all = Buffer.from([...base, 4 | 8 | 16 | 2, ...rest, 2, 0, 9, 9, 0x61, 0, 0x62, 0x63, 0, 7, 7, 0xaa]);
  assert.equal(gzipHeaderLength(all), all.length - 1);
  assert.equal(gzipHeaderLength(Buffer.from([...base, 0x20, ...rest])), undefined);
  assert.equal(gzipHeaderLength(Buffer.from([...base, 8, ...rest, 0x61])), undefined, 'name never ends');
  assert.equal(gzipHeaderLength(Buffer.from([0x1f, 0x8b, 7, 0, ...rest])), undefined, 'not deflate');
  assert.equal(gzipHeaderLength(Buffer.from([0x1f, 0x8b])), undefined);
  const named = gzipOf(goStyleDeflate(Buffer.from('x')), Buffer.from('x'), Buffer.from([...base, 8, ...rest, 0x6e, 0]));
  return decompress('gzip', named, 100).then((out) => {
    assert.ok(out.ok && out.deflatePiece);
  });
});

test('on the loop and on the pool alike: a piece for a Go-style body, none for a tampered one', async () => {
  const content = Buffer.from('both placements '.repeat(100));
  const good = gzipOf(goStyleDeflate(content), content);
  const tampered = Buffer.from(good);
  tampered[20] = (tampered[20] as number) ^ 0x10;
  for (const where of ['loop', 'pool'] as const) {
    const piece = await gunzipToPiece(good, 1 << 20, where);
    assert.ok(piece, where);
    assert.deepEqual(piece.bytes, content);
    assert.equal(piece.piece.crc, crc32(content));
    assert.equal(piece.piece.length, content.length);
    assert.equal(await gunzipToPiece(tampered, 1 << 20, where), undefined, where);
    assert.equal(await gunzipToPiece(good, content.length - 1, where), undefined, `${where}: too large`);
  }
});
