// The `probabilistic_sampler` processor's config: the keys, defaults and validation messages of Go's
// processor/probabilisticsamplerprocessor (config.go, factory.go createDefaultConfig).
import Type, { type Static } from 'typebox';
import { MIN_SAMPLING_PROBABILITY, NUM_HEX_DIGITS } from './threshold.ts';

const UINT32_MAX = 0xffffffff;

/** The config schema. */
export const ProbabilisticSamplerConfigSchema = Type.Object(
  {
    sampling_percentage: Type.Number({
      default: 0,
      description:
        'Percentage of traces kept, read as a 32-bit float as Go does. 0 keeps none (except sampling.priority > 0); 100 or more keeps all. Negative values are refused.',
    }),
    hash_seed: Type.Integer({
      minimum: 0,
      maximum: UINT32_MAX,
      default: 0,
      description:
        'Seed of the FNV hash of the trace id in hash_seed mode. Every collector of a tier must use the same seed; tiers should use different ones. Setting it selects hash_seed mode when mode is unset.',
    }),
    // Optional rather than defaulting to '': Go's unset mode picks hash_seed (or proportional for logs
    // without trace ids), and listing '' among the allowed values would only confuse the hint.
    mode: Type.Optional(
      Type.Union([Type.Literal('hash_seed'), Type.Literal('proportional'), Type.Literal('equalizing')], {
        description:
          'Unset (the default) means hash_seed. hash_seed: the legacy FNV hash of the trace id with hash_seed. proportional: OTEP 235 consistent sampling that multiplies the arriving sampling probability (th in the tracestate) by sampling_percentage, using the trace id’s last 56 bits or the tracestate rv as randomness. equalizing: lowers arriving probabilities to sampling_percentage at most.',
      }),
    ),
    fail_closed: Type.Boolean({
      default: true,
      description:
        'Drop spans whose sampling information is missing or broken (no trace id, bad or inconsistent tracestate, rv/th present in hash_seed mode). false keeps them. sampling.priority still overrides.',
    }),
    sampling_precision: Type.Integer({
      default: 4,
      description:
        'Hex digits (1–14) of the threshold written as th in the tracestate of kept spans (more near 0 % and 100 %).',
    }),
    attribute_source: Type.Union([Type.Literal('traceID'), Type.Literal('record')], {
      default: 'traceID',
      description: 'Logs only, accepted for compatibility: telegate samples traces only so far.',
    }),
    from_attribute: Type.String({
      default: '',
      description: 'Logs only, accepted for compatibility: telegate samples traces only so far.',
    }),
    sampling_priority: Type.String({
      default: '',
      description: 'Logs only, accepted for compatibility: telegate samples traces only so far.',
    }),
  },
  { additionalProperties: false },
);

/** The validated config. */
export type ProbabilisticSamplerConfig = Static<typeof ProbabilisticSamplerConfigSchema>;

/** Go's Validate, with its messages: [relative path, message]. */
export function validateProbabilisticSamplerConfig(cfg: ProbabilisticSamplerConfig): [string, string][] {
  const problems: [string, string][] = [];
  const rate = percentageProblem(cfg.sampling_percentage);
  if (rate !== undefined) problems.push(['sampling_percentage', rate]);
  if (cfg.sampling_precision <= 0)
    problems.push(['sampling_precision', `invalid sampling precision: ${cfg.sampling_precision}`]);
  else if (cfg.sampling_precision > NUM_HEX_DIGITS)
    problems.push([
      'sampling_precision',
      `sampling precision is too great, should be <= 14: ${cfg.sampling_precision}`,
    ]);
  return problems;
}

function percentageProblem(percentage: number): string | undefined {
  // Go holds the percentage in a float32 and prints it with %f (6 decimals).
  const pct = Math.fround(percentage);
  if (!Number.isFinite(pct)) return `sampling rate is invalid: ${formatF(pct)}%`;
  const ratio = pct / 100;
  if (ratio < 0) return `sampling rate is negative: ${formatF(pct)}%`;
  if (ratio > 0 && ratio < MIN_SAMPLING_PROBABILITY) return `sampling rate is too small: ${formatG(pct)}%`;
  return undefined;
}

/** Go's %g of a float32: the shortest decimal that reads back as the same float32. */
function formatG(v: number): string {
  for (let digits = 1; digits < 9; digits++) {
    const s = v.toPrecision(digits);
    if (Math.fround(Number(s)) === v) return String(Number(s));
  }
  return String(v);
}

function formatF(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  return v.toFixed(6);
}
