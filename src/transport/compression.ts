// Request-body decompression for the servers (gRPC `grpc-encoding`, HTTP `Content-Encoding`) with the
// output bounded: a small gzip bomb must never inflate past the configured message/body limit; and gzip
// compression for the exporters. Both run on libuv's thread pool (zlib's async API) when the process can use
// 2+ CPUs, so a gateway with spare cores (de)compresses in parallel with its loop; on the loop with one CPU,
// where the hand-off is pure cost (placement.ts). gzip bodies go through gzip-piece.ts first.
// Levels, memLevel and chunk size were chosen by measurement: docs/perf-lab.md §gzip, bench/load/gzip-levels.ts.
import {
  gunzip,
  gunzipSync,
  gzip,
  inflate,
  inflateRaw,
  inflateRawSync,
  inflateSync,
  type ZlibOptions,
} from 'node:zlib';
import { DEFAULT_ZSTD_LEVEL, hasZstd, zstdCodec } from './zstd.ts';
import { zstdDecompressedBound } from './zstd-frame-bound.ts';
import { errorMessage } from '../errors/thrown.ts';
import { hasSnappy, snappyBlockLength, snappyCodec } from './snappy.ts';
import { decodeFramed, encodeFramed, STREAM_IDENTIFIER } from './snappy-frame.ts';
import { gunzipToPiece, HAS_CRC32 } from './gzip-piece.ts';
import { compressionPlacement, onPool, runZlib, type ZlibCall } from './placement.ts';
import type { DeflatePiece } from '../contracts/payload.ts';

/**
 * Encodings the servers decode. `identity` and the empty string mean "not compressed". `snappy` is the
 * block format, or a framed stream recognised by its identifier (Go's confighttp accepts both: its
 * exporters sent framed data under that name until v0.151); `x-snappy-framed` is the framed stream
 * only, which is also what gRPC's `snappy` carries.
 */
export type Encoding = 'identity' | 'gzip' | 'zlib' | 'deflate' | 'zstd' | 'snappy' | 'x-snappy-framed';

/** Why a body could not be decompressed. */
export type DecompressError = 'unsupported' | 'corrupt' | 'too-large';

/** The result of {@link decompress}: the bytes, or why not (with a message fit for the client). */
export type Decompressed =
  | {
      readonly ok: true;
      readonly bytes: Buffer;
      /** The gzip body's deflate data as a piece, when it can be passed on as it is (gzip-piece.ts, Payload.deflatePieces). */
      readonly deflatePiece?: DeflatePiece;
    }
  | { readonly ok: false; readonly error: DecompressError; readonly message: string };

/** Encodings Go's collectors and SDKs may send that telegate cannot decode here (zstd, snappy only without a codec). */
const KNOWN_UNSUPPORTED = new Set(['zstd', 'snappy', 'lz4', 'x-snappy-framed', 'br']);

/** Maps a header value to an {@link Encoding}, or undefined when telegate cannot decode it. Case-insensitive. */
export function parseEncoding(header: string | undefined): Encoding | undefined {
  const name = header === undefined ? '' : header.trim().toLowerCase();
  switch (name) {
    case '':
    case 'identity':
      return 'identity';
    case 'gzip':
    case 'x-gzip':
      return 'gzip';
    case 'zlib':
      return 'zlib';
    case 'deflate':
      return 'deflate';
    case 'zstd':
      return hasZstd() ? 'zstd' : undefined;
    case 'snappy':
    case 'x-snappy-framed':
      return hasSnappy() ? name : undefined;
    default:
      return undefined;
  }
}

/**
 * Maps a `grpc-encoding` to the {@link Encoding} that decodes it, or undefined when this process has no
 * decompressor for it. Case-sensitive, as grpc-go's registry is. `snappy` is golang/snappy's framed stream
 * (Go's configgrpc and mostynb/go-grpc-compression register its stream Reader/Writer under that name).
 */
export function grpcEncoding(name: string | readonly string[] | undefined): Encoding | undefined {
  if (name === undefined || name === 'identity') return 'identity';
  if (name === 'gzip') return 'gzip';
  if (name === 'zstd') return hasZstd() ? 'zstd' : undefined;
  if (name === 'snappy') return hasSnappy() ? 'x-snappy-framed' : undefined;
  // Anything else (a repeated header among it) has no decompressor, as in grpc-go.
  return undefined;
}

/** The `grpc-accept-encoding` the servers advertise: what {@link grpcEncoding} decodes here. */
export function grpcAcceptEncoding(): string {
  return ['identity', 'gzip', 'zstd', 'snappy'].filter((n) => grpcEncoding(n) !== undefined).join(',');
}

/** A clear message for an encoding telegate does not decode. */
export function unsupportedEncodingMessage(header: string, accepted: readonly string[]): string {
  const why = KNOWN_UNSUPPORTED.has(header.trim().toLowerCase()) ? ' (not available in this Node.js build)' : '';
  return `unsupported Content-Encoding: ${header}${why}; accepted: ${accepted.map((a) => (a === '' ? 'identity' : a)).join(', ')}`;
}

/**
 * Decompresses `body` with `encoding`, producing at most `maxBytes` bytes. `deflate` accepts both the
 * zlib-wrapped form (what HTTP clients send, RFC 9110 §8.4.1.2) and raw deflate, as browsers do.
 */
export async function decompress(encoding: Encoding, body: Buffer, maxBytes: number): Promise<Decompressed> {
  if (encoding === 'identity') {
    return body.length > maxBytes ? tooLarge(maxBytes) : { ok: true, bytes: body };
  }
  if (encoding === 'zstd') return unzstd(body, maxBytes);
  if (encoding === 'snappy' || encoding === 'x-snappy-framed') return unsnappy(encoding, body, maxBytes);
  if (encoding === 'gzip' && HAS_CRC32) {
    const piece = await gunzipToPiece(body, maxBytes);
    if (piece !== undefined) return { ok: true, bytes: piece.bytes, deflatePiece: piece.piece };
  }
  const first = await run(encoding === 'gzip' ? GUNZIP : INFLATE, body, maxBytes);
  if (first.ok || first.error !== 'corrupt' || encoding !== 'deflate') return first;
  return run(INFLATE_RAW, body, maxBytes);
}

/** The decompressors, each on the pool or on the loop as the process's placement says (placement.ts). */
const GUNZIP: ZlibCall = { pool: gunzip, loop: gunzipSync };
const INFLATE: ZlibCall = { pool: inflate, loop: inflateSync };
const INFLATE_RAW: ZlibCall = { pool: inflateRaw, loop: inflateRawSync };

async function run(call: ZlibCall, body: Buffer, maxBytes: number): Promise<Decompressed> {
  // maxOutputLength makes zlib stop (RangeError ERR_BUFFER_TOO_LARGE) instead of growing without bound.
  let out: Buffer;
  try {
    out = await runZlib(call, body, { maxOutputLength: Math.max(1, maxBytes) }, compressionPlacement());
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return tooLarge(maxBytes);
    return { ok: false, error: 'corrupt', message: `body is not valid ${fnName(call)} data: ${errorMessage(err)}` };
  }
  return out.length > maxBytes ? tooLarge(maxBytes) : { ok: true, bytes: out };
}

// A bound over 2× the limit is refused unread; under it the output is at most 2× the limit, then checked exactly.
// Real data fills its blocks, so its bound is within 128 KiB of its size (zstd-frame-bound.ts).
const ZSTD_BOUND_SLACK = 2;

async function unzstd(body: Buffer, maxBytes: number): Promise<Decompressed> {
  const codec = zstdCodec();
  if (codec === undefined) return { ok: false, error: 'unsupported', message: 'zstd is not available in this build' };
  const bound = zstdDecompressedBound(body);
  if (!bound.ok) return { ok: false, error: 'corrupt', message: `body is not valid zstd data: ${bound.message}` };
  if (bound.bytes > ZSTD_BOUND_SLACK * maxBytes) return tooLarge(maxBytes);
  let out: Buffer;
  try {
    out = await codec.decompress(body, maxBytes);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return tooLarge(maxBytes);
    return { ok: false, error: 'corrupt', message: `body is not valid zstd data: ${errorMessage(err)}` };
  }
  return out.length > maxBytes ? tooLarge(maxBytes) : { ok: true, bytes: out };
}

async function unsnappy(encoding: 'snappy' | 'x-snappy-framed', body: Buffer, maxBytes: number): Promise<Decompressed> {
  const codec = snappyCodec();
  if (codec === undefined) return { ok: false, error: 'unsupported', message: 'snappy is not available in this build' };
  const framed = encoding === 'x-snappy-framed' || body.subarray(0, STREAM_IDENTIFIER.length).equals(STREAM_IDENTIFIER);
  if (framed) {
    const out = await decodeFramed(codec, body, maxBytes);
    return out.ok
      ? out
      : {
          ...out,
          message: out.error === 'corrupt' ? `body is not valid framed snappy data: ${out.message}` : out.message,
        };
  }
  // The block states its length up front: a bomb is refused here, before anything is inflated.
  const header = snappyBlockLength(body);
  if (!header.ok) return { ok: false, error: 'corrupt', message: 'body is not valid snappy data: bad block length' };
  if (header.length > maxBytes) return tooLarge(maxBytes);
  try {
    const out = await codec.decompress(body);
    if (out.length === header.length) return { ok: true, bytes: out };
    return { ok: false, error: 'corrupt', message: 'body is not valid snappy data: length mismatch' };
  } catch (err) {
    return { ok: false, error: 'corrupt', message: `body is not valid snappy data: ${errorMessage(err)}` };
  }
}

/** snappy-compresses `buf` off the event loop: one block, or (`framed`) a framed stream. Throws without a codec. */
export function snappyAsync(buf: Buffer, framed: boolean): Promise<Buffer> {
  const codec = snappyCodec();
  if (codec === undefined) return Promise.reject(new Error('snappy is not available in this build'));
  return framed ? encodeFramed(codec, buf) : codec.compress(buf);
}

/** zstd-compresses `buf` at `level` (0 = zstd's default, 3) off the event loop. Throws without a zstd codec. */
export function zstdAsync(buf: Buffer, level: number): Promise<Buffer> {
  const codec = zstdCodec();
  if (codec === undefined) return Promise.reject(new Error('zstd is not available in this build'));
  return codec.compress(buf, level === 0 ? DEFAULT_ZSTD_LEVEL : level);
}

function fnName(call: ZlibCall): string {
  return call === GUNZIP ? 'gzip' : call === INFLATE_RAW ? 'raw deflate' : 'zlib/deflate';
}

function tooLarge(maxBytes: number): Decompressed {
  return { ok: false, error: 'too-large', message: `decompressed body exceeds the limit of ${maxBytes} bytes` };
}

/**
 * The gzip level exporters use when the config leaves `compression_params.level` unset (0). Go's collector
 * uses zlib's default (6); on OTLP data level 1 costs about 40 % of level 6's CPU for 7 % more bytes
 * (docs/perf-lab.md §gzip), and CPU is what a collector runs out of first.
 */
export const DEFAULT_GZIP_LEVEL = 1;

/** zlib's hash/symbol-buffer size: 9 (not 8) halves the blocks emitted, ~10 % less CPU, +128 KiB per call. */
const GZIP_MEM_LEVEL = 9;
/** Output chunk bounds: each chunk is one trip through the thread pool and back to the loop. */
const MIN_CHUNK = 16 * 1024;
const MAX_CHUNK = 256 * 1024;

/**
 * The zlib options of telegate's gzip compression at `level` for `inputBytes` of input: memLevel 9,
 * and an output chunk that grows with the input (about the compressed size, within 16–256 KiB), so a large
 * batch makes a few trips through the pool instead of one per 16 KiB.
 */
export function gzipOptions(level: number, inputBytes: number): ZlibOptions {
  const chunkSize = Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, inputBytes >>> 2));
  return { level, memLevel: GZIP_MEM_LEVEL, chunkSize };
}

/** gzips `buf` at zlib `level` (-1 for zlib's default 6, 0 for stored, 1–9) on libuv's thread pool. */
export function gzipAsync(buf: Buffer, level: number): Promise<Buffer> {
  return onPool(gzip, buf, gzipOptions(level, buf.length));
}
