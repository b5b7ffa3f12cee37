// The receiver's side of overload (DESIGN.md §4b): a request whose pipeline is full waits for room before
// its body is read — bounded by backpressure_timeout and the request's own deadline — and is refused with
// UNAVAILABLE / 503 and retry advice only when no room came. Closed-loop clients so slow to the
// collector's pace instead of failing; a refused request costs almost nothing (its body was never read).
import type { Counter } from '../../../contracts/component.ts';
import type { Room } from '../../../contracts/room.ts';
import { waitForNextRoom, waitForRoom } from '../../../util/room-signal.ts';
import type { RequestCounters } from './counters.ts';
import { statusOfError, type ErrorStatus } from './status.ts';

/** The delay advised to a refused client: about when a full pipeline has sent a batch or two. */
export const BACKPRESSURE_RETRY_AFTER_MS = 1000;

/** What a request needs to answer: true (go on), or the refusal. */
export type Admission = true | ErrorStatus;

/** One transport's waiting policy. */
export class Backpressure {
  private readonly maxWaitMs: number;
  private readonly requests: RequestCounters;
  private readonly waits: Counter;

  /** `maxWaitMs` is backpressure_timeout; `waits` counts requests that had to wait. */
  constructor(maxWaitMs: number, requests: RequestCounters, waits: Counter) {
    this.maxWaitMs = maxWaitMs;
    this.requests = requests;
    this.waits = waits;
  }

  /** backpressure_timeout in ms. */
  get maxWait(): number {
    return this.maxWaitMs;
  }

  /** True when `room` (a pipeline's; undefined = cannot fill up) has room now. */
  hasRoom(room: Room | undefined): boolean {
    return room === undefined || room.hasRoom();
  }

  /**
   * Waits for room in `room`, at most backpressure_timeout and a little less than `deadlineMs` (so that the
   * client hears UNAVAILABLE with retry advice rather than its own DEADLINE_EXCEEDED). Counts a refusal.
   */
  async admit(room: Room | undefined, deadlineMs: number | undefined, signal: AbortSignal): Promise<Admission> {
    if (room === undefined) return true;
    const boundMs = Math.max(
      0,
      Math.min(this.maxWaitMs, deadlineMs === undefined ? Infinity : beforeDeadline(deadlineMs)),
    );
    this.waits.add(1);
    const started = performance.now();
    if (await waitForRoom(room, boundMs, signal)) return true;
    this.requests.refused.add(1);
    const waited = Math.round(performance.now() - started);
    return {
      ...statusOfError(
        'TG_PIPELINE_BUSY',
        `the pipeline had no room for this request (waited ${waited} ms; backpressure_timeout ${this.maxWaitMs} ms); the data was refused, not dropped: retry later`,
      ),
      retryAfterMs: BACKPRESSURE_RETRY_AFTER_MS,
    };
  }
}

/**
 * A request admitted while there was room can still find the pipeline full once its body is read (others
 * filled it meanwhile). This waits again, within what is left of the same bound counted from `startedMs`,
 * so that the request is retried instead of refused. True when there is room again.
 */
export function waitAgain(
  bp: Backpressure,
  room: Room | undefined,
  startedMs: number,
  deadlineMs: number | undefined,
): () => Promise<boolean> {
  return async () => {
    if (room === undefined) return false;
    const now = performance.now();
    const left = Math.min(
      bp.maxWait - (now - startedMs),
      deadlineMs === undefined ? Infinity : beforeDeadline(deadlineMs - (now - startedMs)),
    );
    return left > 0 && (await waitForNextRoom(room, left));
  };
}

/** The wait allowed before a deadline `ms` away: a tenth (at least 20 ms, at most 1 s) is kept for the answer. */
function beforeDeadline(ms: number): number {
  return ms - Math.min(1000, Math.max(20, ms / 10));
}
