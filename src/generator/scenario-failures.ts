// How the shop scenario's payments fail: as real failures differ, each kind has its gRPC status code,
// its messages, its own duration range (a declined card answers fast, a timeout late) and the HTTP status
// the front end answers with.

/** How a payment fails: its gRPC status code, messages, duration range (ms) and the root's HTTP status. */
export interface Failure {
  readonly grpcCode: number;
  readonly message: string;
  readonly exception: string;
  readonly minMs: number;
  readonly maxMs: number;
  readonly httpStatus: number;
}

export const FAILURES: readonly Failure[] = [
  { grpcCode: 9, message: 'card declined', exception: 'PaymentDeclinedError', minMs: 5, maxMs: 40, httpStatus: 500 },
  {
    grpcCode: 4,
    message: 'deadline exceeded waiting for the card processor',
    exception: 'DeadlineExceededError',
    minMs: 800,
    maxMs: 1500,
    httpStatus: 504,
  },
  {
    grpcCode: 14,
    message: 'card processor unavailable: connection refused',
    exception: 'ServiceUnavailableError',
    minMs: 0.5,
    maxMs: 3,
    httpStatus: 503,
  },
  {
    grpcCode: 13,
    message: 'card processor error',
    exception: 'PaymentProcessorError',
    minMs: 50,
    maxMs: 300,
    httpStatus: 500,
  },
];

/** One of the failures, picked by `r` in [0, 1). */
export function pickFailure(r: number): Failure {
  return FAILURES[Math.min(FAILURES.length - 1, Math.floor(r * FAILURES.length))] as Failure;
}
