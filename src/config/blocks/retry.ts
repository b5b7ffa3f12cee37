// The `retry_on_failure` block, as Go's configretry.BackOffConfig: exponential backoff with jitter,
// giving up after max_elapsed_time (0 = never). Used by src/components/exporterhelper/retry-sender.ts.
import Type, { type Static } from 'typebox';
import { Duration } from './primitives.ts';

/** The `retry_on_failure` block of an exporter. */
export const RetryBlock = Type.Object(
  {
    enabled: Type.Boolean({
      default: true,
      description: 'Retry failed sends that the destination says may succeed later.',
    }),
    initial_interval: Duration({ default: '5s', description: 'Wait after the first failure before retrying.' }),
    randomization_factor: Type.Number({
      default: 0.5,
      description: 'Jitter: each wait is the interval × (1 ± randomization_factor); between 0 and 1.',
    }),
    multiplier: Type.Number({ default: 1.5, description: 'Each wait grows by this factor, up to max_interval.' }),
    max_interval: Duration({ default: '30s', description: 'Upper bound on the wait between two retries.' }),
    max_elapsed_time: Duration({
      default: '300s',
      description: 'Give up (and drop the data) after trying for this long; 0 retries forever.',
    }),
  },
  {
    default: {},
    additionalProperties: false,
    description: 'Retry with exponential backoff for retryable export failures.',
  },
);

/** The parsed `retry_on_failure` block (durations in milliseconds). */
export type RetryConfig = Static<typeof RetryBlock>;

/** Go's configretry.NewDefaultBackOffConfig. */
export function defaultRetryConfig(): RetryConfig {
  return {
    enabled: true,
    initial_interval: 5000,
    randomization_factor: 0.5,
    multiplier: 1.5,
    max_interval: 30_000,
    max_elapsed_time: 300_000,
  };
}

/** Go's BackOffConfig.Validate, as [path below `retry_on_failure`, message]. */
export function validateRetry(cfg: RetryConfig): [string, string][] {
  const problems: [string, string][] = [];
  if (cfg.max_elapsed_time > 0) {
    if (cfg.max_elapsed_time < cfg.initial_interval)
      problems.push(['max_elapsed_time', "'max_elapsed_time' must not be less than 'initial_interval'"]);
    if (cfg.max_elapsed_time < cfg.max_interval)
      problems.push(['max_elapsed_time', "'max_elapsed_time' must not be less than 'max_interval'"]);
  }
  for (const key of [
    'initial_interval',
    'max_elapsed_time',
    'max_interval',
    'multiplier',
    'randomization_factor',
  ] as const) {
    if (cfg[key] < 0) problems.push([key, `${key} value must be greater than or equal to 0`]);
  }
  if (cfg.randomization_factor > 1)
    problems.push(['randomization_factor', 'randomization_factor value must be less than or equal to 1']);
  return problems;
}
