// How a consumer's outcome becomes the status the client gets, as Go's otlpreceiver does
// (internal/errors: GetStatusFromError); errors/grpc-http-status.ts gives its HTTP status.
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
