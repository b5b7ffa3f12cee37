// What an edge operator needs when the gateway refuses its credentials: one line when the answer
// changes (refused, throttled, accepted again) naming the user and the gateway's reason — not one
// per batch, and never the password (the reason is the gateway's message, secrets already cut out).
// Shared by the exporters: otlphttp passes the gRPC code its HTTP status stands for.
import type { Logger } from '../../contracts/component.ts';
import { GrpcStatus, grpcStatusName } from '../../errors/grpc-status.ts';
import type { AuthIdentity } from './client-auth.ts';

type State = 'unknown' | 'accepted' | 'refused' | 'denied' | 'throttled';

/** Logs the gateway's verdict on this exporter's credentials once per change. */
export class AuthStateLog {
  private readonly logger: Logger;
  private readonly endpoint: string;
  private state: State = 'unknown';

  constructor(logger: Logger, endpoint: string) {
    this.logger = logger;
    this.endpoint = endpoint;
  }

  /** Records one call's answer; `message` must already be redacted. */
  observe(auth: AuthIdentity | undefined, code: number, message: string, retryAfterMs?: number): void {
    if (auth === undefined) return;
    const next = stateOf(code, retryAfterMs);
    if (next === undefined || next === this.state) return;
    const previous = this.state;
    this.state = next;
    const who = auth.identity === '' ? `authenticator "${auth.authenticator}"` : `user ${auth.identity}`;
    const fields = { authenticator: auth.authenticator, endpoint: this.endpoint, status: grpcStatusName(code) };
    if (next === 'accepted') {
      if (previous !== 'unknown') this.logger.info(`the gateway accepts ${who} again`, fields);
      return;
    }
    const reason = message === '' ? grpcStatusName(code) : message;
    const wait = retryAfterMs === undefined ? '' : `; waiting ${String(Math.ceil(retryAfterMs / 1000))}s as it asked`;
    const verb = next === 'throttled' ? 'throttled' : 'refused';
    this.logger.warn(`the gateway ${verb} ${who}: ${reason}${wait}`, fields);
  }
}

function stateOf(code: number, retryAfterMs: number | undefined): State | undefined {
  if (code === GrpcStatus.OK) return 'accepted';
  if (code === GrpcStatus.UNAUTHENTICATED) return 'refused';
  if (code === GrpcStatus.PERMISSION_DENIED) return 'denied';
  // A throttled login (basicauth) or a busy gateway: RESOURCE_EXHAUSTED with RetryInfo.
  if (code === GrpcStatus.RESOURCE_EXHAUSTED && retryAfterMs !== undefined) return 'throttled';
  return undefined;
}
