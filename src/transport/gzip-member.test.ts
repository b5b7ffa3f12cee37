import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { crc32, gunzipSync, inflateRawSync } from 'node:zlib';
import { groupParts, gzipBody, gzipMember } from './gzip-member.ts';
import { invalidPlacementEnv, placementFor, PLACEMENT_ENV, type Placement } from './placement.ts';

/** Compressible bytes that look like OTLP: repeated keys, varying values. */
function otlpLike(n: number, seed: number): Buffer {
  const lines: string[] = [];
  for (let i = 0, length = 0; length < n; i++) {
    const line = `service.name=checkout-${seed} span=${i * 7919} ok;`;
    lines.push(line);
    length += line.length;
  }
  return Buffer.from(lines.join('')).subarray(0, n);
}

/**
 * The deflate stream after the 10-byte header, read by a raw inflater that stops at the first final block:
 * it must end exactly 8 bytes (the trailer) before the body's end, so the body is one member.
 */
function assertOneMember(body: Buffer, content: Buffer): void {
  assert.deepEqual([...body.subarray(0, 4)], [0x1f, 0x8b, 8, 0]);
  const inflated = inflateRawSync(body.subarray(10), { info: true }) as unknown as {
    buffer: Buffer;
    engine: { bytesWritten: number };
  };
  assert.equal(inflated.engine.bytesWritten, body.length - 10 - 8, 'one deflate stream, then only the trailer');
  assert.ok(inflated.buffer.equals(content), 'the first member is all the content');
  assert.ok(gunzipSync(body).equals(content));
  assert.equal(body.readUInt32LE(body.length - 4), content.length % 2 ** 32);
}

for (const where of ['loop', 'pool'] as Placement[]) {
  test(`${where}: parts of every size become one gzip member holding them in order`, async () => {
    const parts = [
      otlpLike(300_000, 1),
      otlpLike(10, 2),
      Buffer.alloc(0),
      otlpLike(50_000, 3),
      randomBytes(70_000), // incompressible
      otlpLike(200_000, 4),
      otlpLike(1, 5),
    ];
    const body = Buffer.concat(await gzipMember([{ plain: parts }], 1, where));
    assertOneMember(body, Buffer.concat(parts));
  });

  test(`${where}: every zlib level, and an empty payload`, async () => {
    const content = otlpLike(180_000, 6);
    for (const level of [-1, 0, 1, 6, 9]) {
      const body = Buffer.concat(await gzipMember([{ plain: [content] }], level, where));
      assertOneMember(body, content);
    }
    assertOneMember(Buffer.concat(await gzipMember([{ plain: [] }], 1, where)), Buffer.alloc(0));
  });
}

test('level 1 compresses OTLP-like data about as zlib does (a sync flush per group costs a few bytes)', async () => {
  const parts = [otlpLike(300_000, 7), otlpLike(300_000, 8), otlpLike(300_000, 9)];
  const body = Buffer.concat(await gzipMember([{ plain: parts }], 1, 'loop'));
  const whole = (await import('node:zlib')).gzipSync(Buffer.concat(parts), { level: 1, memLevel: 9 });
  assert.ok(body.length < whole.length * 1.02, `${body.length} vs zlib's ${whole.length}`);
});

test('pieces already deflated (sync-flushed) are laid in place between pieces deflated here', async () => {
  const [a, b, c] = [otlpLike(40_000, 10), otlpLike(30_000, 11), otlpLike(20_000, 12)];
  const { deflateRawSync, constants } = await import('node:zlib');
  const bDeflated = deflateRawSync(b, { finishFlush: constants.Z_SYNC_FLUSH });
  const body = Buffer.concat(
    await gzipMember(
      [
        { plain: [a] },
        { plain: [b], deflate: [{ deflate: bDeflated, crc: crc32(b), length: b.length }] },
        { plain: [c] },
      ],
      1,
      'loop',
    ),
  );
  assertOneMember(body, Buffer.concat([a, b, c]));
  assert.ok(body.includes(bDeflated), 'the given piece is in the body as it was');
});

test('gzipBody takes one Buffer or parts', async () => {
  const content = otlpLike(5000, 13);
  const one = await gzipBody(content, 1);
  assertOneMember(Buffer.isBuffer(one) ? one : Buffer.concat(one), content);
  const many = await gzipBody([content.subarray(0, 100), content.subarray(100)], 1);
  assertOneMember(Buffer.isBuffer(many) ? many : Buffer.concat(many), content);
});

test('groupParts: small parts are joined up to the group size, a big part stands alone uncopied', () => {
  const big = Buffer.alloc(200);
  const groups = groupParts([Buffer.alloc(30), Buffer.alloc(40), Buffer.alloc(0), big, Buffer.alloc(10)], 64);
  assert.deepEqual(
    groups.map((g) => g.length),
    [70, 200, 10],
  );
  assert.equal(groups[1], big);
  assert.deepEqual(groupParts([], 64), []);
});

test('placement: the pool with 2+ CPUs, the loop with one; the environment overrides', () => {
  assert.equal(placementFor(1, {}), 'loop');
  assert.equal(placementFor(2, {}), 'pool');
  assert.equal(placementFor(8, { [PLACEMENT_ENV]: 'loop' }), 'loop');
  assert.equal(placementFor(1, { [PLACEMENT_ENV]: 'pool' }), 'pool');
  assert.equal(placementFor(1, { [PLACEMENT_ENV]: 'elsewhere' }), 'loop');
  assert.equal(invalidPlacementEnv({ [PLACEMENT_ENV]: 'elsewhere' }), 'elsewhere');
  assert.equal(invalidPlacementEnv({ [PLACEMENT_ENV]: 'pool' }), undefined);
  assert.equal(invalidPlacementEnv({}), undefined);
});

test('an empty part whose ArrayBuffer is detached does not reset the CRC (zlib.crc32 answers 0 for it)', async () => {
  const backing = new ArrayBuffer(8);
  const emptied = Buffer.from(backing, 0, 0);
  structuredClone(backing, { transfer: [backing] });
  assert.equal(emptied.buffer.byteLength, 0, 'detached');
  const content = otlpLike(1000, 14);
  const body = Buffer.concat(
    await gzipMember([{ plain: [content.subarray(0, 10), emptied, content.subarray(10)] }], 1, 'loop'),
  );
  assertOneMember(body, content);
});
