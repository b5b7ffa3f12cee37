// Fan-out of one pipeline's data to several consumers (a pipeline's exporters, or the pipelines that
// share a receiver). Payload bytes are immutable, so every consumer gets the same payload: no clone.
import type { Consumer, ConsumeResult } from '../contracts/consumer.ts';
import type { Payload } from '../contracts/payload.ts';
import type { Room } from '../contracts/room.ts';
import { allRooms } from '../util/room-signal.ts';

/**
 * Combines outcomes as the Go collector's fanout does with multierr: any permanent failure makes the
 * whole a failure, else any retryable makes it retryable (with the longest advised delay).
 */
export function combineResults(results: readonly ConsumeResult[]): ConsumeResult {
  let retryable: ConsumeResult | undefined;
  let rejected = 0;
  for (const r of results) {
    if (r.status === 'failure') return r;
    if (r.status === 'retryable') {
      if (retryable?.status !== 'retryable' || (r.retryAfterMs ?? 0) > (retryable.retryAfterMs ?? 0)) retryable = r;
    } else if (r.rejectedItems) {
      rejected = Math.max(rejected, r.rejectedItems);
    }
  }
  if (retryable) return retryable;
  return rejected > 0 ? { status: 'success', rejectedItems: rejected } : (results[0] ?? { status: 'success' });
}

/** Sends each payload to every consumer concurrently and combines the outcomes. */
export class FanoutConsumer implements Consumer {
  private readonly consumers: readonly Consumer[];
  /** Room when every consumer has room: the data goes to all of them. */
  readonly room: Room | undefined;

  constructor(consumers: readonly Consumer[]) {
    this.consumers = consumers;
    this.room = allRooms(consumers.map((c) => c.room));
  }

  async consume(payload: Payload): Promise<ConsumeResult> {
    const results = await Promise.all(this.consumers.map((c) => c.consume(payload)));
    return combineResults(results);
  }
}

/** One consumer as is; several behind a fan-out. */
export function fanout(consumers: readonly Consumer[]): Consumer {
  const [only] = consumers;
  return consumers.length === 1 && only ? only : new FanoutConsumer(consumers);
}
