// The zstd size bound against the real codec: never below what a body decompresses to, within one block per
// frame above it for real data, exact for raw/RLE blocks, and an error (never a throw) for what is not zstd.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { zstdDecompressedBound } from './zstd-frame-bound.ts';
import { zstdCodec } from './zstd.ts';

const codec = zstdCodec();

test('bound ≥ the decompressed size and within 128 KiB of it, for compressible and random data at several levels', async () => {
  assert.ok(codec);
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        fc.uint8Array({ maxLength: 600_000 }),
        fc.string({ maxLength: 200_000 }).map((s) => Buffer.from(s.repeat(3))),
      ),
      fc.constantFrom(1, 3, 9),
      async (data, level) => {
        const input = Buffer.from(data);
        const compressed = await codec.compress(input, level);
        const bound = zstdDecompressedBound(compressed);
        assert.ok(bound.ok);
        assert.ok(bound.bytes >= input.length, `${bound.bytes} < ${input.length}`);
        assert.ok(bound.bytes <= input.length + 128 * 1024, `${bound.bytes} ≫ ${input.length}`);
        assert.deepEqual(await codec.decompress(compressed, input.length + 1), input);
      },
    ),
    { numRuns: 25 },
  );
});

test('raw and RLE blocks count exactly; skippable frames count nothing; frames add up', () => {
  const frame = (blocks: Buffer[]): Buffer =>
    Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x58]), ...blocks]);
  const block = (type: number, size: number, last: boolean, content: Buffer): Buffer => {
    const h = (last ? 1 : 0) | (type << 1) | (size << 3);
    return Buffer.concat([Buffer.from([h & 0xff, (h >> 8) & 0xff, (h >> 16) & 0xff]), content]);
  };
  const raw = frame([block(0, 5, false, Buffer.from('hello')), block(1, 1000, true, Buffer.from('x'))]);
  assert.deepEqual(zstdDecompressedBound(raw), { ok: true, bytes: 1005 });
  const skippable = Buffer.concat([Buffer.from([0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0]), Buffer.from('abc')]);
  assert.deepEqual(zstdDecompressedBound(Buffer.concat([raw, skippable, raw])), { ok: true, bytes: 2010 });
  assert.deepEqual(zstdDecompressedBound(Buffer.alloc(0)), { ok: true, bytes: 0 });
});

test('what is not zstd is an error with a reason, never a throw', () => {
  for (const bad of [
    Buffer.from('gzip?'),
    Buffer.from([0x28, 0xb5, 0x2f, 0xfd]),
    Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x08]),
  ]) {
    const r = zstdDecompressedBound(bad);
    assert.equal(r.ok, false);
  }
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (tail) => {
      const r = zstdDecompressedBound(Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), tail]));
      assert.equal(typeof r.ok, 'boolean');
    }),
  );
});
