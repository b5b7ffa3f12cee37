// A wait that ends when the client leaves: the signal handed to it aborts on the stream's or request's
// 'close', and the listener is removed once the wait settles (a long-lived connection sees many waits).
import type { EventEmitter } from 'node:events';

/** Runs `wait` with a signal that aborts when `peer` emits 'close'. */
export async function untilClosed<T>(peer: EventEmitter, wait: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const gone = new AbortController();
  const onClose = (): void => {
    gone.abort();
  };
  peer.once('close', onClose);
  try {
    return await wait(gone.signal);
  } finally {
    peer.off('close', onClose);
  }
}
