// The W3C `tracestate` and its OpenTelemetry `ot=` entry, parsed and written back as Go's
// pkg/sampling does (W3CTraceState, OpenTelemetryTraceState): syntax checked by hand, `rv` and `th`
// parsed, every other entry carried through in order. Serializing puts `ot=` first and, inside it,
// `rv` then `th` then the rest — so a kept span's tracestate matches a Go collector's byte for byte.
import {
  ALWAYS_SAMPLE,
  SamplingValueError,
  rValueOf,
  rValueToRandomness,
  tValueOf,
  tValueToThreshold,
} from './threshold.ts';

/** One `key=value` (W3C) or `key:value` (OTel) list member. */
export interface TraceStateEntry {
  readonly key: string;
  readonly value: string;
}

/** The `ot=` entry: randomness (`rv`), threshold (`th`) and other OTel keys. '' means absent. */
export interface OTelTraceState {
  rValue: string;
  randomness: bigint;
  tValue: string;
  threshold: bigint;
  readonly extra: TraceStateEntry[];
}

/** A parsed tracestate. */
export interface W3CTraceState {
  readonly ot: OTelTraceState;
  readonly extra: TraceStateEntry[];
}

/** The outcome of a parse: the state (partial when some member failed) and the first error. */
export interface ParsedTraceState {
  readonly state: W3CTraceState;
  readonly error: Error | undefined;
}

const MAX_W3C_LENGTH = 1024;
const MAX_W3C_PAIRS = 32;
const MAX_KEY_LENGTH = 256;
const MAX_TENANT_LENGTH = 241;
const MAX_SYSTEM_LENGTH = 14;
const MAX_OTEL_LENGTH = 256;

const SIZE_ERROR = 'invalid tracestate size';
const SYNTAX_ERROR = 'strconv.ParseUint: invalid syntax';

function emptyOTel(): OTelTraceState {
  return { rValue: '', randomness: 0n, tValue: '', threshold: ALWAYS_SAMPLE, extra: [] };
}

/** Parses a W3C tracestate (Go's NewW3CTraceState). The empty string is a valid, empty state. */
export function parseTraceState(input: string): ParsedTraceState {
  const state: W3CTraceState = { ot: emptyOTel(), extra: [] };
  if (input === '') return { state, error: undefined };
  if (input.length > MAX_W3C_LENGTH) return { state, error: new SamplingValueError(SIZE_ERROR) };
  if (!isValidW3C(input)) return { state, error: new SamplingValueError(SYNTAX_ERROR) };
  let ot = state.ot;
  const error = scanMembers(input, ',', '=', MAX_W3C_PAIRS, true, (key, value) => {
    if (!isW3CKeySizeOk(key)) return new SamplingValueError(SIZE_ERROR);
    if (key !== 'ot') {
      state.extra.push({ key, value });
      return undefined;
    }
    const parsed = parseOTel(value);
    ot = parsed.state;
    return parsed.error;
  });
  return { state: { ot, extra: state.extra }, error };
}

/** Parses the value of the `ot=` entry (Go's NewOpenTelemetryTraceState). */
function parseOTel(input: string): { state: OTelTraceState; error: Error | undefined } {
  const ot = emptyOTel();
  if (input.length > MAX_OTEL_LENGTH) return { state: ot, error: new SamplingValueError(SIZE_ERROR) };
  if (!isValidOTel(input)) return { state: ot, error: new SamplingValueError(SYNTAX_ERROR) };
  const error = scanMembers(input, ';', ':', -1, false, (key, value) => {
    try {
      if (key === 'rv') {
        ot.rValue = '';
        ot.randomness = rValueToRandomness(value);
        ot.rValue = value;
      } else if (key === 'th') {
        ot.tValue = '';
        ot.threshold = ALWAYS_SAMPLE;
        ot.threshold = tValueToThreshold(value);
        ot.tValue = value;
      } else ot.extra.push({ key, value });
    } catch (err) {
      if (key === 'rv') ot.randomness = 0n;
      else ot.threshold = ALWAYS_SAMPLE;
      return err as Error;
    }
    return undefined;
  });
  return { state: ot, error };
}

type MemberVisitor = (key: string, value: string) => Error | undefined;

/** Go's keyValueScanner: visits every non-empty member; the first error is kept, scanning goes on. */
function scanMembers(
  input: string,
  separator: string,
  equality: string,
  maxItems: number,
  trim: boolean,
  visit: MemberVisitor,
): Error | undefined {
  let first: Error | undefined;
  let items = 0;
  for (const raw of input.split(separator)) {
    items++;
    // As Go: the count includes empty members and stops at maxItems (so 31 members at most).
    if (maxItems > 0 && items >= maxItems) return new SamplingValueError(SIZE_ERROR);
    const member = trim ? trimOws(raw) : raw;
    if (member === '') continue;
    const eq = member.indexOf(equality);
    if (eq < 0) continue;
    // Every member is visited even after an error, as Go does: later entries still take effect.
    const error = visit(member.slice(0, eq), member.slice(eq + 1));
    first ??= error;
  }
  return first;
}

function trimOws(s: string): string {
  return s.replace(/^[ \t]+|[ \t]+$/g, '');
}

// W3C: simple-key = lcalpha *(lcalpha / DIGIT / "_" / "-" / "*" / "/"); multi-tenant = tenant "@" system.
const SIMPLE_KEY = /^[a-z][a-z0-9_\-*/]*$/;
const TENANT_KEY = /^[a-z0-9][a-z0-9_\-*/]*@[a-z][a-z0-9_\-*/]*$/;
// value = 0*255(chr) nblk-chr; chr = %x20 / nblk-chr; nblk-chr = %x21-2B / %x2D-3C / %x3E-7E.
const W3C_VALUE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]*[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;
const OTEL_MEMBER = /^[a-z][a-z0-9]*:[a-zA-Z0-9._-]*$/;

function isValidW3C(input: string): boolean {
  for (const raw of input.split(',')) {
    const member = trimOws(raw);
    if (member === '') continue;
    const eq = member.indexOf('=');
    if (eq < 1) return false;
    const key = member.slice(0, eq);
    const value = member.slice(eq + 1);
    if (!(SIMPLE_KEY.test(key) || TENANT_KEY.test(key))) return false;
    if (value.length > 256 || !W3C_VALUE.test(value)) return false;
  }
  return true;
}

function isW3CKeySizeOk(key: string): boolean {
  if (key.length > MAX_KEY_LENGTH) return false;
  const at = key.indexOf('@');
  return at < 0 || (at <= MAX_TENANT_LENGTH && key.length - at - 1 <= MAX_SYSTEM_LENGTH);
}

function isValidOTel(input: string): boolean {
  if (input === '' || input.endsWith(';')) return false;
  return input.split(';').every((member) => OTEL_MEMBER.test(member));
}

/** Sets `rv` (Go's SetRValue). */
export function setRandomness(ot: OTelTraceState, randomness: bigint): void {
  ot.randomness = randomness;
  ot.rValue = rValueOf(randomness);
}

/** Clears `th` (Go's ClearTValue), as the spec asks for an inconsistent arriving threshold. */
export function clearThreshold(ot: OTelTraceState): void {
  ot.tValue = '';
  ot.threshold = ALWAYS_SAMPLE;
}

/**
 * Records the threshold a kept item was sampled at (Go's UpdateTValueWithSampling). Returns false,
 * changing nothing, when that would raise the arriving sampling probability.
 */
export function updateThreshold(ot: OTelTraceState, threshold: bigint): boolean {
  if (ot.tValue !== '' && ot.threshold > threshold) return false;
  ot.threshold = threshold;
  ot.tValue = tValueOf(threshold);
  return true;
}

/** Writes the state back (Go's W3CTraceState.Serialize): `ot=` first, then the other entries. */
export function serializeTraceState(state: W3CTraceState): string {
  const members: string[] = [];
  const ot = serializeOTel(state.ot);
  if (ot !== '') members.push(`ot=${ot}`);
  for (const e of state.extra) members.push(`${e.key}=${e.value}`);
  return members.join(',');
}

function serializeOTel(ot: OTelTraceState): string {
  const members: string[] = [];
  if (ot.rValue !== '') members.push(`rv:${ot.rValue}`);
  if (ot.tValue !== '') members.push(`th:${ot.tValue}`);
  for (const e of ot.extra) members.push(`${e.key}:${e.value}`);
  return members.join(';');
}
