// The TypeScript snappy block decoder against the native encoder: what it encodes decodes to the same
// bytes; any garbage is refused (or decoded) without a throw and without writing outside its window.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createRequire } from 'node:module';
import { decodeBlockInto } from './snappy-block.ts';
import { snappyBlockLength } from './snappy.ts';

const native = createRequire(import.meta.url)('snappy') as { compressSync(b: Uint8Array): Buffer };

/** Decodes `block` into the middle of a guarded buffer; the guards must stay untouched. */
function decode(block: Buffer, length: number, start = 0): { error: string | undefined; out: Buffer } {
  const out = Buffer.alloc(length + 16, 0xaa);
  const error = decodeBlockInto(block, start, block.length, out, 8, length);
  assert.deepEqual(out.subarray(0, 8), Buffer.alloc(8, 0xaa), 'nothing written before the window');
  assert.deepEqual(out.subarray(8 + length), Buffer.alloc(8, 0xaa), 'nothing written after the window');
  return { error, out: out.subarray(8, 8 + length) };
}

test('decodes what the native encoder makes: literals of every length form, overlapping and far copies', () => {
  const arbInput = fc.oneof(
    fc.uint8Array({ maxLength: 70_000 }),
    fc.tuple(fc.string({ maxLength: 30 }), fc.nat(3000)).map(([s, n]) => Buffer.from(s.repeat(n))),
    fc
      .tuple(fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.nat(300))
      .map(([a, n]) => Buffer.concat(Array(n + 1).fill(Buffer.from(a)))),
  );
  fc.assert(
    fc.property(arbInput, (input) => {
      const block = native.compressSync(input);
      const header = snappyBlockLength(block);
      assert.ok(header.ok);
      assert.equal(header.length, input.length);
      const { error, out } = decode(block, header.length, header.dataStart);
      assert.equal(error, undefined);
      assert.deepEqual(out, Buffer.from(input));
    }),
    { numRuns: 150 },
  );
});

test('garbage never throws nor writes outside its window; a short or overlong block is refused', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), fc.nat(200), (bytes, length) => {
      decode(Buffer.from(bytes), length);
    }),
    { numRuns: 2000 },
  );
  const cases: [number[], number, RegExp][] = [
    [[0x08, 0x61], 3, /literal runs past/], // a 3-byte literal with 1 byte present
    [[0x00, 0x61, 0x01], 1, /truncated copy/],
    [[0x00, 0x61, 0x05, 0x02], 8, /copy offset out of range/], // offset 2 with 1 byte written
    [[0x00, 0x61, 0x01, 0x00], 8, /copy offset out of range/], // offset 0
    [[0x00, 0x61, 0x05, 0x01], 3, /copy runs past/],
    [[0x00, 0x61], 2, /shorter than its stated length/],
    [[0xf0, 0x01], 3, /truncated literal length|literal runs past/],
  ];
  for (const [bytes, length, why] of cases) assert.match(decode(Buffer.from(bytes), length).error ?? '', why);
  // An overlapping copy repeats: "a" then copy(len 5, offset 1) is "aaaaaa".
  assert.equal(decode(Buffer.from([0x00, 0x61, 0x05, 0x01]), 6).out.toString(), 'aaaaaa');
});
