// Matching attributes against `attributes:` / `resources:` entries, as Go's filtermatcher
// AttributesMatcher: every entry must match; a key alone must be present; with match_type strict the
// value must be equal in type and value, with regexp its string form must match the expression.
import type { AnyValue, KeyValue } from '../../../pdata/attributes.ts';
import { findKey } from '../../attraction/apply.ts';
import { asString, fromRaw } from '../../attraction/value.ts';
import { createFilterSet, type FilterSet } from './filterset.ts';

/** One compiled entry. */
interface AttributeMatcher {
  readonly key: string;
  readonly filter: FilterSet | undefined;
  readonly value: AnyValue | undefined;
}

/** Compiled entries; an empty list matches everything. */
export type AttributesMatcher = readonly AttributeMatcher[];

const GO_TYPE: Readonly<Record<AnyValue['type'], string>> = {
  string: 'Str',
  bool: 'Bool',
  int: 'Int',
  double: 'Double',
  bytes: 'Bytes',
  array: 'Slice',
  kvlist: 'Map',
  empty: 'Empty',
};

/** Compiles entries, or returns Go's error message. */
export function createAttributesMatcher(
  entries: readonly { key: string; value?: unknown }[],
  matchType: string,
): AttributesMatcher | string {
  const out: AttributeMatcher[] = [];
  for (const e of entries) {
    if (e.key === '') return "can't have empty key in the list of attributes";
    if (e.value == null) {
      out.push({ key: e.key, filter: undefined, value: undefined });
      continue;
    }
    const value = fromRaw(e.value);
    if (typeof value === 'string') return value;
    const m = compileEntry(e.key, value, matchType);
    if (typeof m === 'string') return m;
    out.push(m);
  }
  return out;
}

function compileEntry(key: string, value: AnyValue, matchType: string): AttributeMatcher | string {
  if (matchType === 'strict') return { key, filter: undefined, value };
  if (matchType === 'regexp' && value.type !== 'string') {
    return `match_type=regexp for ${JSON.stringify(key)} only supports Str, but found ${GO_TYPE[value.type]}`;
  }
  const filter = createFilterSet([(value as { value: string }).value], matchType);
  return typeof filter === 'string' ? filter : { key, filter, value: undefined };
}

/** True when every entry matches `attrs` (and, with entries, `attrs` is not empty). */
export function matchAttributes(m: AttributesMatcher, attrs: readonly KeyValue[]): boolean {
  if (m.length === 0) return true;
  if (attrs.length === 0) return false;
  for (const e of m) {
    const i = findKey(attrs, e.key);
    if (i < 0) return false;
    const v = (attrs[i] as KeyValue).value;
    if (e.filter !== undefined) {
      const s = matchString(v);
      if (s === undefined || !e.filter.matches(s)) return false;
    } else if (e.value !== undefined && !equalValues(e.value, v)) return false;
  }
  return true;
}

/** The string a regexp sees: Go formats only scalars (a double without an exponent). */
function matchString(v: AnyValue): string | undefined {
  switch (v.type) {
    case 'string':
      return v.value;
    case 'bool':
    case 'int':
      return String(v.value);
    case 'double':
      return formatFloatF(v.value);
    default:
      return undefined;
  }
}

/** strconv.FormatFloat(d, 'f', -1, 64): the shortest digits that read back, never an exponent. */
export function formatFloatF(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (!Number.isFinite(d)) return d > 0 ? '+Inf' : '-Inf';
  const s = String(d);
  const e = s.indexOf('e');
  if (e < 0) return s;
  const sign = s.startsWith('-') ? '-' : '';
  const mantissa = s.slice(sign.length, e).replace('.', '');
  const point = s.slice(sign.length, e).indexOf('.');
  const exp = Number(s.slice(e + 1)) + (point < 0 ? s.slice(sign.length, e).length : point);
  if (exp <= 0) return `${sign}0.${'0'.repeat(-exp)}${mantissa}`;
  return `${sign}${mantissa.padEnd(exp, '0')}`;
}

/** Equal in type and value; lists and maps compared by their JSON form (Go compares hashes). */
function equalValues(a: AnyValue, b: AnyValue): boolean {
  if (a.type !== b.type) return false;
  if (a.type === 'array' || a.type === 'kvlist') return asString(a) === asString(b);
  if (a.type === 'bytes' && b.type === 'bytes') return a.value.equals(b.value);
  if (a.type === 'empty') return true;
  // Scalars of the same type: === (a double NaN never equals, as in Go).
  return (a as { value: unknown }).value === (b as { value: unknown }).value;
}
