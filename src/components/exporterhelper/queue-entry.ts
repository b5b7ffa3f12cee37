// One request in the sending queue (queue-sender.ts) and what it owes: with sending_queue.batch it may be
// cut into pieces (queue-batch.ts), and it leaves the queue — answered, acknowledged in a persistent store,
// its room released — only once every piece of it was answered.
import { SUCCESS, type ConsumeResult } from '../../contracts/consumer.ts';
import type { Payload } from '../../contracts/payload.ts';

/** A queued request. */
export interface Entry {
  readonly payload: Payload;
  /** Pieces still queued after sending_queue.batch cut it (queue-batch.ts); undefined while whole. */
  pieces: Payload[] | undefined;
  /** Pieces sent or being sent, not answered yet: it leaves the queue when none is left of either. */
  inFlight: number;
  /** The worst answer its pieces got so far. */
  outcome: ConsumeResult;
  /** A piece failed with a retryable error while a persistent queue drained: it stays stored. */
  keep: boolean;
  /** Given up by drain (answered, counted): late answers of its pieces change nothing. */
  abandoned: boolean;
  readonly size: number;
  /** The payload's byte length, counted once (a batch's `bytes` would concatenate its parts). */
  readonly bytes: number;
  /** Set with wait_for_result: the caller awaits the send's outcome. */
  readonly done: ((r: ConsumeResult) => void) | undefined;
  /** The store's id (0 in memory). */
  readonly id: number;
  /** When it was queued (ms; only read with sending_queue.batch). */
  readonly at: number;
}

/** A new queued request, whole. */
export function newEntry(
  payload: Payload,
  size: number,
  bytes: number,
  done: Entry['done'],
  id: number,
  at: number,
): Entry {
  return {
    payload,
    size,
    bytes,
    done,
    id,
    at,
    pieces: undefined,
    inFlight: 0,
    outcome: SUCCESS,
    keep: false,
    abandoned: false,
  };
}

/**
 * Records the answer to one piece of `entry`: the worst answer wins (failure over retryable over
 * success), and a retryable one while `draining` keeps it stored. True when that was its last piece
 * and it now leaves the queue.
 */
export function recordAnswer(entry: Entry, result: ConsumeResult, draining: boolean): boolean {
  entry.inFlight--;
  if (result.status !== 'success' && entry.outcome.status !== 'failure') entry.outcome = result;
  if (draining && result.status === 'retryable') entry.keep = true;
  return !entry.abandoned && entry.inFlight === 0 && (entry.pieces === undefined || entry.pieces.length === 0);
}
