// The only way components pass data: consume a payload, get an outcome value back (STYLE.md rule 5).
import type { Payload } from './payload.ts';
import type { Room } from './room.ts';

/** The outcome of handing data downstream. Errors on the data path are values, not exceptions. */
export type ConsumeResult =
  | { readonly status: 'success'; readonly rejectedItems?: number; readonly message?: string }
  | { readonly status: 'retryable'; readonly error: Error; readonly retryAfterMs?: number }
  | { readonly status: 'failure'; readonly error: Error };

/** Accepts payloads of one signal. */
export interface Consumer {
  consume(payload: Payload): Promise<ConsumeResult>;
  /** Set by consumers that can run out of room (DESIGN.md §4b); absent means "always room". */
  readonly room?: Room | undefined;
}

/** The shared success value: consumers return it to avoid allocating one per call. */
export const SUCCESS: ConsumeResult = Object.freeze({ status: 'success' });
