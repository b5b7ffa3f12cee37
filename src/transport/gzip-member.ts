// Hot path: the gzip body of every exported batch (bench/load `telegate-gzip`, `telegate-seed`).
// An exported gzip body is always ONE gzip member (RFC 1952 §2.3), whatever the payload is made of:
// readers that take one member and stop (Rust's flate2 GzDecoder behind tonic, gRPC C-core's zlib loop)
// would drop or refuse whatever follows a first member. The member is assembled from pieces of raw
// deflate data, each ending in a sync flush (an empty stored block: byte-aligned, not final), laid end
// to end between one header and one final empty stored block + trailer. A piece is a group of the
// payload's parts deflated on its own (no copy of the batch first, no copy of the output after), or
// (gzip-piece.ts) the deflate data of a request that arrived gzip, passed on without compressing it again.
//
// Where the deflating runs (bench/README.md "gzip on the loop"): on libuv's thread pool when the process
// can use 2+ CPUs, groups in parallel; with one CPU (taskset, a cgroup quota of 1) on the event loop,
// with a turn of the loop every 25 ms: there the hand-off to a pool thread on the same core cost ~15 % more
// CPU per span and kept batches alive into V8's old generation.
import * as zlib from 'node:zlib';
import { compressionPlacement, runZlib, type Placement, type ZlibCall } from './placement.ts';
import { gzipAsync, gzipOptions } from './compression.ts';
import { HAS_CRC32 } from './gzip-piece.ts';
import { crc32Combine } from '../util/crc32-combine.ts';
import type { DeflatePiece } from '../contracts/payload.ts';

/**
 * A gzip header: no name, no time; XFL 4 (fastest) at level 1, 2 (best) at 9, as zlib writes it; OS 255
 * (unknown), as Go writes it.
 */
function header(level: number): Buffer {
  const xfl = level === 1 ? 4 : level === 9 ? 2 : 0;
  return Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, xfl, 0xff]);
}

/** BFINAL=1, BTYPE=00 (stored), padding, LEN=0, NLEN=0xffff: the end of the deflate stream. */
const FINAL_BLOCK = [0x01, 0x00, 0x00, 0xff, 0xff];

/** The final empty block and the trailer (CRC-32 and length mod 2^32 of the whole content, little-endian). */
function finalAndTrailer(crc: number, length: number): Buffer {
  const out = Buffer.alloc(FINAL_BLOCK.length + 8);
  out.set(FINAL_BLOCK, 0);
  out.writeUInt32LE(crc >>> 0, FINAL_BLOCK.length);
  out.writeUInt32LE(length % 2 ** 32, FINAL_BLOCK.length + 4);
  return out;
}

/** The CRC-32 (gzip's) of `parts` laid end to end, continuing from `crc`. */
export function crc32Of(parts: readonly Buffer[], crc = 0): number {
  let c = crc;
  // An empty part is skipped: zlib.crc32 answers 0, not `c`, for a view of a detached (0-byte) ArrayBuffer.
  for (const p of parts) if (p.length > 0) c = zlib.crc32(p, c);
  return c;
}

/** Parts are grouped to at least this many bytes per deflate call: each call sets up ~400 KiB of zlib state. */
const GROUP_BYTES = 128 * 1024;

/** `parts` in groups of ≥ GROUP_BYTES (the last may be smaller); a part that big stands alone, uncopied. */
export function groupParts(parts: readonly Buffer[], groupBytes = GROUP_BYTES): Buffer[] {
  const groups: Buffer[] = [];
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = (): void => {
    if (pending.length === 1 && pending[0] !== undefined) groups.push(pending[0]);
    else if (pending.length > 1) groups.push(Buffer.concat(pending, pendingBytes));
    pending = [];
    pendingBytes = 0;
  };
  for (const p of parts) {
    if (p.length === 0) continue;
    pending.push(p);
    pendingBytes += p.length;
    if (pendingBytes >= groupBytes) flush();
  }
  flush();
  return groups;
}

/** zlib options for one piece: the exporters' gzip options, ending in a sync flush instead of a final block. */
function pieceOptions(level: number, inputBytes: number): zlib.ZlibOptions {
  return { ...gzipOptions(level, inputBytes), finishFlush: zlib.constants.Z_SYNC_FLUSH };
}

const DEFLATE_RAW: ZlibCall = { pool: zlib.deflateRaw, loop: zlib.deflateRawSync };

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * On the loop, a batch is deflated without a break until this long has passed, then the loop gets a turn.
 * A turn after every group cost ~10 % more CPU per span (the batch outlived more scavenges while the loop
 * read new requests); a typical batch (8,192 spans, ~2.5 MB) takes ~10 ms at level 1.
 */
const TURN_AFTER_MS = 25;

/** Deflates each group into a sync-flushed piece, in order: on the pool, or on the loop. */
async function deflatePieces(groups: readonly Buffer[], level: number, where: Placement): Promise<Buffer[]> {
  if (where === 'pool')
    return Promise.all(groups.map((g) => runZlib(DEFLATE_RAW, g, pieceOptions(level, g.length), 'pool')));
  const pieces: Buffer[] = [];
  let since = performance.now();
  for (const g of groups) {
    if (performance.now() - since > TURN_AFTER_MS) {
      await turn();
      since = performance.now();
    }
    pieces.push(DEFLATE_RAW.loop(g, pieceOptions(level, g.length)));
  }
  return pieces;
}

/**
 * Part of a member: plain bytes, and the deflate pieces they arrived as (Payload.deflatePieces), if any:
 * those are laid in as they are (their CRCs combined); without them `plain` is deflated here.
 */
export interface MemberPiece {
  readonly plain: readonly Buffer[];
  readonly deflate?: readonly DeflatePiece[] | undefined;
}

/**
 * One gzip member holding `pieces` in order, at zlib `level` (-1 zlib's default, 0 stored, 1–9) for the
 * pieces deflated here, as Buffers to write one after another. Needs zlib.crc32 (gzip-piece.ts HAS_CRC32).
 */
export async function gzipMember(
  pieces: readonly MemberPiece[],
  level: number,
  where: Placement = compressionPlacement(),
): Promise<Buffer[]> {
  const groups = pieces.map((piece) => (piece.deflate === undefined ? groupParts(piece.plain) : []));
  const deflating = deflatePieces(groups.flat(), level, where);
  // On the pool the CRC is computed while the groups are deflated; pieces that arrived deflated bring theirs.
  let crc = 0;
  let length = 0;
  for (const piece of pieces) {
    if (piece.deflate === undefined) {
      crc = crc32Of(piece.plain, crc);
      for (const p of piece.plain) length += p.length;
    } else {
      for (const d of piece.deflate) {
        crc = crc32Combine(crc, d.crc, d.length);
        length += d.length;
      }
    }
  }
  const deflated = await deflating;
  const out: Buffer[] = [header(level)];
  let next = 0;
  pieces.forEach((piece, i) => {
    if (piece.deflate !== undefined) for (const d of piece.deflate) out.push(d.deflate);
    else for (let n = groups[i]?.length ?? 0; n > 0; n--) out.push(deflated[next++] as Buffer);
  });
  out.push(finalAndTrailer(crc, length));
  return out;
}

/**
 * `plain` (a Buffer or parts laid end to end) gzipped as one member; `pieces`, when given, are its deflate
 * data already (Payload.deflatePieces), laid in as they are. On a Node without zlib.crc32, gzipped whole.
 */
export function gzipBody(
  plain: Buffer | readonly Buffer[],
  level: number,
  pieces?: readonly DeflatePiece[],
): Promise<Buffer | readonly Buffer[]> {
  const parts = Buffer.isBuffer(plain) ? [plain] : plain;
  if (HAS_CRC32) return gzipMember([{ plain: parts, deflate: pieces }], level);
  return gzipAsync(parts.length === 1 && parts[0] !== undefined ? parts[0] : Buffer.concat(parts), level);
}
