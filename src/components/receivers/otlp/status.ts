// How a consumer's outcome becomes a gRPC status, and a gRPC status an HTTP status, as Go's
// otlpreceiver does (internal/errors: GetStatusFromError, GetHTTPStatusCodeFromStatus).
import type { ConsumeResult } from '../../../contracts/consumer.ts';
import { TelegateError } from '../../../errors/catalogue.ts';
import { GrpcStatus, isRetryableGrpcStatus } from '../../../errors/grpc-status.ts';

/** A non-OK answer for the client. */
export interface ErrorStatus {
  readonly code: number;
  readonly message: string;
  readonly retryAfterMs?: number | undefined;
}

/**
 * The status for a refused consume. Retryable → UNAVAILABLE with the advised delay (sent as RetryInfo);
 * failure → the coded error's own status when it has a non-retryable one, else INTERNAL (Go: a
 * permanent error without a gRPC status is assumed server-side).
 */
export function statusOfRefusal(result: Exclude<ConsumeResult, { status: 'success' }>): ErrorStatus {
  const err = result.error;
  if (result.status === 'retryable') {
    const retryAfterMs = result.retryAfterMs ?? (err instanceof TelegateError ? err.retryAfterMs : undefined);
    return { code: GrpcStatus.UNAVAILABLE, message: err.message, retryAfterMs };
  }
  if (err instanceof TelegateError && err.spec.grpc !== GrpcStatus.OK && !isRetryableGrpcStatus(err.spec.grpc)) {
    return { code: err.spec.grpc, message: err.message };
  }
  return { code: GrpcStatus.INTERNAL, message: err.message };
}

/** Go's GetHTTPStatusCodeFromStatus. */
export function httpStatusOf(code: number): number {
  switch (code) {
    case GrpcStatus.OK:
      return 200;
    case GrpcStatus.CANCELLED:
    case GrpcStatus.DEADLINE_EXCEEDED:
    case GrpcStatus.ABORTED:
    case GrpcStatus.OUT_OF_RANGE:
    case GrpcStatus.UNAVAILABLE:
    case GrpcStatus.DATA_LOSS:
      return 503;
    case GrpcStatus.RESOURCE_EXHAUSTED:
      return 429;
    case GrpcStatus.INVALID_ARGUMENT:
      return 400;
    case GrpcStatus.UNAUTHENTICATED:
      return 401;
    case GrpcStatus.PERMISSION_DENIED:
      return 403;
    case GrpcStatus.UNIMPLEMENTED:
      return 404;
    default:
      return 500;
  }
}
