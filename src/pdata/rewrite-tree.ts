// Hot path: see bench/micro/batch.bench.ts (split) and bench/micro/probabilistic-sampler.bench.ts.
// The output of a bytes-level rewrite as a small tree: byte ranges of the input copied as they are,
// bytes made by the rewrite, and messages rebuilt from such pieces. Sized first (each message's size
// cached), then written once into one allocation (STYLE.md rule 7).
import { tagLenFieldSize, writeTagLenHeader } from './wire.ts';

/** A byte range of the input, copied as it is; `end` may grow as contiguous ranges merge. */
export interface WireRange {
  readonly start: number;
  end: number;
}

/** Bytes the rewrite made (a new field). */
export interface WireLiteral {
  readonly lit: Buffer;
}

/** A length-delimited message rebuilt from pieces; `size` is the whole field's size once known, else -1. */
export interface WireMessage {
  readonly tag: number;
  readonly children: WireNode[];
  size: number;
}

/** One piece of rewritten output. */
export type WireNode = WireRange | WireLiteral | WireMessage;

/** The byte size of `node` as written (a message includes its tag and length prefix). */
export function nodeSize(node: WireNode): number {
  if ('start' in node) return node.end - node.start;
  if ('lit' in node) return node.lit.length;
  if (node.size < 0) {
    let body = 0;
    for (const child of node.children) body += nodeSize(child);
    node.size = tagLenFieldSize(node.tag, body);
  }
  return node.size;
}

/** Writes `node` at `pos` of `out`, ranges taken from `src`; returns the position after it. */
export function writeNode(src: Buffer, out: Buffer, pos: number, node: WireNode): number {
  if ('start' in node) return pos + src.copy(out, pos, node.start, node.end);
  if ('lit' in node) return pos + node.lit.copy(out, pos);
  let body = 0;
  for (const child of node.children) body += nodeSize(child);
  pos = writeTagLenHeader(out, pos, node.tag, body);
  for (const child of node.children) pos = writeNode(src, out, pos, child);
  return pos;
}

/** The nodes written one after another into a new Buffer of exactly their size. */
export function writeNodes(src: Buffer, nodes: readonly WireNode[]): Buffer {
  let size = 0;
  for (const node of nodes) size += nodeSize(node);
  const out = Buffer.allocUnsafe(size);
  let pos = 0;
  for (const node of nodes) pos = writeNode(src, out, pos, node);
  return out;
}
