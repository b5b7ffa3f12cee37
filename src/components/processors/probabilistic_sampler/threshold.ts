// OTEP 235 consistent-probability sampling arithmetic, as Go's pkg/sampling does it: a threshold and a
// randomness are 56-bit unsigned values (bigint here: exact above 2^53); an item is kept when
// threshold ≤ randomness. Thresholds travel as `th` (1–14 hex digits, trailing zeros dropped),
// randomness as `rv` (exactly 14 hex digits) in the `ot` entry of the W3C tracestate.

/** 2^56: the number of randomness values; as a threshold, "never sample". */
export const MAX_ADJUSTED_COUNT = 1n << 56n;
/** Hex digits of a 56-bit value, the limit of `sampling_precision`. */
export const NUM_HEX_DIGITS = 14;
/** The smallest probability a threshold can express (2^-56). */
export const MIN_SAMPLING_PROBABILITY = 2 ** -56;

/** Threshold 0: every item is sampled. */
export const ALWAYS_SAMPLE = 0n;
/** Threshold 2^56: no item is sampled (its `th` is empty). */
export const NEVER_SAMPLE = MAX_ADJUSTED_COUNT;
/** The randomness every threshold below "never" samples (Go's AllProbabilitiesRandomness). */
export const ALL_PROBABILITIES_RANDOMNESS = MAX_ADJUSTED_COUNT - 1n;

const HEX = /^[0-9a-fA-F]+$/;

/** A parse failure, worded as Go's errors so that log lines match. */
export class SamplingValueError extends Error {}

/** Parses a `th` value (Go's TValueToThreshold): 1–14 hex digits, trailing zeros implied. */
export function tValueToThreshold(s: string): bigint {
  if (s.length > NUM_HEX_DIGITS) throw new SamplingValueError('t-value exceeds 14 hex digits');
  if (s.length === 0) throw new SamplingValueError('t-value is empty');
  if (!HEX.test(s)) throw new SamplingValueError(`strconv.ParseUint: parsing "${s}": invalid syntax`);
  return BigInt(`0x${s}`) << BigInt(4 * (NUM_HEX_DIGITS - s.length));
}

/** Parses an `rv` value (Go's RValueToRandomness): exactly 14 hex digits. */
export function rValueToRandomness(s: string): bigint {
  if (s.length !== NUM_HEX_DIGITS) throw new SamplingValueError('r-value must have 14 hex digits');
  if (!HEX.test(s)) throw new SamplingValueError(`strconv.ParseUint: parsing "${s}": invalid syntax`);
  return BigInt(`0x${s}`);
}

/** A 56-bit value as 14 lower-case hex digits (Go's Randomness.RValue); '' when out of range. */
export function rValueOf(randomness: bigint): string {
  if (randomness < 0n || randomness >= MAX_ADJUSTED_COUNT) return '';
  return randomness.toString(16).padStart(NUM_HEX_DIGITS, '0');
}

/** A threshold's `th` encoding (Go's Threshold.TValue): "0" for always, "" for never. */
export function tValueOf(threshold: bigint): string {
  if (threshold === ALWAYS_SAMPLE) return '0';
  if (threshold >= NEVER_SAMPLE) return '';
  return rValueOf(threshold).replace(/0+$/, '');
}

/** The sampling probability of a threshold, in [2^-56, 1] (Go's Threshold.Probability). */
export function thresholdProbability(threshold: bigint): number {
  return Number(MAX_ADJUSTED_COUNT - threshold) / 2 ** 56;
}

/** The binary exponent of x > 0 as Go's math.Frexp returns it: x = frac · 2^exp, frac in [0.5, 1). */
function frexpExponent(x: number): number {
  let e = Math.floor(Math.log2(x)) + 1;
  // log2 may be off by one near powers of two; settle it exactly.
  while (2 ** (e - 1) > x) e--;
  while (2 ** e <= x) e++;
  return e;
}

/**
 * Go's ProbabilityToThresholdWithPrecision: the threshold for `fraction`, rounded to `precision` hex
 * digits (0 means 14), with a digit added per leading `0` or `f` so that probabilities near 0 or 1
 * keep their relative precision. Returns undefined when `fraction` is outside [2^-56, 1].
 */
export function probabilityToThreshold(fraction: number, precision: number): bigint | undefined {
  let digits = precision === 0 ? NUM_HEX_DIGITS : precision;
  if (!(fraction >= MIN_SAMPLING_PROBABILITY && fraction <= 1)) return undefined;
  if (fraction === 1) return ALWAYS_SAMPLE;
  const expF = frexpExponent(fraction);
  const expR = frexpExponent(1 - fraction);
  // Go's integer division truncates toward zero; both exponents are ≤ 0 here.
  digits = Math.min(NUM_HEX_DIGITS, Math.max(digits + Math.trunc(expF / -4), digits + Math.trunc(expR / -4)));
  // fraction · 2^56 is exact (a power-of-two scale); Go's math.Round rounds halves away from zero.
  let threshold = MAX_ADJUSTED_COUNT - BigInt(Math.round(fraction * 2 ** 56));
  const shift = BigInt(4 * (NUM_HEX_DIGITS - digits));
  if (shift !== 0n) threshold = ((threshold + (1n << (shift - 1n))) >> shift) << shift;
  return threshold;
}

/** The 56 randomness bits of a 16-byte trace id (W3C Trace Context level 2: its last 7 bytes). */
export function traceIdRandomness(buf: Buffer, traceIdStart: number): bigint {
  let r = 0n;
  for (let i = traceIdStart + 9; i < traceIdStart + 16; i++) r = (r << 8n) | BigInt(buf[i] as number);
  return r;
}
