// 32-bit FNV-1a hashes of `key=value` tags, computed over UTF-8 bytes so that ingest (hashing wire
// bytes in place) and queries (hashing strings) agree. The store keeps one small set of hashes per
// trace to rule traces out of a tag search without decoding them; a hash match is always confirmed
// on the decoded spans.

export const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Continues `h` over `buf[start, end)`. */
export function fnvBytes(h: number, buf: Uint8Array, start: number, end: number): number {
  for (let i = start; i < end; i++) h = Math.imul(h ^ (buf[i] as number), FNV_PRIME);
  return h;
}

/** Continues `h` over an ASCII string's characters (digits, `true`, …). */
export function fnvAscii(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

/** Continues `h` over one byte. */
export function fnvByte(h: number, b: number): number {
  return Math.imul(h ^ b, FNV_PRIME);
}

/** The hash of `key=value` (UTF-8) as a query computes it. */
export function tagHash(key: string, value: string): number {
  const b = Buffer.from(`${key}=${value}`, 'utf8');
  return fnvBytes(FNV_OFFSET, b, 0, b.length) | 0;
}
