// Where a sending queue keeps its requests besides memory: nowhere (the in-memory queue, Go's
// default) or a storage extension's log (Go's persistent queue, `sending_queue.storage`). The queue
// appends before it answers the sender and acknowledges once a request left the queue for good.
import type { Payload } from '../../contracts/payload.ts';
import type { QueueLog, RecoveredRecord, RecoveryReport } from '../../contracts/queue-storage.ts';
import { countItems } from '../../pdata/count.ts';

/** The queue's backing store. */
export interface QueueStore {
  /** False for memory: the queue then skips the append step entirely. */
  readonly persistent: boolean;
  /** Requests a previous run left, oldest first. */
  readonly recovered: readonly RecoveredRecord[];
  readonly report: RecoveryReport;
  /** Stores `payload`; resolves with its id once it is as durable as the store promises. */
  append(payload: Payload): Promise<number>;
  /** The request with this id was delivered or dropped: never replay it. */
  ack(id: number): void;
  close(): Promise<void>;
}

const NOTHING_RECOVERED: RecoveryReport = Object.freeze({ records: 0, corruptRecords: 0, corruptBytes: 0 });

/** The in-memory queue's store: keeps nothing. */
export const MEMORY_STORE: QueueStore = Object.freeze({
  persistent: false,
  recovered: [],
  report: NOTHING_RECOVERED,
  append: () => Promise.resolve(0),
  ack: () => undefined,
  close: () => Promise.resolve(),
});

/** A persistent store over a storage extension's log; the payload's parts are written as they are. */
export class LogQueueStore implements QueueStore {
  readonly persistent = true;
  private readonly log: QueueLog;
  private closed = false;

  constructor(log: QueueLog) {
    this.log = log;
  }

  get recovered(): readonly RecoveredRecord[] {
    return this.log.recovered;
  }

  get report(): RecoveryReport {
    return this.log.report;
  }

  append(payload: Payload): Promise<number> {
    if (!(payload.items >= 0)) payload.items = countItems(payload.signal, payload.bytes);
    return this.log.append(payload.parts ?? [payload.bytes], payload.items);
  }

  ack(id: number): void {
    // A send that ends after shutdown closed the log stays unacknowledged: it is replayed (a counted duplicate).
    if (!this.closed) this.log.ack(id);
  }

  close(): Promise<void> {
    this.closed = true;
    return this.log.close();
  }
}
