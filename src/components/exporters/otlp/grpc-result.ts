// Go's otlpexporter processError: which gRPC answers are retried (OTLP spec "Failures": the retryable
// codes, RESOURCE_EXHAUSTED only with RetryInfo), which are permanent, and the server's delay.
import type { ConsumeResult } from '../../../contracts/consumer.ts';
import { GrpcStatus, grpcStatusName, isRetryableGrpcStatus } from '../../../errors/grpc-status.ts';
import type { CallResult } from '../../../transport/grpc-client.ts';
import { goCodeName, permanentResult, retryableResult } from '../../exporterhelper/export-error.ts';
import { refusedCredentialsMessage, type AuthIdentity } from '../../authhelper/client-auth.ts';

/** Maps a failed call to a retryable or permanent outcome. Never called for OK. */
export function callFailure(result: CallResult, endpoint: string, auth?: AuthIdentity): ConsumeResult {
  const { code, retryAfterMs } = result;
  const errorType = goCodeName(code);
  const described = `${grpcStatusName(code)}: ${result.message === '' ? 'no message' : result.message}`;
  if (code === GrpcStatus.UNAUTHENTICATED || code === GrpcStatus.PERMISSION_DENIED) {
    return permanentResult(
      refusedCredentialsMessage(`the gateway at ${endpoint} answered ${described}`, auth),
      errorType,
      'TG_EXPORT_AUTH_REFUSED',
    );
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
