import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  NEVER_SAMPLE,
  probabilityToThreshold,
  rValueOf,
  rValueToRandomness,
  tValueOf,
  tValueToThreshold,
  thresholdProbability,
} from './threshold.ts';
import { fnvHash, hashBucket, hashRandomness, hashRandomnessHex } from './fnv-hash.ts';

test('th values parse and print as Go (trailing zeros implied, then dropped)', () => {
  const rows: [th: string, printed: string][] = [
    ['0', '0'],
    ['8', '8'],
    ['80000000000000', '8'],
    ['c', 'c'],
    ['fd70a3d70a3d71', 'fd70a3d70a3d71'],
    ['FFFC', 'fffc'],
  ];
  for (const [th, printed] of rows) assert.equal(tValueOf(tValueToThreshold(th)), printed, th);
  assert.equal(tValueOf(NEVER_SAMPLE), '');
  assert.throws(() => tValueToThreshold(''), /t-value is empty/);
  assert.throws(() => tValueToThreshold('abababababababab'), /t-value exceeds 14 hex digits/);
  assert.throws(() => tValueToThreshold('-1'), /invalid syntax/);
});

test('rv values are exactly 14 hex digits', () => {
  assert.equal(rValueToRandomness('80000000000000'), 1n << 55n);
  assert.equal(rValueOf(rValueToRandomness('FD70A3D70A3D71')), 'fd70a3d70a3d71');
  assert.throws(() => rValueToRandomness('abc'), /r-value must have 14 hex digits/);
  assert.throws(() => rValueToRandomness('zzzzzzzzzzzzzz'), /invalid syntax/);
  assert.equal(rValueOf(1n << 56n), '');
});

test('probabilities become thresholds as Go rounds them (pkg/sampling probability_test vectors)', () => {
  const rows: [p: number, precision: number, th: string][] = [
    [0.5, 4, '8'],
    [0.25, 4, 'c'],
    [0.01, 0, 'fd70a3d70a3d71'],
    [0.01, 4, 'fd70a'],
    [0.01, 3, 'fd71'],
    [0.4, 3, '99a'],
    [0.4, 6, '99999a'],
    [0.2, 6, 'cccccd'],
    [1, 4, '0'],
    // Go's percentage is a float32: (1 - 8e-7) · 100 is not exactly representable.
    [Math.fround((1 - 8e-7) * 100) / 100, 10, '00000cccccccd'],
  ];
  for (const [p, precision, th] of rows) {
    const t = probabilityToThreshold(p, precision);
    assert.ok(t !== undefined);
    assert.equal(tValueOf(t), th, `${p} @ ${precision}`);
  }
  assert.equal(probabilityToThreshold(0, 4), undefined);
  assert.equal(probabilityToThreshold(1.5, 4), undefined);
  assert.equal(thresholdProbability(tValueToThreshold('8')), 0.5);
});

test("FNV-1a matches Go's hash/fnv and the processor's seed prefix", () => {
  // Go's TestEmptyHashFunction: no bytes, seed 0 → bucket 0x3515; 16 zero bytes → 0x2455.
  assert.equal(hashBucket(fnvHash(0, Buffer.alloc(0), 0, 0)), 0x3515);
  assert.equal(hashBucket(fnvHash(0, Buffer.alloc(16), 0, 16)), 0x2455);
  // Standard FNV-1a 32 vector: "foobar" → 0xbf9cf968; the seed is its first 4 bytes, little-endian.
  const seed = Buffer.from('foob').readUInt32LE(0);
  assert.equal(fnvHash(seed, Buffer.from('ar'), 0, 2), 0xbf9cf968);
});

test('the hashed randomness puts 2^14-1-bucket on top, so T ≤ R decides as bucket < rate', () => {
  const hash = 0xdeadbeef;
  const bucket = hashBucket(hash);
  const rnd = hashRandomness(hash);
  assert.equal(rnd >> 42n, BigInt(0x3fff - bucket));
  assert.equal(rnd & 0x3fffn, BigInt(bucket));
  assert.equal(hashRandomnessHex(hash).length, 14);
  const unused = BigInt(hash >>> 14);
  assert.equal((rnd >> 14n) & 0xfffffffn, unused ^ (unused << 10n));
});
