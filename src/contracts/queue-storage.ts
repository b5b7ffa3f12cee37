// What a storage extension (file_storage) offers an exporter's persistent sending queue: an
// append-only log of request bytes, each record kept until acknowledged. The exporter helper finds
// the extension by the id in `sending_queue.storage` and asks it for one log per (exporter, signal).

/** One request a previous run left unacknowledged, as it was written. */
export interface RecoveredRecord {
  readonly seq: number;
  readonly bytes: Buffer;
  readonly items: number;
}

/** What opening a log found on disk. */
export interface RecoveryReport {
  /** Unacknowledged records replayed (some may have been delivered already: at-least-once). */
  readonly records: number;
  /** Damaged regions skipped (a torn tail, a flipped byte): each lost one record or more. */
  readonly corruptRecords: number;
  /** Bytes skipped in those regions. */
  readonly corruptBytes: number;
}

/** A durable FIFO of requests. Appends are serialised; acks may come in any order. */
export interface QueueLog {
  /** Records left by a previous run, oldest first; read once at open. */
  readonly recovered: readonly RecoveredRecord[];
  readonly report: RecoveryReport;
  /** Writes one record (the parts laid end to end); resolves with its sequence number once it is as durable as configured. */
  append(parts: readonly Buffer[], items: number): Promise<number>;
  /** The record was delivered (or dropped for good): it is not replayed after a restart. */
  ack(seq: number): void;
  /** Bytes the log holds on disk (segments and ack journal). */
  diskBytes(): number;
  /** Flushes acknowledgements and releases the log; idempotent. */
  close(): Promise<void>;
}

/** A storage extension that can hold persistent queues. */
export interface QueueStorage {
  /** Opens (creating if needed) the log named `name`, e.g. `exporter_otlp_traces`. One opener at a time. */
  openQueueLog(name: string): Promise<QueueLog>;
}

/** Whether an extension instance offers persistent queues. */
export function isQueueStorage(x: unknown): x is QueueStorage {
  return typeof x === 'object' && x !== null && typeof (x as { openQueueLog?: unknown }).openQueueLog === 'function';
}
