// A snappy block decoder in TypeScript (google/snappy format_description.txt §2), for the small chunks of a
// framed stream: a native call costs ~5 µs whatever its size, so a 4 MiB stream of 11-byte chunks (381,000
// of them) took 14 s through the binding; decoded here, a tiny chunk costs what Go's reader pays. Large
// chunks still go to the binding, off the event loop (snappy-frame.ts).

const LITERAL = 0;
const COPY_1 = 1;
const COPY_2 = 2;

/**
 * Decodes the block elements in `src[start, end)` (after the length varint) into `out[outStart,
 * outStart + length)`. Undefined on success, else why the block is corrupt. Every read and write is
 * bounds-checked: a copy must point back into what this block already wrote, and the block must fill
 * exactly `length` bytes.
 */
export function decodeBlockInto(
  src: Buffer,
  start: number,
  end: number,
  out: Buffer,
  outStart: number,
  length: number,
): string | undefined {
  const outEnd = outStart + length;
  let s = start;
  let d = outStart;
  while (s < end) {
    const tag = src[s++] as number;
    const kind = tag & 3;
    if (kind === LITERAL) {
      let n = tag >>> 2;
      if (n >= 60) {
        const bytes = n - 59;
        if (s + bytes > end) return 'truncated literal length';
        n = src.readUIntLE(s, bytes);
        s += bytes;
      }
      n += 1;
      if (s + n > end || d + n > outEnd) return 'literal runs past the block';
      src.copy(out, d, s, s + n);
      s += n;
      d += n;
      continue;
    }
    let n: number;
    let offset: number;
    if (kind === COPY_1) {
      if (s + 1 > end) return 'truncated copy';
      n = 4 + ((tag >>> 2) & 7);
      offset = ((tag >>> 5) << 8) | (src[s++] as number);
    } else {
      const bytes = kind === COPY_2 ? 2 : 4;
      if (s + bytes > end) return 'truncated copy';
      n = 1 + (tag >>> 2);
      offset = src.readUIntLE(s, bytes);
      s += bytes;
    }
    if (offset === 0 || offset > d - outStart) return 'copy offset out of range';
    if (d + n > outEnd) return 'copy runs past the block';
    // Overlapping copies (offset < n) repeat the last `offset` bytes: byte by byte, as the format means.
    for (let i = 0; i < n; i++) out[d + i] = out[d + i - offset] as number;
    d += n;
  }
  return d === outEnd ? undefined : 'block shorter than its stated length';
}
