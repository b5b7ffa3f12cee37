// The server authenticator's self-metrics, bound once at create: failures by reason, hash checks run,
// blocks started, and the sizes of its bounded maps. Labels are the authenticator id and values from
// fixed sets — never a user name, client address, password or header.
import type { Counter, Telemetry } from '../../../contracts/component.ts';
import type { ThrottleScope } from './attempt-throttle.ts';

/**
 * Why a request was refused: `repeat` is a credential that already failed (answered from the negative
 * cache, no hash check); `busy` means the process-wide bound on hash work was reached.
 */
export type FailureReason =
  'missing' | 'malformed' | 'unknown_user' | 'wrong_password' | 'repeat' | 'throttled' | 'busy';

const REASONS: readonly FailureReason[] = [
  'missing',
  'malformed',
  'unknown_user',
  'wrong_password',
  'repeat',
  'throttled',
  'busy',
];

/** The metric names (exposed with `_total` for counters). */
export const AUTH_FAILURES = 'telegate_auth_failures';
export const AUTH_VERIFICATIONS = 'telegate_auth_verifications';
export const AUTH_BLOCKS = 'telegate_auth_blocks';
export const AUTH_ENTRIES = 'telegate_auth_entries';

/** The counters of one server authenticator. */
export interface AuthMetrics {
  readonly failures: Readonly<Record<FailureReason, Counter>>;
  /** Password-hash checks actually run (cache misses that got a slot). */
  readonly verifications: Counter;
  readonly blocks: Readonly<Record<ThrottleScope, Counter>>;
}

/** What the entry gauges read at scrape time. */
export interface EntryReaders {
  readonly success: () => number;
  readonly failure: () => number;
  readonly throttle: () => number;
}

/** Binds the metrics of `authenticator`. */
export function bindAuthMetrics(telemetry: Telemetry, authenticator: string, entries: EntryReaders): AuthMetrics {
  const failures = {} as Record<FailureReason, Counter>;
  for (const reason of REASONS)
    failures[reason] = telemetry.counter(AUTH_FAILURES, 'Requests refused by an authenticator, by reason.', {
      authenticator,
      reason,
    });
  const blockHelp =
    'Blocks started by the basicauth throttle, by scope (user: one user from one client; client: all users).';
  for (const [cache, read] of Object.entries(entries) as [string, () => number][])
    telemetry.observe(
      AUTH_ENTRIES,
      'Entries held by the basicauth caches (success, failure) and throttle records.',
      { authenticator, cache },
      read,
    );
  return {
    failures,
    verifications: telemetry.counter(AUTH_VERIFICATIONS, 'Password-hash checks run by an authenticator.', {
      authenticator,
    }),
    blocks: {
      user: telemetry.counter(AUTH_BLOCKS, blockHelp, { authenticator, scope: 'user' }),
      client: telemetry.counter(AUTH_BLOCKS, blockHelp, { authenticator, scope: 'client' }),
    },
  };
}
