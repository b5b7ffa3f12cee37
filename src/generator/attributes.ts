// telemetrygen's `key=value` flag values (--otlp-attributes, --telemetry-attributes, --otlp-header):
// key="string", key=true|false, key=<integer>, or key=[v1, v2, ...] of one type; and their encoding
// as OTLP KeyValue messages.
import { TAG } from '../pdata/fields.ts';
import { ProtoWriter } from './proto-writer.ts';

/** One scalar attribute value. */
export type AttrScalar = string | boolean | number;
/** An attribute value as telemetrygen accepts it on the command line. */
export type AttrValue = AttrScalar | readonly AttrScalar[];

const FORMAT =
  'value should be in one of the following formats: key="value", key=true, key=false, key=<integer>, or key=[<value1>, <value2>, ...]';

/** Parses `key=value`; throws an Error with telemetrygen's wording when it is not one. */
export function parseKeyValue(text: string): [string, AttrValue] {
  const eq = text.indexOf('=');
  if (eq < 0) throw new Error(`invalid attribute "${text}": ${FORMAT}`);
  const key = text.slice(0, eq);
  const raw = text.slice(eq + 1);
  if (!(raw.startsWith('[') && raw.endsWith(']'))) return [key, parseScalar(raw, text)];
  const content = raw.slice(1, -1).trim();
  if (content === '') throw new Error(`invalid attribute "${text}": slice should not be empty`);
  const items = splitItems(content).map((item) => parseScalar(item, text));
  if (items.some((v) => typeof v !== typeof items[0]))
    throw new Error(`invalid attribute "${text}": all items in a slice should be of the same type`);
  return [key, items];
}

function parseScalar(raw: string, text: string): AttrScalar {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (/^[+-]?\d+$/.test(raw)) return Number(raw);
  if (raw.length < 2 || !raw.startsWith('"') || !raw.endsWith('"'))
    throw new Error(`invalid attribute "${text}": value should be a string wrapped in double quotes`);
  return raw.slice(1, -1);
}

// Splits on commas outside double quotes.
function splitItems(content: string): string[] {
  const items: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of content) {
    if (ch === '"') quoted = !quoted;
    if (ch === ',' && !quoted) {
      if (current.trim() !== '') items.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim() !== '') items.push(current.trim());
  return items;
}

/** Header values are strings; booleans are written as Go's strconv.FormatBool does, other types are dropped. */
export function headerValue(value: AttrValue): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  return undefined;
}

/** An OTLP AnyValue message. */
export function anyValue(value: AttrValue | number): ProtoWriter {
  const w = new ProtoWriter();
  if (Array.isArray(value)) {
    const arr = new ProtoWriter();
    for (const v of value as readonly AttrScalar[]) arr.message(TAG.ArrayValue.values, anyValue(v));
    return w.message(TAG.AnyValue.arrayValue, arr);
  }
  if (typeof value === 'string') return w.string(TAG.AnyValue.stringValue, value);
  if (typeof value === 'boolean') return w.varint(TAG.AnyValue.boolValue, value ? 1 : 0);
  if (typeof value === 'number' && Number.isInteger(value)) return intValue(w, value);
  return w.double(TAG.AnyValue.doubleValue, value as number);
}

// int64 as a varint: negatives take ten bytes in two's complement.
function intValue(w: ProtoWriter, n: number): ProtoWriter {
  if (n >= 0) return w.varint(TAG.AnyValue.intValue, n);
  const b = Buffer.allocUnsafe(8);
  b.writeBigInt64LE(BigInt(n));
  const big = b.readBigUInt64LE();
  const bytes: number[] = [];
  let v = big;
  while (v >= 0x80n) {
    bytes.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  bytes.push(Number(v));
  return w.bytesRaw(TAG.AnyValue.intValue, Buffer.from(bytes));
}

/** An OTLP KeyValue message. */
export function keyValue(key: string, value: AttrValue | number): ProtoWriter {
  return new ProtoWriter().string(TAG.KeyValue.key, key).message(TAG.KeyValue.value, anyValue(value));
}

/** Appends `attrs` as the repeated KeyValue field tagged `tag` (e.g. TAG.Span.attributes). */
export function writeAttributes(
  w: ProtoWriter,
  tag: number,
  attrs: Iterable<readonly [string, AttrValue | number]>,
): ProtoWriter {
  for (const [k, v] of attrs) w.message(tag, keyValue(k, v));
  return w;
}
