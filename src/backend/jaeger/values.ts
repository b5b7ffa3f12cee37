// OTLP AnyValue → Jaeger tag: the value type and value Jaeger's translator gives an attribute, and the
// string a tag search compares against (Jaeger's KeyValue.AsString). The AnyValue → string rule itself
// belongs to the store's tag index (store/tag-hash.ts); this mapping depends on the store, not back.
import type { AnyValue } from '../../pdata/attributes.ts';
import { anyValueRaw } from '../store/tag-hash.ts';

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
      return { key, type: 'string', value: JSON.stringify(anyValueRaw(v)) };
    default:
      return { key, type: 'string', value: '' };
  }
}

/** What a tag search compares a tag's value with (Jaeger's KeyValue.AsString). */
export function tagValueString(kv: JaegerKeyValue): string {
  if (kv.type === 'binary') return Buffer.from(kv.value as string, 'base64').toString('hex');
  return String(kv.value);
}
