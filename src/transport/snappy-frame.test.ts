// The snappy framing format and block bound: Go's bytes decode, round trips (ours and the native stream
// codec's, both ways), bombs refused from headers alone, corrupt streams named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createRequire } from 'node:module';
import { decodeFramed, encodeFramed, MAX_CHUNK_DATA, STREAM_IDENTIFIER } from './snappy-frame.ts';
import { snappyBlockLength, snappyCodec, type SnappyBlockCodec } from './snappy.ts';
import { maskedCrc32c } from '../util/crc32c.ts';

// The binding is an install dependency (prebuilt for this platform): it must load here.
const codec = snappyCodec() as SnappyBlockCodec;
const native = createRequire(import.meta.url)('snappy') as {
  Compressor: new () => { update(b: Uint8Array): Buffer; finish(): Promise<Buffer> };
  Decompressor: new () => { update(b: Uint8Array): Buffer; finish(): Promise<Buffer> };
  compressSync(b: Uint8Array): Buffer;
};

/** "span-0;span-1;…span-39;" as github.com/golang/snappy v0.0.2's NewBufferedWriter framed it. */
const GO_FRAMED = Buffer.from(
  '/wYAAHNOYVBwWQCuAADBFif5tgIYc3Bhbi0wOwUHADEJBwAyCQcAMwkHADQJBwA1CQcANgkHADcJBwA4CQcAOQkHADERRw1IADENSQAx' +
    'DUoAMQ1LADENTAAxDU0AMQ1OADENTwAxDVAAMg1QADINUAAyDVAAMg1QADINUAAyDVAAMg1QADINUAAyDVAAMg1QADMNUAAzDVAAMw1Q' +
    'ADMNUAAzDVAAMw1QADMNUAAzDVAoMzg7c3Bhbi0zOTs=',
  'base64',
);
const GO_PLAIN = Buffer.from(Array.from({ length: 40 }, (_, i) => `span-${i};`).join(''));

/** One chunk: [type][len:3 LE][body]. */
function chunk(type: number, body: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head[0] = type;
  head.writeUIntLE(body.length, 1, 3);
  return Buffer.concat([head, body]);
}

function dataChunk(type: 0 | 1, plain: Buffer, payload: Buffer): Buffer {
  const crc = Buffer.alloc(4);
  crc.writeUInt32LE(maskedCrc32c(plain));
  return chunk(type, Buffer.concat([crc, payload]));
}

async function decode(body: Buffer, max = 1 << 20) {
  return decodeFramed(codec, body, max);
}

test("Go's framed stream decodes (its CRC-32C and block match ours), and ours encodes to the same bytes", async () => {
  const out = await decode(GO_FRAMED);
  assert.ok(out.ok);
  assert.deepEqual(out.bytes, GO_PLAIN);
  assert.deepEqual(await encodeFramed(codec, GO_PLAIN), GO_FRAMED);
  // The block inside (after identifier, chunk header and CRC) states its length up front.
  const header = snappyBlockLength(GO_FRAMED, 18);
  assert.deepEqual(header, { ok: true, length: GO_PLAIN.length, dataStart: 20 });
});

test('round trip through our framing, and against the native stream codec both ways', async () => {
  const bytes = fc.oneof(
    fc.uint8Array({ maxLength: 3 * MAX_CHUNK_DATA }),
    fc.tuple(fc.string({ maxLength: 20 }), fc.nat(20_000)).map(([s, n]) => Buffer.from(s.repeat(n))),
  );
  await fc.assert(
    fc.asyncProperty(bytes, async (plain) => {
      const buf = Buffer.from(plain);
      const framed = await encodeFramed(codec, buf);
      const ours = await decode(framed, buf.length);
      assert.ok(ours.ok);
      assert.deepEqual(ours.bytes, buf);
      const d = new native.Decompressor();
      assert.deepEqual(Buffer.concat([d.update(framed), await d.finish()]), buf);
      const c = new native.Compressor();
      const theirs = await decode(Buffer.concat([c.update(buf), await c.finish()]), buf.length);
      assert.ok(theirs.ok);
      assert.deepEqual(theirs.bytes, buf);
    }),
    { numRuns: 40 },
  );
});

test('a framed bomb is refused from its chunk headers, before a block is inflated', async () => {
  // 1,000 chunks each stating 64 KiB of zeros: 3 MB that would inflate to 62.5 MiB.
  const zeros = Buffer.alloc(MAX_CHUNK_DATA);
  const one = dataChunk(0, zeros, native.compressSync(zeros));
  const bomb = Buffer.concat([STREAM_IDENTIFIER, ...Array.from({ length: 1000 }, () => one)]);
  const out = await decode(bomb, 1 << 20);
  assert.equal(!out.ok && out.error, 'too-large');
  // The same chunks within the limit decode.
  const fits = await decode(Buffer.concat([STREAM_IDENTIFIER, one, one]), 2 * MAX_CHUNK_DATA);
  assert.ok(fits.ok);
  assert.equal(fits.bytes.length, 2 * MAX_CHUNK_DATA);
  // A chunk stating more than 64 KiB is corrupt (golang/snappy's maxBlockSize), whatever the limit.
  const big = Buffer.alloc(MAX_CHUNK_DATA + 1);
  const over = await decode(Buffer.concat([STREAM_IDENTIFIER, dataChunk(0, big, native.compressSync(big))]));
  assert.equal(!over.ok && over.error, 'corrupt');
});

test('corrupt framed streams are refused with a reason; skippable chunks and repeated identifiers pass', async () => {
  const plain = Buffer.from('hello, snappy');
  const good = dataChunk(0, plain, native.compressSync(plain));
  const badCrc = Buffer.from(good);
  badCrc[4] = (badCrc[4] as number) ^ 1;
  const cases: [string, Buffer, RegExp][] = [
    ['no identifier', good, /stream identifier/],
    ['bad identifier', Buffer.concat([chunk(0xff, Buffer.from('sNaPpX')), good]), /bad stream identifier/],
    ['bad checksum', Buffer.concat([STREAM_IDENTIFIER, badCrc]), /checksum mismatch/],
    ['truncated header', Buffer.concat([STREAM_IDENTIFIER, good.subarray(0, 3)]), /truncated chunk header/],
    ['truncated chunk', Buffer.concat([STREAM_IDENTIFIER, good.subarray(0, good.length - 1)]), /truncated chunk/],
    ['reserved type', Buffer.concat([STREAM_IDENTIFIER, chunk(0x02, Buffer.alloc(3))]), /unskippable/],
    ['short data chunk', Buffer.concat([STREAM_IDENTIFIER, chunk(0x01, Buffer.alloc(3))]), /shorter than its checksum/],
    ['bad block length', Buffer.concat([STREAM_IDENTIFIER, chunk(0x00, Buffer.alloc(9, 0xff))]), /bad block length/],
    [
      'garbage block',
      Buffer.concat([STREAM_IDENTIFIER, dataChunk(0, plain, Buffer.from([13, 0xff, 0xff, 0xff]))]),
      /./,
    ],
  ];
  for (const [name, body, why] of cases) {
    const out = await decode(body);
    assert.equal(out.ok, false, name);
    assert.equal(out.error, 'corrupt', name);
    assert.match(out.message, why, name);
  }
  const padded = Buffer.concat([STREAM_IDENTIFIER, chunk(0xfe, Buffer.alloc(5)), good, STREAM_IDENTIFIER]);
  const raw = dataChunk(1, plain, plain);
  const out = await decode(Buffer.concat([padded, chunk(0x80, Buffer.alloc(0)), raw]));
  assert.ok(out.ok);
  assert.equal(out.bytes.toString(), 'hello, snappyhello, snappy');
});

test('snappyBlockLength reads the varint length: at most 32 bits, at most 5 bytes', () => {
  assert.deepEqual(snappyBlockLength(Buffer.from([0x00])), { ok: true, length: 0, dataStart: 1 });
  assert.deepEqual(snappyBlockLength(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f])), {
    ok: true,
    length: 0xffffffff,
    dataStart: 5,
  });
  assert.deepEqual(snappyBlockLength(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x10])), { ok: false });
  assert.deepEqual(snappyBlockLength(Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x01])), { ok: false });
  assert.deepEqual(snappyBlockLength(Buffer.from([0x80])), { ok: false });
  assert.deepEqual(snappyBlockLength(Buffer.alloc(0)), { ok: false });
});

test('a stream of many tiny chunks decodes (decoded here, not one binding call each)', async () => {
  const x = Buffer.from('x');
  const one = dataChunk(0, x, native.compressSync(x));
  const out = await decode(Buffer.concat([STREAM_IDENTIFIER, ...Array.from({ length: 5000 }, () => one)]), 5000);
  assert.ok(out.ok);
  assert.equal(out.bytes.toString(), 'x'.repeat(5000));
});
