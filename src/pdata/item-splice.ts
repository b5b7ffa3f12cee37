// Hot path: see bench/micro/attributes-edit.bench.ts.
// The rewrite plan of item-edit.ts and its writer: the changed fields of a request as a tree of
// splices (containers whose sizes change, and items whose attributes are replaced); sizes are
// computed first, then the output is written in one allocation, copying every unchanged byte.
import { keyValuesFieldSize, writeKeyValuesField, type KeyValue } from './attributes.ts';
import { LazyKeyValue } from './lazy-key-value.ts';
import { varintSize, writeVarint } from './wire.ts';

/**
 * A length-delimited field of the source that changed: a container (`kids`, changed fields inside
 * it) or an item (`attrs`, its new attributes replacing the fields in `attrRanges`).
 */
export class Splice {
  readonly tag: number;
  readonly start: number;
  readonly bodyStart: number;
  readonly end: number;
  size = 0;
  kids: Splice[] | null = null;
  attrs: readonly KeyValue[] | null = null;
  attrTag = 0;
  attrRanges: number[] | null = null;

  constructor(tag: number, start: number, bodyStart: number, end: number) {
    this.tag = tag;
    this.start = start;
    this.bodyStart = bodyStart;
    this.end = end;
  }

  /** Encoded size with tag and length prefix. */
  fieldSize(): number {
    return varintSize(this.tag) + varintSize(this.size) + this.size;
  }
}

/** True for an attribute still as read from `src` (its whole field is copied as it is). */
function isSourced(kv: KeyValue, src: Buffer): kv is LazyKeyValue {
  return kv instanceof LazyKeyValue && kv.src === src;
}

/** Size of `attrs` as a repeated field tagged `tag`, tags and lengths included. */
export function attributesSize(src: Buffer, attrs: readonly KeyValue[], tag: number): number {
  let n = 0;
  for (const kv of attrs) n += isSourced(kv, src) ? kv.end - kv.fieldStart : keyValuesFieldSize([kv], tag);
  return n;
}

/** Writes `attrs`; attributes adjacent in the source are copied in one run (one copy each cost a third of the edit). */
function writeAttributes(src: Buffer, out: Buffer, pos: number, attrs: readonly KeyValue[], tag: number): number {
  let runStart = -1;
  let runEnd = -1;
  for (const kv of attrs) {
    if (isSourced(kv, src)) {
      if (kv.fieldStart !== runEnd) {
        if (runStart >= 0) pos += copyRange(src, runStart, runEnd, out, pos);
        runStart = kv.fieldStart;
      }
      runEnd = kv.end;
      continue;
    }
    if (runStart >= 0) pos += copyRange(src, runStart, runEnd, out, pos);
    runStart = -1;
    runEnd = -1;
    pos = writeKeyValuesField(out, pos, [kv], tag);
  }
  return runStart >= 0 ? pos + copyRange(src, runStart, runEnd, out, pos) : pos;
}

export function containerSize(bodyStart: number, end: number, kids: readonly Splice[]): number {
  let size = end - bodyStart;
  for (const k of kids) size += k.fieldSize() - (k.end - k.start);
  return size;
}

/** Writes the body `src[bodyStart, end)` with `kids` rewritten; returns the new position. */
export function writeBody(
  src: Buffer,
  out: Buffer,
  pos: number,
  bodyStart: number,
  end: number,
  kids: readonly Splice[],
) {
  let cursor = bodyStart;
  for (const k of kids) {
    pos += copyRange(src, cursor, k.start, out, pos);
    pos = writeSplice(src, out, pos, k);
    cursor = k.end;
  }
  return pos + copyRange(src, cursor, end, out, pos);
}

function writeSplice(src: Buffer, out: Buffer, pos: number, s: Splice): number {
  pos = writeVarint(out, pos, s.tag);
  pos = writeVarint(out, pos, s.size);
  if (s.kids !== null) return writeBody(src, out, pos, s.bodyStart, s.end, s.kids);
  return writeItem(src, out, pos, s);
}

/** An item: the new attributes take the place of its first attributes field (or go last). */
function writeItem(src: Buffer, out: Buffer, pos: number, s: Splice): number {
  const ranges = s.attrRanges as number[];
  const attrs = s.attrs as readonly KeyValue[];
  const tag = s.attrTag;
  if (ranges.length === 0) {
    pos += copyRange(src, s.bodyStart, s.end, out, pos);
    return writeAttributes(src, out, pos, attrs, tag);
  }
  let cursor = s.bodyStart;
  for (let i = 0; i < ranges.length; i += 2) {
    pos += copyRange(src, cursor, ranges[i] as number, out, pos);
    if (i === 0) pos = writeAttributes(src, out, pos, attrs, tag);
    cursor = ranges[i + 1] as number;
  }
  return pos + copyRange(src, cursor, s.end, out, pos);
}

/**
 * Copies `src[start, end)` to `out` at `pos`; returns the byte count. Short ranges are copied by a
 * loop: Buffer#copy makes typed-array views on every call, which cost more than the copy itself for
 * the few dozen bytes between two edited attributes (bench/micro/attributes-edit.bench.ts).
 */
function copyRange(src: Buffer, start: number, end: number, out: Buffer, pos: number): number {
  const n = end - start;
  if (n > 64) return src.copy(out, pos, start, end);
  for (let i = 0; i < n; i++) out[pos + i] = src[start + i] as number;
  return n;
}
