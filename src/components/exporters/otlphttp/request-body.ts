// The bytes of one request: the payload's protobuf as it is (DESIGN.md §2: a batch's parts written in
// order, uncopied) or OTLP/JSON made from it, then compressed off the event loop (node:zlib's async API
// runs on the thread pool) when `compression` asks for it.
import { deflate, type InputType, type ZlibOptions } from 'node:zlib';
import type { Payload } from '../../../contracts/payload.ts';
import { protobufToJson } from '../../../pdata/json.ts';
import { payloadChunks } from '../../../pdata/payload-bytes.ts';
import type { Encoding } from './config.ts';
import { DEFAULT_GZIP_LEVEL, snappyAsync, zstdAsync } from '../../../transport/compression.ts';
import { gzipBody } from '../../../transport/gzip-member.ts';
import { onPool } from '../../../transport/placement.ts';

/** A request body with its Content-Type and Content-Encoding. */
export interface RequestBody {
  readonly bytes: Buffer | readonly Buffer[];
  readonly contentType: string;
  /** Undefined when not compressed. */
  readonly contentEncoding: string | undefined;
}

const CONTENT_TYPE: Record<Encoding, string> = { proto: 'application/x-protobuf', json: 'application/json' };

type ZlibFn = (buf: InputType, opts: ZlibOptions, cb: (err: Error | null, out: Buffer) => void) => void;

// Go's confighttp writes zlib-wrapped data for both names (RFC 9110 §8.4.1.2: "deflate" is the zlib format).
// gzip goes through transport's gzipBody, as the otlp exporter's does (one member; its measured level and memLevel).
// snappy is one block (Go since v0.151, confighttp's rawSnappyWriter); x-snappy-framed the framing format.
type Compressor = ZlibFn | 'gzip' | 'zstd' | 'snappy' | 'x-snappy-framed';
const COMPRESSORS: Readonly<Record<string, Compressor>> = {
  gzip: 'gzip',
  zstd: 'zstd',
  snappy: 'snappy',
  'x-snappy-framed': 'x-snappy-framed',
  zlib: deflate,
  deflate,
};

/**
 * Builds the body of `payload`; `level` 0 (unset) is telegate's measured default for gzip
 * (DEFAULT_GZIP_LEVEL) and zlib's default for deflate; -1 is zlib's default. Throws WireError on
 * malformed bytes with json.
 */
export async function requestBody(
  payload: Payload,
  encoding: Encoding,
  compression: string,
  level: number,
): Promise<RequestBody> {
  const compress = COMPRESSORS[compression];
  const contentType = CONTENT_TYPE[encoding];
  if (encoding === 'proto' && compress === undefined)
    return { bytes: payloadChunks(payload), contentType, contentEncoding: undefined };
  // gzip deflates a protobuf payload's parts as they are, without joining them first, or lays in the deflate
  // pieces it arrived as (protobuf that arrived gzip and was only batched): one member (transport/gzip-member.ts).
  if (encoding === 'proto' && compress === 'gzip') {
    const bytes = await gzipBody(payloadChunks(payload), gzipLevel(level), payload.deflatePieces);
    return { bytes, contentType, contentEncoding: compression };
  }
  const plain = encoding === 'json' ? Buffer.from(protobufToJson(payload.signal, payload.bytes)) : payload.bytes;
  if (compress === undefined) return { bytes: plain, contentType, contentEncoding: undefined };
  return { bytes: await compressWith(compress, plain, level), contentType, contentEncoding: compression };
}

const gzipLevel = (level: number): number => (level === 0 ? DEFAULT_GZIP_LEVEL : level);

function compressWith(compress: Compressor, plain: Buffer, level: number): Promise<Buffer | readonly Buffer[]> {
  if (compress === 'gzip') return gzipBody(plain, gzipLevel(level));
  if (compress === 'zstd') return zstdAsync(plain, level);
  if (compress === 'snappy' || compress === 'x-snappy-framed') return snappyAsync(plain, compress !== 'snappy');
  return onPool(compress, plain, { level: level === 0 ? -1 : level });
}
