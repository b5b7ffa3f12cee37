// The sampling modes as Go's makeSampler builds them (sampler_mode.go): how the configured percentage
// becomes a threshold, which randomness each mode reads, and what it decides. Built once per
// processor; the per-span logic is in span-decision.ts.
import { NUM_HASH_BUCKETS } from './fnv-hash.ts';
import { MIN_SAMPLING_PROBABILITY, NEVER_SAMPLE, probabilityToThreshold, thresholdProbability } from './threshold.ts';

/** The configured mode; '' is unset (Go then picks `hash_seed`). */
export type SamplerModeSetting = '' | 'hash_seed' | 'equalizing' | 'proportional';

/** What a sampler needs from the config. */
export interface SamplerSettings {
  readonly sampling_percentage: number;
  readonly hash_seed: number;
  /** Unset ('' or absent): hash_seed, as Go. */
  readonly mode?: SamplerModeSetting | undefined;
  readonly sampling_precision: number;
}

/** A built sampler: one of Go's four samplers. */
export type Sampler =
  | { readonly kind: 'never' }
  /** `scaledRate` buckets of 2^14 are kept; `threshold` is the same rate as a 56-bit threshold. */
  | { readonly kind: 'hash_seed'; readonly seed: number; readonly scaledRate: number; readonly threshold: bigint }
  | { readonly kind: 'equalizing'; readonly threshold: bigint }
  | { readonly kind: 'proportional'; readonly ratio: number; readonly precision: number };

/** Go's default when `mode` is unset: the legacy hash_seed mode (for traces). */
export const DEFAULT_MODE = 'hash_seed';

// Go declares SamplingPercentage a float32 and scales it by the untyped constant 2^14/100 in float32.
const PERCENTAGE_SCALE_FACTOR = Math.fround(NUM_HASH_BUCKETS / 100);

/** Builds the sampler (Go's makeSampler, traces): never fails, out-of-range rates are clamped. */
export function makeSampler(cfg: SamplerSettings): Sampler {
  const pct = Math.min(Math.fround(cfg.sampling_percentage), 100);
  const mode = cfg.mode === undefined || cfg.mode === '' ? DEFAULT_MODE : cfg.mode;
  if (pct === 0) return { kind: 'never' };
  const ratio = Math.max(pct / 100, MIN_SAMPLING_PROBABILITY);
  switch (mode) {
    case 'equalizing':
      return { kind: 'equalizing', threshold: probabilityToThreshold(ratio, cfg.sampling_precision) ?? 0n };
    case 'proportional':
      return { kind: 'proportional', ratio, precision: cfg.sampling_precision };
    case 'hash_seed': {
      // As Go: a float32 product truncated toward zero, so 10 % keeps 1638 of 16384 buckets.
      const scaledRate = Math.trunc(Math.fround(pct * PERCENTAGE_SCALE_FACTOR));
      if (scaledRate === 0) return { kind: 'never' };
      const threshold = BigInt(NUM_HASH_BUCKETS - scaledRate) << 42n;
      return { kind: 'hash_seed', seed: cfg.hash_seed >>> 0, scaledRate, threshold };
    }
  }
}

/**
 * The threshold a consistent sampler applies to an item that arrived with threshold `arriving`
 * (undefined: none). Equalizing raises to its fixed threshold; proportional multiplies probabilities.
 */
export function decideThreshold(sampler: Sampler, arriving: bigint | undefined): bigint {
  switch (sampler.kind) {
    case 'never':
      return NEVER_SAMPLE;
    case 'hash_seed':
      return sampler.threshold;
    case 'equalizing':
      return arriving !== undefined && sampler.threshold < arriving ? arriving : sampler.threshold;
    case 'proportional': {
      const incoming = arriving === undefined ? 1 : thresholdProbability(arriving);
      // A product below 2^-56 is not an error: the item is simply not sampled.
      return probabilityToThreshold(incoming * sampler.ratio, sampler.precision) ?? NEVER_SAMPLE;
    }
  }
}

/** Whether `threshold` samples `randomness` (Go's Threshold.ShouldSample: T ≤ R). */
export function shouldSample(threshold: bigint, randomness: bigint): boolean {
  return threshold <= randomness;
}
