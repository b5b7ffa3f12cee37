// Request-body decompression for the servers (gRPC `grpc-encoding`, HTTP `Content-Encoding`) with the
// output bounded: a small gzip bomb must never inflate past the configured message/body limit.
// Decompression runs on libuv's thread pool (zlib's async API) so a big body does not stall the loop.
import { gunzip, inflate, inflateRaw, type InputType, type ZlibOptions } from 'node:zlib';

/** Encodings the servers decode. `identity` and the empty string mean "not compressed". */
export type Encoding = 'identity' | 'gzip' | 'zlib' | 'deflate';

/** Why a body could not be decompressed. */
export type DecompressError = 'unsupported' | 'corrupt' | 'too-large';

/** The result of {@link decompress}: the bytes, or why not (with a message fit for the client). */
export type Decompressed =
  | { readonly ok: true; readonly bytes: Buffer }
  | { readonly ok: false; readonly error: DecompressError; readonly message: string };

/** Encodings Go's collectors and SDKs may send that Node 20 cannot decode (no zstd/snappy/lz4 in node:zlib). */
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
    default:
      return undefined;
  }
}

/** A clear message for an encoding telegate does not decode. */
export function unsupportedEncodingMessage(header: string, accepted: readonly string[]): string {
  const why = KNOWN_UNSUPPORTED.has(header.trim().toLowerCase()) ? ' (not available in this Node.js build)' : '';
  return `unsupported Content-Encoding: ${header}${why}; accepted: ${accepted.map((a) => (a === '' ? 'identity' : a)).join(', ')}`;
}

type ZlibFn = (buf: InputType, opts: ZlibOptions, cb: (err: Error | null, out: Buffer) => void) => void;

/**
 * Decompresses `body` with `encoding`, producing at most `maxBytes` bytes. `deflate` accepts both the
 * zlib-wrapped form (what HTTP clients send, RFC 9110 §8.4.1.2) and raw deflate, as browsers do.
 */
export async function decompress(encoding: Encoding, body: Buffer, maxBytes: number): Promise<Decompressed> {
  if (encoding === 'identity') {
    return body.length > maxBytes ? tooLarge(maxBytes) : { ok: true, bytes: body };
  }
  const first = await run(encoding === 'gzip' ? gunzip : inflate, body, maxBytes);
  if (first.ok || first.error !== 'corrupt' || encoding !== 'deflate') return first;
  return run(inflateRaw, body, maxBytes);
}

function run(fn: ZlibFn, body: Buffer, maxBytes: number): Promise<Decompressed> {
  return new Promise((resolve) => {
    // maxOutputLength makes zlib stop (RangeError ERR_BUFFER_TOO_LARGE) instead of growing without bound.
    const opts: ZlibOptions = { maxOutputLength: Math.max(1, maxBytes) };
    fn(body, opts, (err, out) => {
      if (err === null) {
        resolve(out.length > maxBytes ? tooLarge(maxBytes) : { ok: true, bytes: out });
      } else if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        resolve(tooLarge(maxBytes));
      } else {
        resolve({ ok: false, error: 'corrupt', message: `body is not valid ${fnName(fn)} data: ${err.message}` });
      }
    });
  });
}

function fnName(fn: ZlibFn): string {
  return fn === gunzip ? 'gzip' : fn === inflateRaw ? 'raw deflate' : 'zlib/deflate';
}

function tooLarge(maxBytes: number): Decompressed {
  return { ok: false, error: 'too-large', message: `decompressed body exceeds the limit of ${maxBytes} bytes` };
}
