// Hot path: every zstd request body (see bench/load, the telegate-zstd row).
// An upper bound of what a zstd body (RFC 8878) decompresses to, read from its frame and block headers
// alone, before any byte is decompressed: the zstd bindings have no output limit, so this is what keeps a
// small zstd bomb from inflating past max_recv_msg_size / max_request_body_size. Raw and RLE blocks give
// their exact size; a compressed block at most Block_Maximum_Size (min(window, 128 KiB), RFC 8878 §3.1.1.2.4).

/** The bound, or why the body is not zstd frames. */
export type ZstdBound =
  { readonly ok: true; readonly bytes: number } | { readonly ok: false; readonly message: string };

const FRAME_MAGIC = 0xfd2fb528;
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;
const MAX_BLOCK = 128 * 1024;
const DICT_ID_BYTES = [0, 1, 2, 4] as const;
const FCS_BYTES = [0, 2, 4, 8] as const;

/** Walks every frame of `body` (skippable frames count 0); the sum of their bounds. */
export function zstdDecompressedBound(body: Buffer): ZstdBound {
  let pos = 0;
  let total = 0;
  while (pos < body.length) {
    if (pos + 4 > body.length) return corrupt('truncated frame magic');
    const magic = body.readUInt32LE(pos);
    if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE_MAGIC) {
      if (pos + 8 > body.length) return corrupt('truncated skippable frame');
      pos += 8 + body.readUInt32LE(pos + 4);
      continue;
    }
    if (magic !== FRAME_MAGIC) return corrupt('not a zstd frame (bad magic number)');
    const frame = frameBound(body, pos + 4);
    if (!frame.ok) return frame;
    total += frame.bytes;
    pos = frame.end;
  }
  if (pos > body.length) return corrupt('truncated frame');
  return { ok: true, bytes: total };
}

type FrameBound =
  | { readonly ok: true; readonly bytes: number; readonly end: number }
  | { readonly ok: false; readonly message: string };

/** One frame from its Frame_Header_Descriptor at `pos`. */
function frameBound(body: Buffer, start: number): FrameBound {
  let pos = start;
  if (pos >= body.length) return corrupt('truncated frame header');
  const fhd = body[pos++] as number;
  if ((fhd & 0x08) !== 0) return corrupt('reserved bit set in the frame header');
  const single = (fhd & 0x20) !== 0;
  const fcsFlag = fhd >> 6;
  let window = 0;
  if (!single) {
    if (pos >= body.length) return corrupt('truncated frame header');
    const wd = body[pos++] as number;
    const base = 2 ** (10 + (wd >> 3));
    window = base + (base / 8) * (wd & 7);
  }
  pos += DICT_ID_BYTES[fhd & 3] as number;
  const fcsBytes = fcsFlag === 0 ? (single ? 1 : 0) : (FCS_BYTES[fcsFlag] as number);
  if (pos + fcsBytes > body.length) return corrupt('truncated frame header');
  const contentSize = readContentSize(body, pos, fcsBytes);
  pos += fcsBytes;
  if (single) window = contentSize ?? 0;
  const blocks = blocksBound(body, pos, Math.min(window, MAX_BLOCK));
  if (!blocks.ok) return blocks;
  const end = blocks.end + ((fhd & 0x04) !== 0 ? 4 : 0);
  // A declared content size is checked by the decoder, so it bounds the frame too.
  return { ok: true, bytes: contentSize === undefined ? blocks.bytes : Math.min(contentSize, blocks.bytes), end };
}

function blocksBound(body: Buffer, start: number, maxBlock: number): FrameBound {
  let pos = start;
  let bytes = 0;
  for (;;) {
    if (pos + 3 > body.length) return corrupt('truncated block header');
    const header = (body[pos] as number) | ((body[pos + 1] as number) << 8) | ((body[pos + 2] as number) << 16);
    pos += 3;
    const type = (header >> 1) & 3;
    const size = header >>> 3;
    if (type === 3) return corrupt('reserved block type');
    if (size > maxBlock) return corrupt('block larger than the frame allows');
    // Raw: `size` bytes follow, as they are. RLE: one byte repeated `size` times. Compressed: `size` bytes in.
    bytes += type === 2 ? maxBlock : size;
    pos += type === 1 ? 1 : size;
    if ((header & 1) !== 0) return { ok: true, bytes, end: pos };
  }
}

function readContentSize(body: Buffer, pos: number, size: number): number | undefined {
  switch (size) {
    case 1:
      return body[pos];
    case 2:
      return body.readUInt16LE(pos) + 256;
    case 4:
      return body.readUInt32LE(pos);
    case 8:
      return Number(body.readBigUInt64LE(pos));
    default:
      return undefined;
  }
}

function corrupt(message: string): { readonly ok: false; readonly message: string } {
  return { ok: false, message };
}
