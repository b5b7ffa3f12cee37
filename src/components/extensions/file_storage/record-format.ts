// The on-disk layout of one persistent-queue record (README.md "On-disk format"): a fixed 24-byte
// header, then the request bytes unchanged. The checksum covers everything after itself, so a torn
// write, a flipped bit or a wrong length is caught; the magic lets a reader find the next record.
import { crc32c } from '../../../util/crc32c.ts';

/** 'TGQ1' read as a little-endian u32. */
export const RECORD_MAGIC = 0x31514754;
export const HEADER_BYTES = 24;
/** A length past this is treated as damage, not as a record (larger than any gRPC message we take). */
export const MAX_RECORD_BYTES = 1024 * 1024 * 1024;

/** Header for a record of `parts` (not copied): magic, length, crc32c, seq (u64), items. */
export function encodeHeader(parts: readonly Buffer[], seq: number, items: number): Buffer {
  const h = Buffer.allocUnsafe(HEADER_BYTES);
  let length = 0;
  for (const p of parts) length += p.length;
  h.writeUInt32LE(RECORD_MAGIC, 0);
  h.writeUInt32LE(length, 4);
  h.writeUInt32LE(seq % 0x1_0000_0000, 12);
  h.writeUInt32LE(Math.floor(seq / 0x1_0000_0000), 16);
  h.writeUInt32LE(items >>> 0, 20);
  let crc = crc32c(h, 0, 12, HEADER_BYTES);
  for (const p of parts) crc = crc32c(p, crc);
  h.writeUInt32LE(crc, 8);
  return h;
}

/** A record found in a segment. */
export interface ParsedRecord {
  readonly seq: number;
  readonly items: number;
  /** A view into the segment buffer. */
  readonly bytes: Buffer;
}

/** What scanning a segment found. */
export interface SegmentScan {
  readonly records: ParsedRecord[];
  /** Damaged regions skipped (each lost at least one record). */
  readonly corruptRegions: number;
  readonly corruptBytes: number;
}

/** The record at `at`, or undefined if there is no whole, intact one there. */
export function recordAt(buf: Buffer, at: number): ParsedRecord | undefined {
  if (at + HEADER_BYTES > buf.length || buf.readUInt32LE(at) !== RECORD_MAGIC) return undefined;
  const length = buf.readUInt32LE(at + 4);
  const end = at + HEADER_BYTES + length;
  if (length > MAX_RECORD_BYTES || end > buf.length) return undefined;
  if (crc32c(buf, 0, at + 12, end) !== buf.readUInt32LE(at + 8)) return undefined;
  const seq = buf.readUInt32LE(at + 12) + buf.readUInt32LE(at + 16) * 0x1_0000_0000;
  return { seq, items: buf.readUInt32LE(at + 20), bytes: buf.subarray(at + HEADER_BYTES, end) };
}

/**
 * Every intact record of a segment, in order. Damage (a record whose checksum fails, a torn tail)
 * is skipped: the scan resumes at the next offset holding an intact record, found by its magic.
 */
export function scanSegment(buf: Buffer): SegmentScan {
  const records: ParsedRecord[] = [];
  let corruptRegions = 0;
  let corruptBytes = 0;
  let at = 0;
  while (at < buf.length) {
    const rec = recordAt(buf, at);
    if (rec !== undefined) {
      records.push(rec);
      at += HEADER_BYTES + rec.bytes.length;
      continue;
    }
    const next = resync(buf, at + 1);
    corruptRegions++;
    corruptBytes += next - at;
    at = next;
  }
  return { records, corruptRegions, corruptBytes };
}

/** The first offset at or after `from` holding an intact record, or the buffer's end. */
function resync(buf: Buffer, from: number): number {
  const magic = Buffer.from([0x54, 0x47, 0x51, 0x31]);
  for (let at = buf.indexOf(magic, from); at >= 0; at = buf.indexOf(magic, at + 1)) {
    if (recordAt(buf, at) !== undefined) return at;
  }
  return buf.length;
}
