// The `memory_limiter` processor's config, with the keys, defaults and messages of Go's
// memorylimiterprocessor (internal/memorylimiter/config.go). Go's default config is invalid on
// purpose (check_interval 0, no limit): a user must choose the limits.
import Type, { type Static } from 'typebox';
import { Duration } from '../../../config/blocks/primitives.ts';
import { machineMemoryBytes } from './machine-memory.ts';

const MIB = 1024 * 1024;

/** The config schema. */
export const MemoryLimiterConfigSchema = Type.Object(
  {
    check_interval: Duration({
      default: '0s',
      description: 'Time between memory measurements (required, > 0; 1s is recommended).',
    }),
    limit_mib: Type.Integer({
      minimum: 0,
      default: 0,
      description:
        'Hard limit: the memory (MiB) the process should not exceed. Data is refused above limit_mib − spike_limit_mib.',
    }),
    spike_limit_mib: Type.Integer({
      minimum: 0,
      default: 0,
      description:
        'Largest expected growth between two measurements (MiB); must be below limit_mib. 0 means 20 % of limit_mib.',
    }),
    limit_percentage: Type.Integer({
      minimum: 0,
      default: 0,
      description:
        'The hard limit as a percentage of the machine memory (the cgroup limit when there is one); used when limit_mib is 0.',
    }),
    spike_limit_percentage: Type.Integer({
      minimum: 0,
      default: 0,
      description:
        'The spike limit as a percentage of the machine memory, with limit_percentage; 0 means 20 % of the limit.',
    }),
    min_gc_interval_when_soft_limited: Duration({
      default: '10s',
      description:
        'Minimum time between forced garbage collections above the soft limit; forcing needs node --expose-gc.',
    }),
    min_gc_interval_when_hard_limited: Duration({
      default: '0s',
      description:
        'Minimum time between forced garbage collections above the hard limit; forcing needs node --expose-gc.',
    }),
  },
  { additionalProperties: false },
);

/** The validated config (durations in ms). */
export type MemoryLimiterConfig = Static<typeof MemoryLimiterConfigSchema>;

/** The limits in bytes the checker uses. */
export interface MemoryLimits {
  readonly hardBytes: number;
  readonly spikeBytes: number;
  /** hard − spike: data is refused at or above it. */
  readonly softBytes: number;
}

/** The limits of a valid config on a machine with `totalBytes` of memory (Go: fixed or percentage checker). */
export function memoryLimitsOf(cfg: MemoryLimiterConfig, totalBytes: number): MemoryLimits {
  const byMiB = cfg.limit_mib > 0;
  const hardBytes = byMiB ? cfg.limit_mib * MIB : Math.floor((totalBytes * cfg.limit_percentage) / 100);
  const spikeSet = byMiB ? cfg.spike_limit_mib * MIB : Math.floor((totalBytes * cfg.spike_limit_percentage) / 100);
  const spikeBytes = spikeSet > 0 ? spikeSet : Math.floor(hardBytes / 5);
  return { hardBytes, spikeBytes, softBytes: hardBytes - spikeBytes };
}

type Problem = [path: string, message: string];

function limitProblems(cfg: MemoryLimiterConfig, totalBytes: number): Problem[] {
  if (cfg.limit_mib === 0 && cfg.limit_percentage === 0)
    return [['limit_mib', "'limit_mib' or 'limit_percentage' must be greater than zero"]];
  if (cfg.limit_mib > 0) {
    const totalMiB = Math.floor(totalBytes / MIB);
    if (cfg.limit_mib > totalMiB)
      return [['limit_mib', `'limit_mib' (${cfg.limit_mib}) is above the machine's memory (${totalMiB} MiB)`]];
    if (cfg.spike_limit_mib >= cfg.limit_mib)
      return [['spike_limit_mib', "'spike_limit_mib' must be smaller than 'limit_mib'"]];
    return [];
  }
  if (cfg.limit_percentage > 100 || cfg.spike_limit_percentage > 100)
    return [
      [
        'limit_percentage',
        "'limit_percentage' and 'spike_limit_percentage' must be greater than zero and less than or equal to hundred",
      ],
    ];
  if (cfg.spike_limit_percentage >= cfg.limit_percentage)
    return [['spike_limit_percentage', "'spike_limit_percentage' must be smaller than 'limit_percentage'"]];
  return [];
}

/** Cross-field rules, with Go's messages: [relative path, message]. `totalBytes` is the machine's memory. */
export function validateMemoryLimiterConfig(config: unknown, totalBytes = machineMemoryBytes()): Problem[] {
  const cfg = config as MemoryLimiterConfig;
  const problems: Problem[] = [];
  if (cfg.check_interval <= 0) problems.push(['check_interval', "'check_interval' must be greater than zero"]);
  if (cfg.min_gc_interval_when_soft_limited < cfg.min_gc_interval_when_hard_limited)
    problems.push([
      'min_gc_interval_when_soft_limited',
      "'min_gc_interval_when_soft_limited' should be larger than 'min_gc_interval_when_hard_limited'",
    ]);
  problems.push(...limitProblems(cfg, totalBytes));
  return problems;
}
