// The snappy framing format (google/snappy framing_format.txt): what Go sends as HTTP `x-snappy-framed`
// and, through golang/snappy's stream Reader/Writer, as gRPC `grpc-encoding: snappy`. A stream is
// chunks of [type:1][length:3 LE][body]; data chunks hold a masked CRC-32C and at most 64 KiB of data,
// raw or as one snappy block. Every chunk header, block length included, is read before anything is
// inflated, so a bomb is refused from its headers alone, as the block format's bound is.
import { maskedCrc32c } from './crc32c.ts';
import { snappyBlockLength, type SnappyBlockCodec } from './snappy.ts';

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

/** A data chunk found by the scan: where its payload is, what it decodes to, its checksum. */
interface DataChunk {
  readonly compressed: boolean;
  readonly start: number;
  readonly end: number;
  readonly length: number;
  readonly crc: number;
}

type Scan =
  | { readonly ok: true; readonly chunks: DataChunk[]; readonly total: number }
  | { readonly ok: false; readonly error: 'corrupt' | 'too-large'; readonly message: string };

/**
 * Decodes a framed snappy `body` into at most `maxBytes` bytes, checking every chunk's CRC-32C. The
 * chunks' blocks are inflated concurrently on the thread pool, each into its place in one buffer.
 */
export async function decodeFramed(codec: SnappyBlockCodec, body: Buffer, maxBytes: number): Promise<FramedResult> {
  const scan = scanChunks(body, maxBytes);
  if (!scan.ok) return scan;
  const out = Buffer.allocUnsafe(scan.total);
  const offsets: number[] = [];
  let pos = 0;
  for (const c of scan.chunks) {
    offsets.push(pos);
    pos += c.length;
  }
  let failure: string | undefined;
  await Promise.all(
    scan.chunks.map(async (c, i) => {
      const data = c.compressed
        ? await inflate(codec, body.subarray(c.start, c.end), c.length)
        : body.subarray(c.start, c.end);
      if (typeof data === 'string') failure ??= data;
      else if (maskedCrc32c(data) !== c.crc) failure ??= `checksum mismatch in chunk ${i}`;
      else data.copy(out, offsets[i]);
    }),
  );
  if (failure !== undefined) return corrupt(failure);
  return { ok: true, bytes: out };
}

async function inflate(codec: SnappyBlockCodec, block: Buffer, length: number): Promise<Buffer | string> {
  try {
    const data = await codec.decompress(block);
    return data.length === length ? data : 'a block decoded to a length other than its header says';
  } catch (err) {
    return (err as Error).message;
  }
}

/** Walks every chunk header; the data chunks, and the decompressed total, refused once over `maxBytes`. */
function scanChunks(body: Buffer, maxBytes: number): Scan {
  const chunks: DataChunk[] = [];
  let total = 0;
  let pos = 0;
  while (pos < body.length) {
    if (pos + HEADER_BYTES > body.length) return corrupt('truncated chunk header');
    const type = body[pos] as number;
    const len = body.readUIntLE(pos + 1, 3);
    const start = pos + HEADER_BYTES;
    const end = start + len;
    if (end > body.length) return corrupt('truncated chunk');
    if (pos === 0 && type !== IDENTIFIER) return corrupt('the stream does not start with the stream identifier');
    if (type === IDENTIFIER) {
      if (!body.subarray(pos, end).equals(STREAM_IDENTIFIER)) return corrupt('bad stream identifier');
    } else if (type === COMPRESSED || type === UNCOMPRESSED) {
      const chunk = dataChunk(body, type === COMPRESSED, start, end);
      if (typeof chunk === 'string') return corrupt(chunk);
      total += chunk.length;
      if (total > maxBytes) return tooLarge(maxBytes);
      chunks.push(chunk);
    } else if (type < FIRST_SKIPPABLE) {
      return corrupt(`reserved unskippable chunk type 0x${type.toString(16)}`);
    }
    pos = end;
  }
  return { ok: true, chunks, total };
}

function dataChunk(body: Buffer, compressed: boolean, start: number, end: number): DataChunk | string {
  if (end - start < CRC_BYTES) return 'data chunk shorter than its checksum';
  const crc = body.readUInt32LE(start);
  const dataStart = start + CRC_BYTES;
  let length = end - dataStart;
  if (compressed) {
    const header = snappyBlockLength(body, dataStart, end);
    if (!header.ok) return 'bad block length in a compressed chunk';
    length = header.length;
  }
  if (length > MAX_CHUNK_DATA) return `chunk holds ${length} bytes, more than ${MAX_CHUNK_DATA}`;
  return { compressed, start: dataStart, end, length, crc };
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
