// CRC-32C: the standard check values, and the sliced loop equal to the plain byte-at-a-time definition.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { crc32c, maskedCrc32c } from './crc32c.ts';

/** The definition: one bit at a time, reflected polynomial 0x82f63b78. */
function reference(buf: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of buf) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

test('crc32c: check values of RFC 3720 (iSCSI) §B.4 and the usual "123456789"', () => {
  assert.equal(crc32c(Buffer.from('123456789')), 0xe3069283);
  assert.equal(crc32c(Buffer.alloc(32)), 0x8a9136aa);
  assert.equal(crc32c(Buffer.alloc(32, 0xff)), 0x62a8ab43);
  assert.equal(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => i))), 0x46dd794e);
  assert.equal(crc32c(Buffer.alloc(0)), 0);
});

test('crc32c equals the bitwise definition on any bytes, at any alignment and length', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(7), (bytes, skip) => {
      const view = bytes.subarray(Math.min(skip, bytes.length));
      assert.equal(crc32c(view), reference(view));
    }),
  );
});

test('maskedCrc32c rotates right by 15 and adds 0xa282ead8 (framing_format.txt §3)', () => {
  const c = 0xe3069283;
  const rotated = ((c >>> 15) | (c << 17)) >>> 0;
  assert.equal(maskedCrc32c(Buffer.from('123456789')), (rotated + 0xa282ead8) >>> 0);
});
