// The server authenticator's self-metrics, bound once at create: failures by reason. Labels are the
// authenticator id and a reason from a fixed set — never a user name, password or header.
import type { Counter, Telemetry } from '../../../contracts/component.ts';

/** Why a request was refused. */
export type FailureReason = 'missing' | 'malformed' | 'invalid_credentials' | 'throttled';

const REASONS: readonly FailureReason[] = ['missing', 'malformed', 'invalid_credentials', 'throttled'];

/** The metric name (exposed as `telegate_auth_failures_total`). */
export const AUTH_FAILURES = 'telegate_auth_failures';

/** One counter per reason. */
export type FailureCounters = Readonly<Record<FailureReason, Counter>>;

/** Binds the failure counters of `authenticator`. */
export function bindFailureCounters(telemetry: Telemetry, authenticator: string): FailureCounters {
  const out = {} as Record<FailureReason, Counter>;
  for (const reason of REASONS)
    out[reason] = telemetry.counter(AUTH_FAILURES, 'Requests refused by an authenticator, by reason.', {
      authenticator,
      reason,
    });
  return out;
}
