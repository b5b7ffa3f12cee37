// Test-only: converts between the protobufjs object shape of test/helpers/otlp-proto.ts (camelCase,
// int64 as decimal strings) and the AnyValue/KeyValue model of src/pdata/attributes.ts.
import type { AnyValue, KeyValue } from '../../pdata/attributes.ts';

/** The protobufjs shape of an AnyValue. */
export interface ProtoAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
  bytesValue?: Uint8Array;
  arrayValue?: { values?: ProtoAnyValue[] | null };
  kvlistValue?: { values?: ProtoKeyValue[] | null };
}
/** The protobufjs shape of a KeyValue. */
export interface ProtoKeyValue {
  key?: string;
  value?: ProtoAnyValue | null;
}

/** A protobufjs AnyValue object → model. */
export function valueFromProto(o: ProtoAnyValue | null | undefined): AnyValue {
  if (o == null) return { type: 'empty' };
  if (o.stringValue !== undefined) return { type: 'string', value: o.stringValue };
  if (o.boolValue !== undefined) return { type: 'bool', value: o.boolValue };
  if (o.intValue !== undefined) return { type: 'int', value: BigInt(o.intValue) };
  if (o.doubleValue !== undefined) return { type: 'double', value: o.doubleValue };
  if (o.bytesValue !== undefined) return { type: 'bytes', value: Buffer.from(o.bytesValue) };
  if (o.arrayValue !== undefined)
    return { type: 'array', value: (o.arrayValue.values ?? []).map((v) => valueFromProto(v)) };
  if (o.kvlistValue !== undefined) return { type: 'kvlist', value: kvsFromProto(o.kvlistValue.values) };
  return { type: 'empty' };
}

/** A protobufjs KeyValue list → model (no `raw`). */
export function kvsFromProto(list: readonly ProtoKeyValue[] | null | undefined): KeyValue[] {
  return (list ?? []).map((kv) => ({ key: kv.key ?? '', value: valueFromProto(kv.value) }));
}

/** Model → protobufjs AnyValue object. */
export function valueToProto(v: AnyValue): ProtoAnyValue {
  switch (v.type) {
    case 'string':
      return { stringValue: v.value };
    case 'bool':
      return { boolValue: v.value };
    case 'int':
      return { intValue: v.value.toString() };
    case 'double':
      return { doubleValue: v.value };
    case 'bytes':
      return { bytesValue: v.value };
    case 'array':
      return { arrayValue: { values: v.value.map((x) => valueToProto(x)) } };
    case 'kvlist':
      return { kvlistValue: { values: kvsToProto(v.value) } };
    case 'empty':
      return {};
  }
}

/** Model → protobufjs KeyValue list. */
export function kvsToProto(kvs: readonly KeyValue[]): ProtoKeyValue[] {
  return kvs.map((kv) => ({ key: kv.key, value: valueToProto(kv.value) }));
}

/** The model without `raw` anywhere, for deep comparisons. */
export function stripRaw(kvs: readonly KeyValue[]): KeyValue[] {
  return kvs.map((kv) => ({ key: kv.key, value: stripValue(kv.value) }));
}

/** A value without `raw` anywhere. */
export function stripValue(v: AnyValue): AnyValue {
  if (v.type === 'array') return { type: 'array', value: v.value.map(stripValue) };
  if (v.type === 'kvlist') return { type: 'kvlist', value: stripRaw(v.value) };
  return v;
}
