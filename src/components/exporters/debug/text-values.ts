// How Go's pdata prints values, for the debug exporter's text: Value.AsString and its type names,
// hex ids ("" when all zero), timestamps as Go's time.Time.String() in UTC, and Go's %v / %f floats.
import type { PMessage, PValue } from '../../../pdata/decode.ts';

/** A decoded message field as a message (or an empty one). */
export function msg(v: PValue | undefined): PMessage {
  return v !== undefined && typeof v === 'object' && !Array.isArray(v) && !Buffer.isBuffer(v) ? (v as PMessage) : {};
}

/** A decoded repeated message field (or none). */
export function list(v: PValue | undefined): readonly PMessage[] {
  return Array.isArray(v) ? (v as PMessage[]) : [];
}

export function str(v: PValue | undefined): string {
  return typeof v === 'string' ? v : '';
}

export function num(v: PValue | undefined): number {
  return typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : 0;
}

/** Decimal text of an int64 field (decoded as a string). */
export function int(v: PValue | undefined): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '0';
}

/** pcommon TraceID/SpanID String(): lower-case hex, empty when all bytes are zero. */
export function hexId(v: PValue | undefined): string {
  if (!Buffer.isBuffer(v) || v.every((b) => b === 0)) return '';
  return v.toString('hex');
}

/** Go's time.Unix(0, ns).UTC().String(): `2006-01-02 15:04:05.999999999 +0000 UTC`. */
export function goTime(ns: PValue | undefined): string {
  const total = BigInt(int(ns));
  const seconds = total / 1_000_000_000n;
  const frac = (total % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  const iso = new Date(Number(seconds) * 1000).toISOString().replace('T', ' ').slice(0, 19);
  return `${iso}${frac === '' ? '' : `.${frac}`} +0000 UTC`;
}

const TYPE_NAMES: Record<string, string> = {
  stringValue: 'Str',
  boolValue: 'Bool',
  intValue: 'Int',
  doubleValue: 'Double',
  arrayValue: 'Slice',
  kvlistValue: 'Map',
  bytesValue: 'Bytes',
};

function valueKey(v: PMessage): string | undefined {
  return Object.keys(v).find((k) => k in TYPE_NAMES);
}

/** Go's `Type(AsString)`, e.g. `Str(checkout)`, `Int(42)`, `Map({"a":1})`. */
export function typedValue(v: PValue | undefined): string {
  const m = msg(v);
  const key = valueKey(m);
  return `${key === undefined ? 'Empty' : TYPE_NAMES[key]}(${asString(m)})`;
}

/** pcommon Value.AsString. */
export function asString(v: PValue | undefined): string {
  const m = msg(v);
  const key = valueKey(m);
  if (key === undefined) return '';
  const inner = m[key];
  switch (key) {
    case 'stringValue':
      return str(inner);
    case 'boolValue':
      return inner === true ? 'true' : 'false';
    case 'intValue':
      return int(inner);
    case 'doubleValue':
      return jsonFloat(num(inner));
    case 'bytesValue':
      return Buffer.isBuffer(inner) ? inner.toString('base64') : '';
    default:
      return JSON.stringify(toRaw(m));
  }
}

/** AsRaw as encoding/json would marshal it (map keys sorted, ints as numbers, bytes as base64). */
function toRaw(v: PMessage): unknown {
  const key = valueKey(v);
  if (key === undefined) return null;
  const inner = v[key];
  if (key === 'kvlistValue') {
    const out: Record<string, unknown> = {};
    for (const kv of [...list(msg(inner).values)].sort((a, b) => str(a.key).localeCompare(str(b.key))))
      out[str(kv.key)] = toRaw(msg(kv.value));
    return out;
  }
  if (key === 'arrayValue') return list(msg(inner).values).map(toRaw);
  if (key === 'intValue') return Number(int(inner));
  if (key === 'bytesValue') return Buffer.isBuffer(inner) ? inner.toString('base64') : '';
  return key === 'doubleValue' ? num(inner) : inner;
}

/** Go's float64AsString: ES6 number formatting, which JavaScript's String() is. */
function jsonFloat(f: number): string {
  if (!Number.isFinite(f)) return `json: unsupported value: ${goFloatV(f)}`;
  return String(f);
}

/** Go's `%v` of a float64: shortest digits, exponent form when exp < -4 or ≥ 6 (strconv 'g', -1). */
export function goFloatV(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [mantissa = '', expText = '0'] = f.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(f);
}

/** Go's `%f`: six decimals. */
export function goFloatF(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf';
  return f.toFixed(6);
}

/** `key=value` pairs as Go's normal marshaler writes attributes. */
export function attributePairs(attrs: PValue | undefined): string[] {
  return list(attrs).map((kv) => `${str(kv.key)}=${asString(kv.value)}`);
}
