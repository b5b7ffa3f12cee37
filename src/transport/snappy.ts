// snappy (Go's `compression: snappy` / `x-snappy-framed`) block codec for the servers and exporters: the
// `snappy` npm package (napi-rs binding of the Rust `snap` crate; prebuilt per platform as optional
// packages, nothing downloaded at install), whose async calls run on libuv's thread pool. Absent (an
// unusual platform): snappy is simply not offered. The framing format is built on this in snappy-frame.ts.
import { createRequire } from 'node:module';

/** One-shot snappy block (raw, unframed) compress/decompress, asynchronous. */
export interface SnappyBlockCodec {
  compress(buf: Uint8Array): Promise<Buffer>;
  /** Decompresses one block; callers bound its size from the header first ({@link snappyBlockLength}). */
  decompress(buf: Uint8Array): Promise<Buffer>;
}

interface NativeSnappy {
  compress(input: Uint8Array): Promise<Buffer>;
  uncompress(input: Uint8Array, options: { asBuffer: true }): Promise<Buffer | string>;
}

function nativeCodec(): SnappyBlockCodec | undefined {
  let native: NativeSnappy;
  try {
    native = createRequire(import.meta.url)('snappy') as NativeSnappy;
  } catch {
    return undefined;
  }
  return {
    compress: (buf) => native.compress(buf),
    // asBuffer: true always yields a Buffer; the union is the binding's typing for asBuffer: false.
    decompress: async (buf) => (await native.uncompress(buf, { asBuffer: true })) as Buffer,
  };
}

let codec: SnappyBlockCodec | null | undefined;

/** The snappy codec of this process, or undefined when the binding is missing for this platform. */
export function snappyCodec(): SnappyBlockCodec | undefined {
  if (codec === undefined) codec = nativeCodec() ?? null;
  return codec ?? undefined;
}

/** Whether snappy can be offered (receivers accept it, exporters send it). */
export function hasSnappy(): boolean {
  return snappyCodec() !== undefined;
}

/** A block's header: the decompressed length, and where the compressed data starts. */
export type BlockHeader =
  { readonly ok: true; readonly length: number; readonly dataStart: number } | { readonly ok: false };

/**
 * Reads the decompressed length a snappy block states up front (a little-endian base-128 varint of at
 * most 32 bits, format_description.txt §1), so a bomb is refused before a byte is inflated — as Go's
 * confighttp checks snappy.DecodedLen against max_request_body_size before snappy.Decode.
 */
export function snappyBlockLength(buf: Uint8Array, start = 0, end = buf.length): BlockHeader {
  let length = 0;
  for (let i = 0; i < 5 && start + i < end; i++) {
    const b = buf[start + i] as number;
    length += (b & 0x7f) * 2 ** (7 * i);
    if (b < 0x80) return length > 0xffffffff ? { ok: false } : { ok: true, length, dataStart: start + i + 1 };
  }
  return { ok: false };
}
