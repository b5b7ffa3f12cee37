// zstd (Go's `compression: zstd`) for the servers and exporters, off the event loop: node:zlib's own codec
// where this Node has it (22.15+: zlib.zstdCompress), else the @mongodb-js/zstd native binding (Rust zstd,
// napi-rs; prebuilt per platform as optional packages, nothing downloaded at install), whose calls run on
// libuv's thread pool. Neither present (an unusual platform): zstd is simply not offered.
import { createRequire } from 'node:module';
import * as zlib from 'node:zlib';
import { onPool } from './placement.ts';

/** compress/decompress of one whole buffer, asynchronous. */
interface ZstdCodec {
  readonly name: string;
  compress(buf: Buffer, level: number): Promise<Buffer>;
  decompress(buf: Buffer, maxBytes: number): Promise<Buffer>;
}

/**
 * The exporters' zstd level when compression_params.level is unset: 1, where Go's klauspost encoder defaults to
 * "SpeedDefault" (about zstd's level 3). Chosen by measurement as gzip's level 1 was (bench/load/gzip-levels.ts,
 * 1,000 OTLP spans): level 1 costs 0.52 CPU-s per million spans for a ratio of 4.35, level 3 costs 0.84 for 4.61,
 * so level 3 pays 60 % more CPU for 6 % fewer bytes (2.2 against 3.6 CPU-ms per MB saved). `level: 3` restores Go's.
 */
export const DEFAULT_ZSTD_LEVEL = 1;

// node:zlib's zstd API, typed here because @types/node 20 does not know it.
type ZlibZstdFn = (buf: Buffer, opts: object, cb: (err: Error | null, out: Buffer) => void) => void;
interface ZlibZstd {
  readonly zstdCompress: ZlibZstdFn;
  readonly zstdDecompress: ZlibZstdFn;
  readonly constants: { readonly ZSTD_c_compressionLevel?: number };
}

function zlibCodec(): ZstdCodec | undefined {
  const z = zlib as unknown as Partial<ZlibZstd>;
  const level = z.constants?.ZSTD_c_compressionLevel;
  if (typeof z.zstdCompress !== 'function' || typeof z.zstdDecompress !== 'function' || level === undefined)
    return undefined;
  const { zstdCompress, zstdDecompress } = z as ZlibZstd;
  return {
    name: 'node:zlib',
    compress: (buf, l) => onPool(zstdCompress, buf, { params: { [level]: l } }),
    decompress: (buf, maxBytes) => onPool(zstdDecompress, buf, { maxOutputLength: Math.max(1, maxBytes) }),
  };
}

interface NativeZstd {
  compress(data: Buffer, level?: number): Promise<Buffer>;
  decompress(data: Buffer): Promise<Buffer>;
}

/** napi errors carry no JavaScript stack: give them one, and say where they came from. */
const withStack = (p: Promise<Buffer>): Promise<Buffer> =>
  p.catch((err: unknown) => {
    throw new Error(`zstd: ${err instanceof Error ? err.message : String(err)}`);
  });

function nativeCodec(): ZstdCodec | undefined {
  let native: NativeZstd;
  try {
    // The package's own entry point (index.js, 1.2.2) drops the level argument, so every call compressed at
    // level 3 whatever compression_params.level said; its `bindings` module is the napi binding itself, whose
    // compress takes the level (Rust zstd's encode_all).
    native = createRequire(import.meta.url)('@mongodb-js/zstd/bindings') as NativeZstd;
  } catch {
    return undefined;
  }
  // The binding has no output limit: callers bound the size from the frame headers first (zstd-frame-bound.ts).
  return {
    name: '@mongodb-js/zstd',
    compress: (buf, l) => withStack(native.compress(buf, l)),
    decompress: (buf) => withStack(native.decompress(buf)),
  };
}

let codec: ZstdCodec | null | undefined;

/** The zstd codec of this process, or undefined when neither node:zlib nor the binding has one. */
export function zstdCodec(): ZstdCodec | undefined {
  if (codec === undefined) codec = zlibCodec() ?? nativeCodec() ?? null;
  return codec ?? undefined;
}

/** Whether zstd can be offered (receivers accept it, exporters send it). */
export function hasZstd(): boolean {
  return zstdCodec() !== undefined;
}
