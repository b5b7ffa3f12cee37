// Export failures as values: a TelegateError that also carries Go's `error.type` label (the gRPC code
// name, `Deadline_Exceeded`, `Shutdown`, `_OTHER`) and whether retrying could help.
import type { ConsumeResult } from '../../contracts/consumer.ts';
import { TelegateError, type ErrorCode } from '../../errors/catalogue.ts';

/** A failed export attempt. `permanent` failures are never retried (Go's consumererror.Permanent). */
export class ExportError extends TelegateError {
  /** Go's obsreport `error.type` attribute value. */
  readonly errorType: string;
  readonly permanent: boolean;

  constructor(
    code: ErrorCode,
    message: string,
    options: { errorType: string; permanent: boolean; retryAfterMs?: number; cause?: unknown },
  ) {
    super(code, message, options);
    this.name = 'ExportError';
    this.errorType = options.errorType;
    this.permanent = options.permanent;
  }
}

/** A retryable outcome; `retryAfterMs` is the destination's advice (RetryInfo), if any. */
export function retryableResult(
  message: string,
  errorType: string,
  retryAfterMs?: number,
  code: ErrorCode = 'TG_EXPORT_FAILED',
): ConsumeResult {
  const options =
    retryAfterMs === undefined ? { errorType, permanent: false } : { errorType, permanent: false, retryAfterMs };
  const error = new ExportError(code, message, options);
  return retryAfterMs === undefined ? { status: 'retryable', error } : { status: 'retryable', error, retryAfterMs };
}

/** A permanent outcome: the data is dropped, never retried. */
export function permanentResult(
  message: string,
  errorType: string,
  code: ErrorCode = 'TG_EXPORT_PERMANENT',
): ConsumeResult {
  return { status: 'failure', error: new ExportError(code, message, { errorType, permanent: true }) };
}

/** The `error.type` label of any failed result. */
export function errorTypeOf(result: ConsumeResult): string {
  if (result.status === 'success') return '';
  return result.error instanceof ExportError ? result.error.errorType : '_OTHER';
}

// grpc-go's codes.Code.String(), which Go's obsreport puts in the `error.type` label
// (an OTLP/HTTP answer is labelled with the code its status stands for).
const GO_CODE_NAMES = [
  'OK',
  'Canceled',
  'Unknown',
  'InvalidArgument',
  'DeadlineExceeded',
  'NotFound',
  'AlreadyExists',
  'PermissionDenied',
  'ResourceExhausted',
  'FailedPrecondition',
  'Aborted',
  'OutOfRange',
  'Unimplemented',
  'Internal',
  'Unavailable',
  'DataLoss',
  'Unauthenticated',
];

/** The `error.type` label for a gRPC status. */
export function goCodeName(code: number): string {
  return GO_CODE_NAMES[code] ?? `Code(${code})`;
}
