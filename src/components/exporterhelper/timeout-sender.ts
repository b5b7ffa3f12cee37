// The timeout of one send attempt (Go's timeout_sender, `timeout`, 0 = none). The push function gets
// the budget (the gRPC client sends it as grpc-timeout); a local timer guarantees the attempt ends.
import type { ConsumeResult } from '../../contracts/consumer.ts';
import type { Payload } from '../../contracts/payload.ts';
import { retryableResult } from './export-error.ts';

/** Sends one payload once; `timeoutMs` is the attempt's budget (0 = none). */
export type PushFn = (payload: Payload, timeoutMs: number) => Promise<ConsumeResult>;

/** Wraps `push` so that an attempt never outlives `timeoutMs`. */
export function withTimeout(push: PushFn, timeoutMs: number): (payload: Payload) => Promise<ConsumeResult> {
  if (timeoutMs <= 0) return (payload) => push(payload, 0);
  return (payload) => {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<ConsumeResult>((resolve) => {
      // The push normally ends itself at the deadline; this fires only if it does not, a little later.
      timer = setTimeout(() => {
        resolve(
          retryableResult(`the export did not finish within the timeout of ${timeoutMs} ms`, 'Deadline_Exceeded'),
        );
      }, timeoutMs + 50);
      timer.unref();
    });
    return Promise.race([push(payload, timeoutMs), expired]).finally(() => {
      clearTimeout(timer);
    });
  };
}
