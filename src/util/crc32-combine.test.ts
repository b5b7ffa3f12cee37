import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as zlib from 'node:zlib';
import { crc32Combine } from './crc32-combine.ts';

const HAS_CRC32 = typeof (zlib as Partial<typeof zlib>).crc32 === 'function';

test('crc32Combine(crc(A), crc(B), |B|) is crc(A‖B), for empty and odd lengths', { skip: !HAS_CRC32 }, () => {
  for (const [a, b] of [
    [0, 0],
    [0, 5],
    [5, 0],
    [1, 1],
    [3, 7],
    [1000, 1],
    [65_537, 300_001],
    [17, 1 << 20],
  ] as const) {
    const [x, y] = [randomBytes(a), randomBytes(b)];
    assert.equal(crc32Combine(zlib.crc32(x), zlib.crc32(y), y.length), zlib.crc32(Buffer.concat([x, y])), `${a}+${b}`);
  }
});

test('the check value: crc("123456789") = 0xcbf43926, combined from its halves', () => {
  // crc("1234") and crc("56789"), as constants.
  assert.equal(crc32Combine(0x9be3e0a3, 0x131da070, 5), 0xcbf43926);
});
