// One span's sampling decision, exactly as Go's commonShouldSampleLogic with the traces processor's
// randomness and priority functions: find the randomness (hashed trace id, `rv`, or the trace id's
// last 56 bits), check an arriving `th` against it, decide, let `sampling.priority` override, and
// record `th` (and `rv` in hash_seed mode) in the tracestate of a kept span.
import { fnvHash, hashRandomness } from './fnv-hash.ts';
import { decideThreshold, shouldSample, type Sampler } from './sampler.ts';
import { ALL_PROBABILITIES_RANDOMNESS, ALWAYS_SAMPLE, NEVER_SAMPLE, traceIdRandomness } from './threshold.ts';
import {
  clearThreshold,
  parseTraceState,
  serializeTraceState,
  setRandomness,
  updateThreshold,
  type W3CTraceState,
} from './tracestate.ts';

/** `sampling.priority` as Go reads it: defer to the sampler, force keep, or force drop. */
export const PRIORITY_DEFER = 0;
export const PRIORITY_MUST_SAMPLE = 1;
export const PRIORITY_DO_NOT_SAMPLE = 2;
export type Priority = typeof PRIORITY_DEFER | typeof PRIORITY_MUST_SAMPLE | typeof PRIORITY_DO_NOT_SAMPLE;

/** The `policy` label of Go's count_traces_sampled metric: where the randomness came from. */
export const POLICIES = [
  'missing_randomness',
  'trace_id_hash',
  'trace_id_w3c',
  'sampling_randomness',
  'sampling_priority',
] as const;
export type Policy = (typeof POLICIES)[number];

/** What the span carries that sampling reads. */
export interface SpanSamplingInput {
  /** The buffer holding the trace id, and where it starts; `traceIdStart` < 0: absent or all zeros. */
  readonly buf: Buffer;
  readonly traceIdStart: number;
  /** The raw tracestate ('' when absent). */
  readonly traceState: string;
  readonly priority: Priority;
}

/** The outcome for one span. */
export interface SpanDecision {
  readonly sampled: boolean;
  /** The kept span's new tracestate; undefined when it is unchanged (or the span is dropped). */
  readonly traceState: string | undefined;
  readonly policy: Policy;
  /** Why the sampler fell back to fail_closed / fail-open, in Go's words; undefined when it did not. */
  readonly error: string | undefined;
}

interface Randomness {
  readonly value: bigint;
  readonly policy: Policy;
  readonly missing: boolean;
}

const MISSING: Randomness = { value: ALL_PROBABILITIES_RANDOMNESS, policy: 'missing_randomness', missing: true };

interface Found {
  readonly rnd: Randomness;
  /** Go's sampling carrier: the parsed tracestate to update, or null when it must be left alone. */
  readonly carrier: W3CTraceState | null;
  readonly error: string | undefined;
}

/** Decides one span (the general path; fast-decision.ts covers the common case without tracestate). */
export function decideSpan(sampler: Sampler, failClosed: boolean, span: SpanSamplingInput): SpanDecision {
  const found = findRandomness(sampler, span);
  let rnd = found.rnd;
  const carrier = found.carrier;
  const error = found.error ?? checkConsistency(rnd, carrier);
  let threshold: bigint;
  if (error !== undefined) threshold = failClosed ? NEVER_SAMPLE : ALWAYS_SAMPLE;
  else threshold = decideThreshold(sampler, arrivingThreshold(carrier));
  if (span.priority !== PRIORITY_DEFER) {
    threshold = span.priority === PRIORITY_MUST_SAMPLE ? ALWAYS_SAMPLE : NEVER_SAMPLE;
    rnd = { value: rnd.value, policy: 'sampling_priority', missing: rnd.missing };
  }
  const sampled = shouldSample(threshold, rnd.value);
  let traceState: string | undefined;
  if (sampled && carrier !== null) {
    // Refused when it would raise the arriving probability: the tracestate keeps its `th` (Go logs it).
    updateThreshold(carrier.ot, threshold);
    const written = serializeTraceState(carrier);
    if (written !== span.traceState) traceState = written;
  }
  return { sampled, traceState, policy: rnd.policy, error };
}

function arrivingThreshold(carrier: W3CTraceState | null): bigint | undefined {
  return carrier !== null && carrier.ot.tValue !== '' ? carrier.ot.threshold : undefined;
}

/** Go's consistencyCheck: randomness must exist, and an arriving `th` must have sampled it. */
function checkConsistency(rnd: Randomness, carrier: W3CTraceState | null): string | undefined {
  if (rnd.missing) return 'missing randomness';
  if (carrier === null || carrier.ot.tValue === '') return undefined;
  if (shouldSample(carrier.ot.threshold, rnd.value)) return undefined;
  // Cleared as the spec recommends, in case the sampler fails open.
  clearThreshold(carrier.ot);
  return 'inconsistent arriving threshold: item should not have been sampled';
}

function findRandomness(sampler: Sampler, span: SpanSamplingInput): Found {
  const parsed = parseTraceState(span.traceState);
  const parseError = parsed.error?.message;
  if (sampler.kind === 'never') {
    // Go's neverSampler: a stand-in randomness (never used) and the carrier even after a parse error.
    const rnd: Randomness = { value: ALL_PROBABILITIES_RANDOMNESS, policy: 'sampling_priority', missing: false };
    return { rnd, carrier: parsed.state, error: parseError };
  }
  if (sampler.kind === 'hash_seed') return hashRandomnessOf(sampler.seed, span, parsed.state, parseError);
  if (parseError !== undefined) return { rnd: MISSING, carrier: null, error: parseError };
  const ot = parsed.state.ot;
  if (ot.rValue !== '')
    return {
      rnd: { value: ot.randomness, policy: 'sampling_randomness', missing: false },
      carrier: parsed.state,
      error: undefined,
    };
  if (span.traceIdStart < 0) return { rnd: MISSING, carrier: parsed.state, error: undefined };
  const value = traceIdRandomness(span.buf, span.traceIdStart);
  return { rnd: { value, policy: 'trace_id_w3c', missing: false }, carrier: parsed.state, error: undefined };
}

/** hash_seed mode: the hashed trace id; an arriving `rv` or `th` is left alone and is an error. */
function hashRandomnessOf(
  seed: number,
  span: SpanSamplingInput,
  state: W3CTraceState,
  parseError: string | undefined,
): Found {
  let rnd = MISSING;
  if (span.traceIdStart >= 0) {
    const hash = fnvHash(seed, span.buf, span.traceIdStart, span.traceIdStart + 16);
    rnd = { value: hashRandomness(hash), policy: 'trace_id_hash', missing: false };
  }
  if (parseError !== undefined) return { rnd, carrier: null, error: parseError };
  if (state.ot.rValue !== '')
    return { rnd, carrier: null, error: 'item has sampling randomness, equalizing or proportional mode recommended' };
  if (state.ot.tValue !== '')
    return { rnd, carrier: null, error: 'item has sampling threshold, equalizing or proportional mode recommended' };
  setRandomness(state.ot, rnd.value);
  return { rnd, carrier: state, error: undefined };
}
