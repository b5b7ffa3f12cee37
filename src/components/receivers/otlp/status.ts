// How a consumer's outcome becomes the status the client gets, as Go's otlpreceiver does
// (internal/errors: GetStatusFromError); errors/grpc-http-status.ts gives its HTTP status.
import type { ConsumeResult } from '../../../contracts/consumer.ts';
import { ERRORS, TelegateError, type ErrorCode } from '../../../errors/catalogue.ts';
import { httpStatusOfGrpc } from '../../../errors/grpc-http-status.ts';
import { GrpcStatus, isRetryableGrpcStatus } from '../../../errors/grpc-status.ts';

/** A non-OK answer for the client. */
export interface ErrorStatus {
  /** The gRPC status code. */
  readonly code: number;
  /** The status an OTLP/HTTP client gets. */
  readonly httpStatus: number;
  readonly message: string;
  readonly retryAfterMs?: number | undefined;
}

// Go: any error that is not permanent is back-pressure, answered UNAVAILABLE so that clients retry.
const BUSY = ERRORS.TG_PIPELINE_BUSY.grpc;
// Go: a permanent error without a gRPC status of its own is assumed to be the server's fault.
const INTERNAL = ERRORS.TG_INTERNAL.grpc;

/**
 * The status for a refused consume. Retryable → back-pressure with the advised delay (sent as
 * RetryInfo); failure → the coded error's own gRPC status when it has a non-retryable one, else
 * INTERNAL. The HTTP status is the downstream gRPC code's (errors/grpc-http-status.ts).
 */
export function statusOfRefusal(result: Exclude<ConsumeResult, { status: 'success' }>): ErrorStatus {
  const err = result.error;
  if (result.status === 'retryable') {
    const retryAfterMs = result.retryAfterMs ?? (err instanceof TelegateError ? err.retryAfterMs : undefined);
    return { code: BUSY, httpStatus: httpStatusOfGrpc(BUSY), message: err.message, retryAfterMs };
  }
  const code =
    err instanceof TelegateError && err.spec.grpc !== GrpcStatus.OK && !isRetryableGrpcStatus(err.spec.grpc)
      ? err.spec.grpc
      : INTERNAL;
  return { code, httpStatus: httpStatusOfGrpc(code), message: err.message };
}

/** The answer to a request refused before the pipeline, with the statuses the catalogue gives `error`. */
export function statusOfError(error: ErrorCode, message: string): ErrorStatus {
  const spec = ERRORS[error];
  return { code: spec.grpc, httpStatus: spec.http, message };
}
