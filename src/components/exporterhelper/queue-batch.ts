// `sending_queue.batch` (Go's exporter-side batching): queued requests are merged as they leave the
// queue — after the persistent store, so nothing acknowledged waits in memory only. A batch is due
// when the queued requests reach min_size, when the oldest has waited flush_timeout, or at shutdown;
// it takes requests until it reaches min_size, and never passes max_size: the request that would is cut
// (queue-split.ts), as Go's MergeSplit does, and its pieces go in this batch and the next ones.
import { EMPTY_CONTEXT, type DeflatePiece, type Payload, type RequestContext } from '../../contracts/payload.ts';
import type { QueueBatchConfig, QueueSizer } from '../../config/blocks/queue.ts';
import { PartsPayload, payloadByteLength } from '../../pdata/payload-bytes.ts';
import { cutToFit } from './queue-split.ts';

/** What the batcher reads and keeps of a queued request. */
export interface BatchEntry {
  readonly payload: Payload;
  /** When it was queued (ms, Date.now()). */
  readonly at: number;
  /** Its pieces still queued, once it was cut; undefined while it is whole. */
  pieces: Payload[] | undefined;
  /** Its pieces taken into batches and not answered yet. */
  inFlight: number;
}

/** One piece of a batch: a whole request or a cut of one, and the queued request it came from. */
export interface BatchPiece<E extends BatchEntry> {
  readonly entry: E;
  readonly payload: Payload;
}

/** A batch taken from the queue front, with what it did to the queued size (in batch sizer units). */
export interface TakenBatch<E extends BatchEntry> {
  readonly pieces: BatchPiece<E>[];
  /** Units taken out of the queue. */
  readonly units: number;
  /** Units the cuts added (a piece repeats its resource and scope: bytes only; 0 for items). */
  readonly grown: number;
}

/** The queue front the batcher takes from: the oldest entry, and removing it. */
export interface QueueFront<E extends BatchEntry> {
  peek(): E | undefined;
  pop(): void;
}

/** Decides when the next batch is due and takes it from the queue front, cutting to max_size. */
export class QueueBatcher {
  private readonly cfg: QueueBatchConfig;
  private readonly onDue: () => void;
  private timer: NodeJS.Timeout | undefined;

  /** `onDue` is called when the oldest request's flush_timeout has passed. */
  constructor(cfg: QueueBatchConfig, onDue: () => void) {
    this.cfg = cfg;
    this.onDue = onDue;
  }

  /** The size of `payload` in the batch's sizer units. */
  sizeOf(payload: Payload): number {
    return sizeOf(this.cfg.sizer, payload);
  }

  /**
   * Whether a batch is due now; if not, a timer is armed for when the oldest is. `queued` is the size
   * of all queued requests (so a short queue is judged without a scan); `flushAll` (shutdown) sends
   * whatever is queued.
   */
  isDue(oldest: BatchEntry | undefined, queued: number, flushAll: boolean): boolean {
    if (oldest === undefined) return false;
    const waited = Date.now() - oldest.at;
    if (queued >= this.cfg.min_size || flushAll || waited >= this.cfg.flush_timeout) return true;
    this.arm(this.cfg.flush_timeout - waited);
    return false;
  }

  /**
   * Takes the next batch: pieces while it is under min_size, the one that would pass max_size cut to
   * the room left. Over max_size only alone: a piece that cannot be cut (one item larger than max_size
   * bytes, or bytes that do not parse).
   */
  take<E extends BatchEntry>(front: QueueFront<E>): TakenBatch<E> {
    const { min_size: min, max_size: max, sizer } = this.cfg;
    const pieces: BatchPiece<E>[] = [];
    let size = 0;
    let grown = 0;
    for (let e = front.peek(); e !== undefined; e = front.peek()) {
      const next = e.pieces?.[0] ?? e.payload;
      const s = sizeOf(sizer, next);
      if (max > 0 && size + s > max) {
        const cut = sizer === 'requests' ? undefined : cutToFit(next, sizer, max - size, max);
        if (cut === undefined && pieces.length > 0) break;
        if (cut !== undefined) {
          const parts = [cut.first, ...cut.rest];
          grown += sumSizes(sizer, parts) - s;
          e.pieces = e.pieces === undefined ? parts : [...parts, ...e.pieces.slice(1)];
        }
      }
      const payload = e.pieces === undefined ? e.payload : (e.pieces.shift() as Payload);
      if (e.pieces === undefined || e.pieces.length === 0) front.pop();
      e.inFlight++;
      pieces.push({ entry: e, payload });
      size += sizeOf(sizer, payload);
      if (size >= min || (max > 0 && size >= max)) break;
    }
    return { pieces, units: size, grown };
  }

  /** Stops the timer (shutdown). */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(delayMs: number): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.onDue();
    }, delayMs);
    // The receivers keep the process alive; a pending flush must not.
    this.timer.unref();
  }
}

/**
 * One payload holding every request of the group, their bytes laid end to end (not copied), and their
 * deflate pieces (Payload.deflatePieces) when every request has them: a cut piece (queue-split.ts) or a
 * request read back from a persistent queue has none, and the batch is then compressed afresh.
 */
export function mergePayloads(group: readonly { readonly payload: Payload }[]): Payload {
  const first = group[0]?.payload;
  if (first === undefined) throw new Error('mergePayloads: empty group');
  if (group.length === 1) return first;
  const parts: Buffer[] = [];
  let deflatePieces: DeflatePiece[] | undefined = [];
  let items = 0;
  let bytes = 0;
  let context: RequestContext = first.context;
  for (const { payload } of group) {
    if (payload.parts !== undefined) parts.push(...payload.parts);
    else parts.push(payload.bytes);
    if (payload.deflatePieces === undefined) deflatePieces = undefined;
    else deflatePieces?.push(...payload.deflatePieces);
    items += payload.items;
    bytes += payloadByteLength(payload);
    // Requests from different clients go out with an empty context, as the batch processor does.
    if (payload.context !== context) context = EMPTY_CONTEXT;
  }
  return new PartsPayload(first.signal, parts, bytes, items, context, deflatePieces);
}

function sumSizes(sizer: QueueSizer, payloads: readonly Payload[]): number {
  let n = 0;
  for (const p of payloads) n += sizeOf(sizer, p);
  return n;
}

function sizeOf(sizer: QueueSizer, payload: Payload): number {
  if (sizer === 'requests') return 1;
  return sizer === 'items' ? payload.items : payloadByteLength(payload);
}
