// Go's otlpexporter processError: which gRPC answers are retried (OTLP spec "Failures": the retryable
// codes, RESOURCE_EXHAUSTED only with RetryInfo), which are permanent, and the server's delay.
import type { ConsumeResult } from '../../../contracts/consumer.ts';
import { GrpcStatus, grpcStatusName, isRetryableGrpcStatus } from '../../../errors/grpc-status.ts';
import type { CallResult } from '../../../transport/grpc-client.ts';
import { permanentResult, retryableResult } from '../../exporterhelper/export-error.ts';
import type { AuthIdentity } from '../../authhelper/client-auth.ts';

// grpc-go's codes.Code.String(), which Go's obsreport puts in the `error.type` label.
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

/** Maps a failed call to a retryable or permanent outcome. Never called for OK. */
export function callFailure(result: CallResult, endpoint: string, auth?: AuthIdentity): ConsumeResult {
  const { code, retryAfterMs } = result;
  const errorType = goCodeName(code);
  const described = `${grpcStatusName(code)}: ${result.message === '' ? 'no message' : result.message}`;
  if (code === GrpcStatus.UNAUTHENTICATED || code === GrpcStatus.PERMISSION_DENIED) {
    return permanentResult(refusedMessage(described, endpoint, auth), errorType, 'TG_EXPORT_AUTH_REFUSED');
  }
  const retryable =
    isRetryableGrpcStatus(code) || (code === GrpcStatus.RESOURCE_EXHAUSTED && retryAfterMs !== undefined);
  if (!retryable) return permanentResult(`${endpoint} refused the data permanently (${described})`, errorType);
  // Go's throttleRetry: only a non-zero delay changes the wait.
  return retryableResult(
    `sending to ${endpoint} failed (${described})`,
    errorType,
    retryAfterMs !== undefined && retryAfterMs > 0 ? retryAfterMs : undefined,
  );
}

// Names the authenticator and the user it claims (never a secret), so an operator knows which
// credentials the gateway refused.
function refusedMessage(described: string, endpoint: string, auth: AuthIdentity | undefined): string {
  if (auth === undefined) {
    return `the destination refused the credentials (${described}); check headers / auth.authenticator of this exporter`;
  }
  const who = auth.identity === '' ? '' : ` for user "${auth.identity}"`;
  return `the destination refused the credentials of authenticator "${auth.authenticator}"${who}: the gateway at ${endpoint} answered ${described}; check that these credentials are accepted there`;
}
