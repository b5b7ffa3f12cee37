// Hot path: see bench/micro/attributes-edit.bench.ts.
// Attribute keys read from the wire as shared strings: the same few dozen keys repeat in every span,
// and decoding each one (a native call and a new string) was a third of an attribute edit. An
// ASCII key is looked up in a bounded table by a hash of a few bytes; a hit costs no allocation.

const SLOTS = 4096; // power of two; keys beyond it (a hash collision or a full table) are decoded
const MAX_KEY = 64;

/** Interned ASCII keys by hash slot; verified byte for byte on every hit. */
export class KeyInterner {
  private readonly table: (string | undefined)[] = new Array<string | undefined>(SLOTS).fill(undefined);

  /** The UTF-8 text of `buf[start, end)`. */
  keyAt(buf: Buffer, start: number, end: number): string {
    const len = end - start;
    if (len > MAX_KEY) return buf.toString('utf8', start, end);
    if (len === 0) return '';
    // A cheap hash of the length and three bytes; the byte-for-byte check below makes it exact.
    const h =
      len * 0x9e3779b1 +
      (buf[start] as number) * 0x85eb +
      (buf[end - 1] as number) * 0x1b873 +
      (buf[start + (len >> 1)] as number);
    const slot = (h >>> 0) & (SLOTS - 1);
    const cached = this.table[slot];
    if (cached !== undefined && sameAscii(cached, buf, start, len)) return cached;
    for (let i = start; i < end; i++) if ((buf[i] as number) >= 0x80) return buf.toString('utf8', start, end);
    const key = buf.toString('latin1', start, end);
    // Keep the first key of a slot: a collision decodes every time rather than thrash the slot.
    if (cached === undefined) this.table[slot] = key;
    return key;
  }
}

function sameAscii(s: string, buf: Buffer, start: number, len: number): boolean {
  if (s.length !== len) return false;
  for (let i = 0; i < len; i++) if (s.charCodeAt(i) !== buf[start + i]) return false;
  return true;
}
