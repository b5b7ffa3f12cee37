// `sending_queue.batch` (Go's exporter-side batching): queued requests are merged as they leave the
// queue — after the persistent store, so nothing acknowledged waits in memory only. A group is ready
// when the queued requests reach min_size, when the oldest has waited flush_timeout, or at shutdown;
// it takes whole requests up to max_size (a larger one goes alone: requests are not split here).
import { EMPTY_CONTEXT, type Payload, type RequestContext } from '../../contracts/payload.ts';
import type { QueueBatchConfig, QueueSizer } from '../../config/blocks/queue.ts';
import { PartsPayload, payloadByteLength } from '../../pdata/payload-bytes.ts';

/** What the batcher reads of a queued request. */
export interface BatchEntry {
  readonly payload: Payload;
  /** When it was queued (ms, Date.now()). */
  readonly at: number;
}

/** Decides how many queued requests form the next batch, and when to look again. */
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
   * How many requests from `entries[head]` on form a batch now (0: none yet, a timer is armed for
   * when the oldest is due). `queued` is the size of them all (so a short queue is judged without a
   * scan); `flushAll` (shutdown) sends whatever is queued.
   */
  ready(entries: readonly (BatchEntry | undefined)[], head: number, queued: number, flushAll: boolean): number {
    const oldest = entries[head];
    if (oldest === undefined) return 0;
    const { min_size: min, max_size: max } = this.cfg;
    const waited = Date.now() - oldest.at;
    if (queued < min && !flushAll && waited < this.cfg.flush_timeout) {
      this.arm(this.cfg.flush_timeout - waited);
      return 0;
    }
    let size = 0;
    let n = 0;
    for (let i = head; i < entries.length; i++) {
      const e = entries[i];
      if (e === undefined) break;
      const s = sizeOf(this.cfg.sizer, e.payload);
      if (max > 0 && n > 0 && size + s > max) return n;
      size += s;
      n++;
      if (size >= min) return n;
    }
    return n;
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

/** One payload holding every request of the group, their bytes laid end to end (not copied). */
export function mergePayloads(group: readonly BatchEntry[]): Payload {
  const first = group[0]?.payload;
  if (first === undefined) throw new Error('mergePayloads: empty group');
  if (group.length === 1) return first;
  const parts: Buffer[] = [];
  let items = 0;
  let bytes = 0;
  let context: RequestContext = first.context;
  for (const { payload } of group) {
    if (payload.parts !== undefined) parts.push(...payload.parts);
    else parts.push(payload.bytes);
    items += payload.items;
    bytes += payloadByteLength(payload);
    // Requests from different clients go out with an empty context, as the batch processor does.
    if (payload.context !== context) context = EMPTY_CONTEXT;
  }
  return new PartsPayload(first.signal, parts, bytes, items, context);
}

function sizeOf(sizer: QueueSizer, payload: Payload): number {
  if (sizer === 'requests') return 1;
  return sizer === 'items' ? payload.items : payloadByteLength(payload);
}
