// The "hash64" encoding of the crypt(3) family (MD5-crypt, SHA-crypt): a base64 variant with its own
// alphabet that emits the 6-bit groups of each 24-bit word least significant first.

/** The crypt(3) alphabet (`./0-9A-Za-z`), shared by every crypt scheme and bcrypt. */
export const CRYPT_ALPHABET = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * Encodes `bytes` taken in groups of three by `order` (indices into `bytes`; a group may be shorter
 * at the end). Each group (b2, b1, b0) forms the word b2<<16 | b1<<8 | b0, emitted as four characters
 * (`tailChars` for the last group).
 */
export function cryptBase64(bytes: Uint8Array, order: readonly (readonly number[])[], tailChars: number): string {
  let out = '';
  for (let g = 0; g < order.length; g++) {
    const group = order[g] ?? [];
    const isLast = g === order.length - 1;
    const b2 = group.length === 3 ? at(bytes, group[0]) : 0;
    const b1 = group.length >= 2 ? at(bytes, group[group.length - 2]) : 0;
    const b0 = at(bytes, group[group.length - 1]);
    out += word((b2 << 16) | (b1 << 8) | b0, isLast ? tailChars : 4);
  }
  return out;
}

function at(bytes: Uint8Array, i: number | undefined): number {
  return i === undefined ? 0 : (bytes[i] ?? 0);
}

function word(w: number, chars: number): string {
  let out = '';
  for (let i = 0; i < chars; i++) {
    out += CRYPT_ALPHABET[w & 0x3f] ?? '';
    w >>>= 6;
  }
  return out;
}
