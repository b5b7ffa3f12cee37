// OTLP AnyValue → Jaeger tag: the value type and value Jaeger's translator gives an attribute, and the
// string a tag search compares against (Jaeger's KeyValue.AsString).
import type { AnyValue } from '../../pdata/attributes.ts';

/** One Jaeger JSON tag / log field. */
export interface JaegerKeyValue {
  key: string;
  type: 'string' | 'bool' | 'int64' | 'float64' | 'binary';
  value: string | boolean | number;
}

/** The Jaeger tag for an OTLP attribute (arrays and maps become their JSON text, as pcommon's AsString). */
export function toJaegerKeyValue(key: string, v: AnyValue): JaegerKeyValue {
  switch (v.type) {
    case 'string':
      return { key, type: 'string', value: v.value };
    case 'bool':
      return { key, type: 'bool', value: v.value };
    case 'int':
      return { key, type: 'int64', value: Number(v.value) };
    case 'double':
      return { key, type: 'float64', value: v.value };
    case 'bytes':
      return { key, type: 'binary', value: v.value.toString('base64') };
    case 'array':
    case 'kvlist':
      return { key, type: 'string', value: JSON.stringify(rawOf(v)) };
    default:
      return { key, type: 'string', value: '' };
  }
}

/** What a tag search compares a tag's value with (Jaeger's KeyValue.AsString). */
export function tagValueString(kv: JaegerKeyValue): string {
  if (kv.type === 'binary') return Buffer.from(kv.value as string, 'base64').toString('hex');
  return String(kv.value);
}

/** The string an OTLP AnyValue has as a Jaeger tag (for the ingest-side tag hashes). */
export function anyValueString(v: AnyValue): string {
  return tagValueString(toJaegerKeyValue('', v));
}

/** pcommon's AsRaw: plain JSON-able values, maps with sorted keys as Go's encoding/json writes them. */
function rawOf(v: AnyValue): unknown {
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
      return v.value.map(rawOf);
    case 'kvlist': {
      const out: Record<string, unknown> = {};
      for (const kv of [...v.value].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)))
        out[kv.key] = rawOf(kv.value);
      return out;
    }
    default:
      return null;
  }
}
