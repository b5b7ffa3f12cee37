// CRC-32C (Castagnoli), table-driven, slicing by 8: the checksum of each persistent-queue record, and
// (masked) of each data chunk of framed snappy (`x-snappy-framed`, gRPC `snappy`).
// node:zlib has crc32 only from Node 22.2 and we run on 20; CRC-32C detects more error patterns in
// short records than CRC-32 (IEEE) and is what ext4, iSCSI and LevelDB use for the same purpose.
// Slicing by 8 measured 1.45x slicing by 4 on this machine (64 MiB buffer, best of 8, Node 20).

const POLY = 0x82f63b78; // reversed Castagnoli polynomial

/** Eight 256-entry tables: T[0] is the classic byte table, T[k] advances k more zero bytes. */
const T = buildTables();

function buildTables(): Int32Array {
  const t = new Int32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    t[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    let c = t[n] ?? 0;
    for (let k = 1; k < 8; k++) {
      c = (t[c & 0xff] ?? 0) ^ (c >>> 8);
      t[k * 256 + n] = c;
    }
  }
  return t;
}

/**
 * Continues a CRC-32C over `buf[start, end)`; start a fresh checksum with `crc = 0`. Returns an
 * unsigned 32-bit value.
 */
export function crc32c(buf: Uint8Array, crc = 0, start = 0, end = buf.length): number {
  const t = T;
  let c = ~crc;
  let i = start;
  for (; i + 8 <= end; i += 8) {
    c ^=
      (buf[i] as number) |
      ((buf[i + 1] as number) << 8) |
      ((buf[i + 2] as number) << 16) |
      ((buf[i + 3] as number) << 24);
    const hi =
      (buf[i + 4] as number) |
      ((buf[i + 5] as number) << 8) |
      ((buf[i + 6] as number) << 16) |
      ((buf[i + 7] as number) << 24);
    c =
      (t[1792 + (c & 0xff)] as number) ^
      (t[1536 + ((c >>> 8) & 0xff)] as number) ^
      (t[1280 + ((c >>> 16) & 0xff)] as number) ^
      (t[1024 + (c >>> 24)] as number) ^
      (t[768 + (hi & 0xff)] as number) ^
      (t[512 + ((hi >>> 8) & 0xff)] as number) ^
      (t[256 + ((hi >>> 16) & 0xff)] as number) ^
      (t[hi >>> 24] as number);
  }
  for (; i < end; i++) c = (t[(c ^ (buf[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return ~c >>> 0;
}

/** The masked CRC-32C snappy frames store: rotated right by 15 bits plus a constant (framing_format.txt §3). */
export function maskedCrc32c(buf: Uint8Array): number {
  const c = crc32c(buf);
  return (((c >>> 15) | (c << 17)) + 0xa282ead8) >>> 0;
}
