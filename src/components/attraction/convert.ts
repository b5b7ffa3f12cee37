// The `convert` action, as Go's attraction type_converter: to string, int or double; a value that
// cannot be converted is left as it is.
import type { AnyValue } from '../../pdata/attributes.ts';
import { asString } from './value.ts';

/** The targets `converted_type` accepts. */
export const CONVERSION_TARGETS: readonly string[] = ['string', 'int', 'double'];

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
// strconv.ParseFloat's decimal syntax and its special names (hex floats are rare in attributes).
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL = /^([+-]?)(?:(inf|infinity)|nan)$/i;

/** The converted value, or undefined when `v` stays as it is. */
export function convertValue(to: string, v: AnyValue): AnyValue | undefined {
  switch (to) {
    case 'string':
      return v.type === 'string' ? undefined : { type: 'string', value: asString(v) };
    case 'int':
      return toInt(v);
    case 'double':
      return toDouble(v);
    default:
      return undefined;
  }
}

function toInt(v: AnyValue): AnyValue | undefined {
  switch (v.type) {
    case 'double':
      return Number.isFinite(v.value)
        ? { type: 'int', value: BigInt.asIntN(64, BigInt(Math.trunc(v.value))) }
        : undefined;
    case 'bool':
      return { type: 'int', value: v.value ? 1n : 0n };
    case 'string': {
      // strconv.ParseInt(s, 10, 64): optional sign, decimal digits, in range.
      if (!/^[+-]?\d+$/.test(v.value)) return undefined;
      const n = BigInt(v.value);
      return n < INT64_MIN || n > INT64_MAX ? undefined : { type: 'int', value: n };
    }
    default:
      return undefined;
  }
}

function toDouble(v: AnyValue): AnyValue | undefined {
  switch (v.type) {
    case 'int':
      return { type: 'double', value: Number(v.value) };
    case 'bool':
      return { type: 'double', value: v.value ? 1 : 0 };
    case 'string':
      return parseGoFloat(v.value);
    default:
      return undefined;
  }
}

function parseGoFloat(s: string): AnyValue | undefined {
  const special = SPECIAL.exec(s);
  if (special !== null) {
    const value = special[2] === undefined ? NaN : special[1] === '-' ? -Infinity : Infinity;
    return { type: 'double', value };
  }
  if (!DECIMAL.test(s)) return undefined;
  const d = Number(s);
  // Out of range is an error for ParseFloat, and Go then keeps the string.
  return Number.isFinite(d) ? { type: 'double', value: d } : undefined;
}
