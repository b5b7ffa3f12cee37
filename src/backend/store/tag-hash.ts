// What the store indexes a tag as: FNV-1a of `key=value` over UTF-8, value being the string Jaeger
// compares a tag search with (KeyValue.AsString). The Jaeger mapping takes that string rule from here.
import type { AnyValue } from '../../pdata/attributes.ts';

export const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Continues `h` over `buf[start, end)`. */
export function fnvBytes(h: number, buf: Uint8Array, start: number, end: number): number {
  for (let i = start; i < end; i++) h = Math.imul(h ^ (buf[i] as number), FNV_PRIME);
  return h;
}

/** Continues `h` over an ASCII string's characters (digits, `true`, …). */
export function fnvAscii(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

/** Continues `h` over one byte. */
export function fnvByte(h: number, b: number): number {
  return Math.imul(h ^ b, FNV_PRIME);
}

/** The hash of `key=value` (UTF-8) as a query computes it. */
export function tagHash(key: string, value: string): number {
  const b = Buffer.from(`${key}=${value}`, 'utf8');
  return fnvBytes(FNV_OFFSET, b, 0, b.length) | 0;
}

/**
 * The string an OTLP AnyValue has as a Jaeger tag (Jaeger's KeyValue.AsString of the translated tag):
 * bytes as hex, arrays and maps as their JSON text (pcommon's AsString), an empty value as ''.
 */
export function anyValueString(v: AnyValue): string {
  switch (v.type) {
    case 'string':
      return v.value;
    case 'bool':
    case 'double':
      return String(v.value);
    case 'int':
      return String(Number(v.value));
    case 'bytes':
      return v.value.toString('hex');
    case 'array':
    case 'kvlist':
      return JSON.stringify(anyValueRaw(v));
    default:
      return '';
  }
}

/** pcommon's AsRaw: plain JSON-able values, maps with sorted keys as Go's encoding/json writes them. */
export function anyValueRaw(v: AnyValue): unknown {
  switch (v.type) {
    case 'string':
    case 'bool':
    case 'double':
      return v.value;
    case 'int':
      return Number(v.value);
    case 'bytes':
      return v.value.toString('base64');
    case 'array':
      return v.value.map(anyValueRaw);
    case 'kvlist': {
      const out: Record<string, unknown> = {};
      for (const kv of [...v.value].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)))
        out[kv.key] = anyValueRaw(kv.value);
      return out;
    }
    default:
      return null;
  }
}
