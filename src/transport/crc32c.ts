// CRC-32C (Castagnoli), masked as the snappy framing format wants it (framing_format.txt §3): every data
// chunk of a `x-snappy-framed` body or a gRPC `snappy` message carries one. Node 20 has no CRC-32C, so
// this is a table-driven one, slicing by 8 (eight table lookups per 8 bytes instead of per byte).

const POLY = 0x82f63b78; // CRC-32C, reflected.
const TABLES = buildTables();

function buildTables(): Uint32Array {
  const t = new Uint32Array(8 * 256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    t[i] = c >>> 0;
  }
  // Table j holds the CRC of a byte followed by j zero bytes: one lookup per input byte of a word.
  for (let i = 0; i < 256; i++) {
    for (let j = 1; j < 8; j++) {
      const prev = t[(j - 1) * 256 + i] as number;
      t[j * 256 + i] = ((prev >>> 8) ^ (t[prev & 0xff] as number)) >>> 0;
    }
  }
  return t;
}

/** The CRC-32C of `buf` (unmasked). */
export function crc32c(buf: Uint8Array): number {
  let crc = 0xffffffff;
  let i = 0;
  const end8 = buf.length - (buf.length & 7);
  for (; i < end8; i += 8) {
    const a = (crc ^ word(buf, i)) >>> 0;
    crc =
      at(1792 + (a & 0xff)) ^
      at(1536 + ((a >>> 8) & 0xff)) ^
      at(1280 + ((a >>> 16) & 0xff)) ^
      at(1024 + (a >>> 24)) ^
      at(768 + byte(buf, i + 4)) ^
      at(512 + byte(buf, i + 5)) ^
      at(256 + byte(buf, i + 6)) ^
      at(byte(buf, i + 7));
  }
  for (; i < buf.length; i++) crc = at((crc ^ byte(buf, i)) & 0xff) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

// `as number`: every index is in range by construction, which noUncheckedIndexedAccess cannot see;
// V8 inlines these.
function at(i: number): number {
  return TABLES[i] as number;
}

function byte(buf: Uint8Array, i: number): number {
  return buf[i] as number;
}

function word(buf: Uint8Array, i: number): number {
  return byte(buf, i) | (byte(buf, i + 1) << 8) | (byte(buf, i + 2) << 16) | (byte(buf, i + 3) << 24);
}

/** The masked CRC-32C snappy frames store: rotated right by 15 bits plus a constant (framing_format.txt §3). */
export function maskedCrc32c(buf: Uint8Array): number {
  const c = crc32c(buf);
  return (((c >>> 15) | (c << 17)) + 0xa282ead8) >>> 0;
}
