// The `hash_seed` mode's hash, bit for bit Go's (fnvhasher.go, sampler_mode.go randomnessFromBytes):
// 32-bit FNV-1a over the seed's four little-endian bytes then the trace id, and the 56-bit randomness
// Go derives from it, so that telegate and a Go collector with the same seed keep the same traces.

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Number of hash buckets (2^14): the legacy mode's precision. */
export const NUM_HASH_BUCKETS = 0x4000;
const BUCKET_MASK = NUM_HASH_BUCKETS - 1;

/** FNV-1a (32 bits) of `seed` (4 bytes, little-endian) followed by `buf[start, end)`. */
export function fnvHash(seed: number, buf: Buffer | Uint8Array, start: number, end: number): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < 4; i++) h = Math.imul(h ^ ((seed >>> (8 * i)) & 0xff), FNV_PRIME);
  for (let i = start; i < end; i++) h = Math.imul(h ^ (buf[i] as number), FNV_PRIME);
  return h >>> 0;
}

/** The hash bucket (low 14 bits); a span is kept when bucket < the scaled rate. */
export function hashBucket(hash: number): number {
  return hash & BUCKET_MASK;
}

/**
 * Go's 56-bit randomness for a hash, as 14 hex digits: from most to least significant, 14 bits of
 * `2^14 - 1 - bucket` (so that threshold ≤ randomness decides exactly as bucket < rate), 28 bits mixed
 * from the 18 unused hash bits, and the 14 bits of the bucket.
 */
export function hashRandomnessHex(hash: number): string {
  const bucket = hash & BUCKET_MASK;
  const rPrime = BUCKET_MASK - bucket;
  const unused = hash >>> 14;
  const mixed = (unused ^ (unused << 10)) & 0xfffffff;
  // Two 28-bit halves keep the arithmetic exact in doubles (56 bits would not be).
  const hi = rPrime * 0x4000 + (mixed >>> 14);
  const lo = (mixed & 0x3fff) * 0x4000 + bucket;
  return hi.toString(16).padStart(7, '0') + lo.toString(16).padStart(7, '0');
}

/** The same randomness as a bigint, for the exact comparisons of the general path. */
export function hashRandomness(hash: number): bigint {
  return BigInt(`0x${hashRandomnessHex(hash)}`);
}
