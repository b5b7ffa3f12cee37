// Cutting one queued request so that a `sending_queue.batch` never exceeds max_size, as Go's queue batcher
// does with MergeSplit: the request that would overflow the batch gives it a first piece that fills the room
// left, and the rest goes on in pieces of at most max_size (sizer `items` or `bytes`). The cuts are the
// batch processor's (pdata/split.ts): whole resource entries while they fit, then scopes, then items.
import type { Payload } from '../../contracts/payload.ts';
import { splitRequest, type RequestPart } from '../../pdata/split.ts';

/** A request cut for a batch: `first` fits the room left, each of `rest` is at most max_size. */
export interface Cut {
  readonly first: Payload;
  readonly rest: Payload[];
}

/**
 * Cuts `payload` (larger than `room`) into a first piece of at most `room` units and pieces of at most
 * `max` units — but for single items larger than `max` bytes, which go alone. Undefined when no piece
 * fits a `room` smaller than `max` (the batch goes without it), or the bytes are not a valid request (it
 * is sent whole: Go, too, exports what it cannot split).
 */
export function cutToFit(payload: Payload, sizer: 'items' | 'bytes', room: number, max: number): Cut | undefined {
  let head: RequestPart[];
  let rest: RequestPart[];
  try {
    head = splitBy(payload, payload.bytes, payload.items, sizer, room);
    const tail = head.slice(1);
    rest = room === max || tail.length === 0 ? tail : splitBy(payload, joined(tail), itemsOf(tail), sizer, max);
  } catch {
    return undefined;
  }
  const first = head[0];
  // With the whole of max_size as room, a first piece over it is one item that cannot be cut: it goes alone.
  if (first === undefined || (partSize(first, sizer) > room && room < max)) return undefined;
  return { first: piece(payload, first), rest: rest.map((p) => piece(payload, p)) };
}

/** Parts of at most `limit` units each, in order (a single item larger than `limit` bytes is a part alone). */
function splitBy(p: Payload, bytes: Buffer, items: number, sizer: 'items' | 'bytes', limit: number): RequestPart[] {
  return sizer === 'items' ? splitRequest(p.signal, bytes, limit) : splitBytes(p, bytes, items, limit);
}

/**
 * By bytes: cut at the item count that would fit if items were of even size, then cut again any part
 * still over (a part repeats its resource and scope, and items differ in size). Each pass cuts a part
 * into strictly smaller counts, so it ends; the usual case is one pass.
 */
function splitBytes(p: Payload, bytes: Buffer, items: number, limit: number): RequestPart[] {
  if (bytes.length <= limit || items <= 1) return [{ bytes, items }];
  const per = Math.max(1, Math.floor((items * limit) / bytes.length));
  const out: RequestPart[] = [];
  for (const part of splitRequest(p.signal, bytes, per)) {
    if (part.bytes.length <= limit || part.items <= 1) out.push(part);
    else out.push(...splitBytes(p, part.bytes, part.items, limit));
  }
  return out;
}

function partSize(part: RequestPart, sizer: 'items' | 'bytes'): number {
  return sizer === 'items' ? part.items : part.bytes.length;
}

function joined(parts: readonly RequestPart[]): Buffer {
  return parts.length === 1 ? (parts[0] as RequestPart).bytes : Buffer.concat(parts.map((p) => p.bytes));
}

function itemsOf(parts: readonly RequestPart[]): number {
  let n = 0;
  for (const p of parts) n += p.items;
  return n;
}

function piece(of: Payload, part: RequestPart): Payload {
  return { signal: of.signal, bytes: part.bytes, items: part.items, context: of.context };
}
