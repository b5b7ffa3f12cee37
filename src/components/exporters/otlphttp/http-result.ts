// Go's otlphttp export error handling: which HTTP answers are retried (OTLP spec "OTLP/HTTP Response":
// 429, 502, 503 and 504 are retryable, every other failure is permanent), the server's Retry-After
// (delay-seconds or an HTTP-date, RFC 9110 §10.2.3), and the google.rpc.Status the body carries.
import type { IncomingHttpHeaders } from 'node:http';
import type { ConsumeResult } from '../../../contracts/consumer.ts';
import { grpcStatusOfOtlpHttp } from '../../../errors/grpc-http-status.ts';
import { GrpcStatus } from '../../../errors/grpc-status.ts';
import { decodeStatusDetails } from '../../../transport/grpc-status-details.ts';
import type { HttpAnswer } from '../../../transport/http-client.ts';
import { refusedCredentialsMessage, type AuthIdentity } from '../../authhelper/client-auth.ts';
import { goCodeName, permanentResult, retryableResult } from '../../exporterhelper/export-error.ts';

const RETRYABLE = new Set([429, 502, 503, 504]);
// Go honours Retry-After on the two throttling answers of the spec.
const THROTTLING = new Set([429, 503]);

/** The gRPC code an HTTP status stands for (OK for 2xx, UNKNOWN when it has none). */
export function grpcCodeOfHttp(status: number): number {
  if (status >= 200 && status <= 299) return GrpcStatus.OK;
  return grpcStatusOfOtlpHttp(status) ?? GrpcStatus.UNKNOWN;
}

/** The server's delay in ms from a throttling answer's Retry-After; undefined when absent or unreadable. */
export function retryAfterMs(
  status: number,
  headers: IncomingHttpHeaders,
  now: number = Date.now(),
): number | undefined {
  const value = headers['retry-after']?.trim();
  if (!THROTTLING.has(status) || value === undefined || value === '') return undefined;
  // Go parses the seconds with Atoi, so a negative number is read too (and means no wait).
  if (/^-?\d+$/.test(value)) return Math.max(0, Number(value) * 1000);
  const date = Date.parse(value);
  // A date already past asks for no wait beyond the normal backoff.
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The message of the google.rpc.Status an error body holds (protobuf or JSON), or '' when none. */
export function statusMessage(answer: HttpAnswer): string {
  if (answer.body.length === 0) return '';
  const type = answer.headers['content-type'] ?? '';
  try {
    if (type.startsWith('application/json')) {
      const parsed = JSON.parse(answer.body.toString('utf8')) as { message?: unknown };
      return typeof parsed.message === 'string' ? parsed.message : '';
    }
    return decodeStatusDetails(answer.body).message;
  } catch {
    // OTLP says the body MUST be a Status; a proxy's HTML page is not one, and Go reports no message then.
    return '';
  }
}

/** Maps a non-2xx answer to a retryable or permanent outcome; `said` is the (redacted) status message. */
export function answerFailure(answer: HttpAnswer, url: string, said: string, auth?: AuthIdentity): ConsumeResult {
  const { status } = answer;
  const errorType = goCodeName(grpcCodeOfHttp(status));
  const described = `request to ${url} responded with HTTP Status Code ${String(status)}${said === '' ? '' : `, Message=${said}`}`;
  if (status === 401 || status === 403) {
    return permanentResult(refusedCredentialsMessage(described, auth), errorType, 'TG_EXPORT_AUTH_REFUSED');
  }
  if (!RETRYABLE.has(status)) return permanentResult(`error exporting items, ${described}`, errorType);
  return retryableResult(
    `error exporting items, ${described}`,
    errorType,
    positive(retryAfterMs(status, answer.headers)),
  );
}

// Go's throttleRetry: only a non-zero delay changes the wait.
function positive(ms: number | undefined): number | undefined {
  return ms !== undefined && ms > 0 ? ms : undefined;
}
