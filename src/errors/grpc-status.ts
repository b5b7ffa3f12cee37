// gRPC status codes (https://grpc.github.io/grpc/core/md_doc_statuscodes.html) as a const table.

export const GrpcStatus = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;

export type GrpcStatusCode = (typeof GrpcStatus)[keyof typeof GrpcStatus];

const NAMES = new Map<number, string>(Object.entries(GrpcStatus).map(([k, v]) => [v, k]));

/** `UNAVAILABLE` for 14; `CODE_99` for unknown numbers. */
export function grpcStatusName(code: number): string {
  return NAMES.get(code) ?? `CODE_${code}`;
}

/**
 * Whether an OTLP exporter may retry after this status, per the OTLP spec's
 * "Failures" table (https://opentelemetry.io/docs/specs/otlp/#failures).
 * RESOURCE_EXHAUSTED is retryable only when the server sent RetryInfo; the caller decides that.
 */
export function isRetryableGrpcStatus(code: number): boolean {
  return (
    code === GrpcStatus.CANCELLED ||
    code === GrpcStatus.DEADLINE_EXCEEDED ||
    code === GrpcStatus.ABORTED ||
    code === GrpcStatus.OUT_OF_RANGE ||
    code === GrpcStatus.UNAVAILABLE ||
    code === GrpcStatus.DATA_LOSS
  );
}
