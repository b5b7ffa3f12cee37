// AnyValue helpers with Go pcommon semantics: FromRaw (a YAML value → AnyValue), AsString (any
// value → its string form) and a cheap equality used to detect edits that change nothing.
import type { AnyValue, KeyValue } from '../../pdata/attributes.ts';

/**
 * A config value as Go's `pcommon.Value.FromRaw` reads it: string → string, integer → int,
 * other number → double, bool, list → array, map → kvlist, null → empty. Returns an error message
 * for anything else, as Go does (`<Invalid value type T>`).
 */
export function fromRaw(raw: unknown): AnyValue | string {
  if (raw === null || raw === undefined) return { type: 'empty' };
  if (typeof raw === 'string') return { type: 'string', value: raw };
  if (typeof raw === 'boolean') return { type: 'bool', value: raw };
  if (typeof raw === 'bigint') return { type: 'int', value: BigInt.asIntN(64, raw) };
  if (typeof raw === 'number')
    // An integer past int64's range is a double, as Go's YAML decoding makes it.
    return Number.isInteger(raw) && Math.abs(raw) < 2 ** 63
      ? { type: 'int', value: BigInt(raw) }
      : { type: 'double', value: raw };
  if (Buffer.isBuffer(raw)) return { type: 'bytes', value: raw };
  if (Array.isArray(raw)) return listFromRaw(raw);
  if (typeof raw === 'object' && isPlainObject(raw)) return mapFromRaw(raw as Record<string, unknown>);
  return `<Invalid value type ${typeof raw}>`;
}

function isPlainObject(o: object): boolean {
  const proto: unknown = Object.getPrototypeOf(o);
  return proto === Object.prototype || proto === null;
}

function listFromRaw(raw: readonly unknown[]): AnyValue | string {
  const out: AnyValue[] = [];
  for (const item of raw) {
    const v = fromRaw(item);
    if (typeof v === 'string') return v;
    out.push(v);
  }
  return { type: 'array', value: out };
}

function mapFromRaw(raw: Record<string, unknown>): AnyValue | string {
  const out: KeyValue[] = [];
  for (const [key, item] of Object.entries(raw)) {
    const v = fromRaw(item);
    if (typeof v === 'string') return v;
    out.push({ key, value: v });
  }
  return { type: 'kvlist', value: out };
}

/** Go's `Value.AsString`: strings as they are, numbers as JSON writes them, maps and lists as JSON. */
export function asString(v: AnyValue): string {
  switch (v.type) {
    case 'string':
      return v.value;
    case 'bool':
    case 'int':
      return String(v.value);
    case 'double':
      return doubleString(v.value);
    case 'bytes':
      return v.value.toString('base64');
    case 'array':
    case 'kvlist':
      return toJson(v);
    case 'empty':
      return '';
  }
}

/** ES6 number formatting, as Go's float64AsString does (which keeps the sign of -0). */
function doubleString(d: number): string {
  return Object.is(d, -0) ? '-0' : String(d);
}

/** JSON of `AsRaw()` as Go's encoding/json writes it: map keys sorted, later duplicates win. */
function toJson(v: AnyValue): string {
  switch (v.type) {
    case 'string':
      return JSON.stringify(v.value);
    case 'bool':
    case 'int':
      return String(v.value);
    case 'double':
      return Number.isFinite(v.value) ? doubleString(v.value) : 'null';
    case 'bytes':
      return JSON.stringify(v.value.toString('base64'));
    case 'array':
      return `[${v.value.map(toJson).join(',')}]`;
    case 'kvlist': {
      const byKey = new Map<string, AnyValue>();
      for (const kv of v.value) byKey.set(kv.key, kv.value);
      const keys = [...byKey.keys()].sort(compareUtf8);
      return `{${keys.map((k) => `${JSON.stringify(k)}:${toJson(byKey.get(k) as AnyValue)}`).join(',')}}`;
    }
    case 'empty':
      return 'null';
  }
}

/** Go sorts map keys by their bytes. */
function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** True when two values are certainly equal (scalars compared; arrays and maps are never called equal). */
export function sameValue(a: AnyValue, b: AnyValue): boolean {
  if (a === b) return true;
  switch (a.type) {
    case 'string':
    case 'bool':
    case 'int':
      return a.type === b.type && a.value === b.value;
    case 'double':
      return b.type === 'double' && Object.is(a.value, b.value);
    case 'bytes':
      return b.type === 'bytes' && a.value.equals(b.value);
    case 'empty':
      return b.type === 'empty';
    default:
      return false;
  }
}
