// Hot path: every gzip request a gateway receives from its edges (bench/load `telegate-seed`).
// A gzip request that ends the way Go's compress/gzip (grpc-go's gzip, every Go collector edge) and
// telegate's own exporters end it — a final EMPTY stored block after the data — can be passed on without
// compressing again: with that one bit (BFINAL) cleared, its deflate data is a piece that ends at a
// byte-aligned block boundary, and gzip-member.ts lays such pieces end to end inside ONE new member.
//
// Where the bit is: the last 4 bytes before the trailer are the stored block's LEN/NLEN (00 00 FF FF);
// before them come the block's 3 header bits (BFINAL=1, BTYPE=00) and zero padding to the byte boundary,
// so BFINAL is the highest set bit of the last non-zero byte there (bit 0–5 of the byte just before LEN,
// or bit 6–7 of the byte before that when the header spilled into a zero byte). Bytes that only look like
// that (a Huffman block that happens to end in 00 00 FF FF) are caught by decoding the piece itself: it is
// inflated with the bit cleared and a final stored block of 8 random bytes after it, and must give back
// exactly the content (its CRC-32 and length from the trailer) followed by those 8 bytes. Only a piece
// whose decoder ends at a block boundary, byte-aligned, reads our stored block as a stored block, so the
// piece decodes the same whatever follows it, and nothing a sender crafts can make a batch that holds it
// decode differently at the next hop. Anything else is simply gunzipped (compression.ts) and, if sent on
// as gzip, compressed afresh.
import { randomBytes } from 'node:crypto';
import * as zlib from 'node:zlib';
import { compressionPlacement, runZlib, type Placement, type ZlibCall } from './placement.ts';
import type { DeflatePiece } from '../contracts/payload.ts';

/** Whether this Node has zlib.crc32 (20.15+, 22.2+); without it gzip bodies are neither pieced nor assembled. */
export const HAS_CRC32 = typeof (zlib as Partial<typeof zlib>).crc32 === 'function';

/** FLG bits of the gzip header (RFC 1952 §2.3.1). */
const FHCRC = 2;
const FEXTRA = 4;
const FNAME = 8;
const FCOMMENT = 16;
const RESERVED = 0xe0;

/** The offset of the deflate data after a gzip header, or undefined when `body` does not start with a valid one. */
export function gzipHeaderLength(body: Buffer): number | undefined {
  if (body.length < 10 || body[0] !== 0x1f || body[1] !== 0x8b || body[2] !== 8) return undefined;
  const flags = body[3] as number;
  if ((flags & RESERVED) !== 0) return undefined;
  let at = 10;
  if ((flags & FEXTRA) !== 0) {
    if (at + 2 > body.length) return undefined;
    at += 2 + body.readUInt16LE(at);
  }
  for (const flag of [FNAME, FCOMMENT]) {
    if ((flags & flag) === 0) continue;
    const zero = body.indexOf(0, at);
    if (zero < 0) return undefined;
    at = zero + 1;
  }
  if ((flags & FHCRC) !== 0) at += 2;
  return at <= body.length ? at : undefined;
}

/** Where the BFINAL bit of a final empty stored block ending the deflate data `[start, end)` is, if it ends so. */
export function finalStoredBlockBit(body: Buffer, start: number, end: number): { at: number; bit: number } | undefined {
  if (end - start < 5 || body.readUInt32BE(end - 4) !== 0x0000ffff) return undefined;
  const last = body[end - 5] as number;
  if (last !== 0) {
    const bit = 31 - Math.clz32(last);
    return bit <= 5 ? { at: end - 5, bit } : undefined;
  }
  if (end - start < 6) return undefined;
  const before = body[end - 6] as number;
  const bit = 31 - Math.clz32(before);
  return bit >= 6 ? { at: end - 6, bit } : undefined;
}

/** A gzip body decoded into its content and its deflate data as a piece (Payload.deflatePieces). */
export interface GzipPiece {
  readonly bytes: Buffer;
  /** Raw deflate data, ending at a byte-aligned, non-final block boundary, that inflates to `bytes`. */
  readonly piece: DeflatePiece;
}

/** Random bytes in the check block, new for every body. */
const NONCE_BYTES = 8;
/** BFINAL=1, BTYPE=00, LEN=8, NLEN=~8: a final stored block of the 8 nonce bytes. */
const CHECK_BLOCK_HEADER = [0x01, 0x08, 0x00, 0xf7, 0xff];
const CHECK_BLOCK_LENGTH = CHECK_BLOCK_HEADER.length + NONCE_BYTES;

/**
 * Decodes `body` (gzip, one member ending in a final empty stored block) into content and piece, with at
 * most `maxBytes` of content. Undefined when it is not such a body or anything does not check out:
 * the caller then gunzips it the ordinary way (which also reports corrupt or too large bodies). Inflates
 * on the event loop or the thread pool as `where` says (placement.ts). Needs
 * zlib.crc32 ({@link HAS_CRC32}).
 */
export async function gunzipToPiece(
  body: Buffer,
  maxBytes: number,
  where: Placement = compressionPlacement(),
): Promise<GzipPiece | undefined> {
  const start = gzipHeaderLength(body);
  const end = body.length - 8;
  if (start === undefined || end <= start) return undefined;
  const final = finalStoredBlockBit(body, start, end);
  if (final === undefined) return undefined;
  // The deflate data with BFINAL cleared, then the check block: one copy of the compressed bytes.
  const pieceLength = end - start;
  const check = Buffer.allocUnsafe(pieceLength + CHECK_BLOCK_LENGTH);
  body.copy(check, 0, start, end);
  check[final.at - start] = (body[final.at] as number) & ~(1 << final.bit);
  check.set(CHECK_BLOCK_HEADER, pieceLength);
  const nonce = randomBytes(NONCE_BYTES);
  check.set(nonce, pieceLength + CHECK_BLOCK_HEADER.length);
  const opts = { maxOutputLength: Math.max(1, maxBytes) + NONCE_BYTES, info: true };
  const expected = { crc: body.readUInt32LE(end), length: body.readUInt32LE(end + 4), nonce, maxBytes };
  let out: InflateInfo;
  try {
    out = (await runZlib(INFLATE_RAW, check, opts, where)) as unknown as InflateInfo;
  } catch {
    return undefined;
  }
  return checked(out, check, pieceLength, expected);
}

const INFLATE_RAW: ZlibCall = { pool: zlib.inflateRaw, loop: zlib.inflateRawSync };

/** What zlib hands back with `info: true`: the output and the engine that read the input. */
interface InflateInfo {
  readonly buffer: Buffer;
  readonly engine: { readonly bytesWritten: number };
}

/** The piece when the check inflation read all of `check` and gave the content (length, CRC) and then the nonce. */
function checked(
  { buffer: out, engine }: InflateInfo,
  check: Buffer,
  pieceLength: number,
  expected: { readonly crc: number; readonly length: number; readonly nonce: Buffer; readonly maxBytes: number },
): GzipPiece | undefined {
  const length = out.length - NONCE_BYTES;
  if (engine.bytesWritten !== check.length || length < 0 || length > expected.maxBytes) return undefined;
  if (length % 2 ** 32 !== expected.length || !out.subarray(length).equals(expected.nonce)) return undefined;
  const bytes = out.subarray(0, length);
  if (zlib.crc32(bytes) >>> 0 !== expected.crc) return undefined;
  return { bytes, piece: { deflate: check.subarray(0, pieceLength), crc: expected.crc, length } };
}
