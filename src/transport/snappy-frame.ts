// The snappy framing format (google/snappy framing_format.txt): what Go sends as HTTP `x-snappy-framed`
// and, through golang/snappy's stream Reader/Writer, as gRPC `grpc-encoding: snappy`. A stream is
// chunks of [type:1][length:3 LE][body]; data chunks hold a masked CRC-32C and at most 64 KiB of data,
// raw or as one snappy block. Every chunk header, block length included, is read before anything is
// inflated, so a bomb is refused from its headers alone, as the block format's bound is; and no per-chunk
// state is kept, so a stream of many tiny chunks costs time in proportion to its bytes, not more.
import { errorMessage } from '../errors/thrown.ts';
import { maskedCrc32c } from '../util/crc32c.ts';
import { snappyBlockLength, type SnappyBlockCodec } from './snappy.ts';
import { decodeBlockInto } from './snappy-block.ts';

/** The result of {@link decodeFramed}. */
export type FramedResult =
  | { readonly ok: true; readonly bytes: Buffer }
  | { readonly ok: false; readonly error: 'corrupt' | 'too-large'; readonly message: string };

/** The stream identifier chunk that opens every stream: type 0xff, length 6, "sNaPpY". */
export const STREAM_IDENTIFIER = Buffer.from([0xff, 0x06, 0x00, 0x00, 0x73, 0x4e, 0x61, 0x50, 0x70, 0x59]);

const COMPRESSED = 0x00;
const UNCOMPRESSED = 0x01;
const IDENTIFIER = 0xff;
/** Chunk types 0x02–0x7f are reserved unskippable (an error); 0x80–0xfe skippable (padding among them). */
const FIRST_SKIPPABLE = 0x80;
/** The most data one chunk may hold, decompressed (framing_format.txt §4.2, golang/snappy maxBlockSize). */
export const MAX_CHUNK_DATA = 65536;
const CRC_BYTES = 4;
const HEADER_BYTES = 4;

/** A data chunk: where its payload is (after the CRC), what it decodes to, its checksum. */
interface DataChunk {
  readonly compressed: boolean;
  readonly start: number;
  /** Where a compressed chunk's block elements start (after its length varint). */
  readonly blockStart: number;
  readonly end: number;
  readonly length: number;
  readonly crc: number;
}

type Scan =
  | { readonly ok: true; readonly total: number }
  | { readonly ok: false; readonly error: 'corrupt' | 'too-large'; readonly message: string };

/** Chunks decoding to at most this are decoded here (snappy-block.ts); larger ones by the binding, off the loop. */
const SMALL_CHUNK = 4096;
/** Binding calls in flight at once: libuv's default thread pool size. */
const WINDOW = 4;

/**
 * Decodes a framed snappy `body` into at most `maxBytes` bytes, checking every chunk's CRC-32C. A first
 * pass reads every header and refuses the stream if it is malformed or states more than `maxBytes`; the
 * second decodes each chunk into its place in one buffer.
 */
export async function decodeFramed(codec: SnappyBlockCodec, body: Buffer, maxBytes: number): Promise<FramedResult> {
  const scan = scanChunks(body, maxBytes);
  if (!scan.ok) return scan;
  const out = Buffer.allocUnsafe(scan.total);
  const pending: Promise<string | undefined>[] = [];
  let at = 0;
  for (let pos = 0; pos < body.length; pos += HEADER_BYTES + body.readUIntLE(pos + 1, 3)) {
    const type = body[pos] as number;
    if (type !== COMPRESSED && type !== UNCOMPRESSED) continue;
    const start = pos + HEADER_BYTES;
    // The scan checked every chunk: this one is a DataChunk.
    const c = dataChunk(body, type === COMPRESSED, start, start + body.readUIntLE(pos + 1, 3)) as DataChunk;
    if (c.compressed && c.length > SMALL_CHUNK) pending.push(inflateInto(codec, body, c, out, at));
    else {
      const error = decodeHere(body, c, out, at);
      if (error !== undefined) return corrupt(error);
    }
    at += c.length;
    if (pending.length >= WINDOW) {
      const failed = firstError(await Promise.all(pending.splice(0)));
      if (failed !== undefined) return corrupt(failed);
    }
  }
  const failed = firstError(await Promise.all(pending));
  return failed === undefined ? { ok: true, bytes: out } : corrupt(failed);
}

/** A raw chunk or a small compressed one, decoded on the loop into `out` at `at`; undefined when sound. */
function decodeHere(body: Buffer, c: DataChunk, out: Buffer, at: number): string | undefined {
  if (c.compressed) {
    const error = decodeBlockInto(body, c.blockStart, c.end, out, at, c.length);
    if (error !== undefined) return error;
  } else {
    body.copy(out, at, c.start, c.end);
  }
  return checksum(out, at, c);
}

async function inflateInto(
  codec: SnappyBlockCodec,
  body: Buffer,
  c: DataChunk,
  out: Buffer,
  at: number,
): Promise<string | undefined> {
  let data: Buffer;
  try {
    data = await codec.decompress(body.subarray(c.start, c.end));
  } catch (err) {
    return errorMessage(err);
  }
  if (data.length !== c.length) return 'a block decoded to a length other than its header says';
  data.copy(out, at);
  return checksum(out, at, c);
}

function checksum(out: Buffer, at: number, c: DataChunk): string | undefined {
  return maskedCrc32c(out.subarray(at, at + c.length)) === c.crc ? undefined : 'checksum mismatch';
}

function firstError(errors: readonly (string | undefined)[]): string | undefined {
  return errors.find((e) => e !== undefined);
}

/** Walks every chunk header: the decompressed total, refused once over `maxBytes`. */
function scanChunks(body: Buffer, maxBytes: number): Scan {
  let total = 0;
  let pos = 0;
  while (pos < body.length) {
    if (pos + HEADER_BYTES > body.length) return corrupt('truncated chunk header');
    const type = body[pos] as number;
    const start = pos + HEADER_BYTES;
    const end = start + body.readUIntLE(pos + 1, 3);
    if (end > body.length) return corrupt('truncated chunk');
    if (pos === 0 && type !== IDENTIFIER) return corrupt('the stream does not start with the stream identifier');
    if (type === IDENTIFIER) {
      if (!body.subarray(pos, end).equals(STREAM_IDENTIFIER)) return corrupt('bad stream identifier');
    } else if (type === COMPRESSED || type === UNCOMPRESSED) {
      const chunk = dataChunk(body, type === COMPRESSED, start, end);
      if (typeof chunk === 'string') return corrupt(chunk);
      total += chunk.length;
      if (total > maxBytes) return tooLarge(maxBytes);
    } else if (type < FIRST_SKIPPABLE) {
      return corrupt(`reserved unskippable chunk type 0x${type.toString(16)}`);
    }
    pos = end;
  }
  return { ok: true, total };
}

function dataChunk(body: Buffer, compressed: boolean, start: number, end: number): DataChunk | string {
  if (end - start < CRC_BYTES) return 'data chunk shorter than its checksum';
  const crc = body.readUInt32LE(start);
  const dataStart = start + CRC_BYTES;
  let length = end - dataStart;
  let blockStart = dataStart;
  if (compressed) {
    const header = snappyBlockLength(body, dataStart, end);
    if (!header.ok) return 'bad block length in a compressed chunk';
    length = header.length;
    blockStart = header.dataStart;
  }
  if (length > MAX_CHUNK_DATA) return `chunk holds ${length} bytes, more than ${MAX_CHUNK_DATA}`;
  return { compressed, start: dataStart, blockStart, end, length, crc };
}

/**
 * Encodes `plain` as one framed stream: the identifier, then a chunk per 64 KiB, compressed on the thread
 * pool, kept raw when compression saves less than 1/8 of it (golang/snappy's Writer does the same).
 */
export async function encodeFramed(codec: SnappyBlockCodec, plain: Buffer): Promise<Buffer> {
  const pieces: Promise<Buffer>[] = [];
  for (let pos = 0; pos < plain.length; pos += MAX_CHUNK_DATA) {
    pieces.push(encodeChunk(codec, plain.subarray(pos, pos + MAX_CHUNK_DATA)));
  }
  return Buffer.concat([STREAM_IDENTIFIER, ...(await Promise.all(pieces))]);
}

async function encodeChunk(codec: SnappyBlockCodec, data: Buffer): Promise<Buffer> {
  const block = await codec.compress(data);
  const useBlock = block.length < data.length - (data.length >>> 3);
  const body = useBlock ? block : data;
  const head = Buffer.allocUnsafe(HEADER_BYTES + CRC_BYTES);
  head[0] = useBlock ? COMPRESSED : UNCOMPRESSED;
  head.writeUIntLE(CRC_BYTES + body.length, 1, 3);
  head.writeUInt32LE(maskedCrc32c(data), HEADER_BYTES);
  return Buffer.concat([head, body]);
}

function corrupt(message: string): { ok: false; error: 'corrupt'; message: string } {
  return { ok: false, error: 'corrupt', message };
}

function tooLarge(maxBytes: number): { ok: false; error: 'too-large'; message: string } {
  return { ok: false, error: 'too-large', message: `decompressed body exceeds the limit of ${maxBytes} bytes` };
}
