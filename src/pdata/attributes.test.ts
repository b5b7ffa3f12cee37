import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { arbAnyValue, arbAttributes } from '../../test/helpers/otlp-arbitrary.ts';
import { AnyValue as AnyValueType, KeyValue as KeyValueType, root } from '../../test/helpers/otlp-proto.ts';
import {
  kvsFromProto,
  stripRaw,
  stripValue,
  valueFromProto,
} from '../components/attraction/proto-model.test-helper.ts';
import {
  decodeAnyValue,
  decodeKeyValue,
  keyValuesFieldSize,
  writeKeyValuesField,
  type KeyValue,
} from './attributes.ts';
import { TAG } from './fields.ts';
import { WireReader } from './wire.ts';

const Resource = root.lookupType('opentelemetry.proto.resource.v1.Resource');
const TO_OBJECT = { longs: String, bytes: Buffer, defaults: false };
const ATTRIBUTES = TAG.Resource.attributes;

/** The attributes of a Resource body, each read by decodeKeyValue (as resource-edit.ts reads them). */
function decodeAttributes(bytes: Buffer): KeyValue[] {
  const r = new WireReader(bytes);
  const out: KeyValue[] = [];
  while (r.hasMore()) {
    const tag = r.tag();
    if (tag !== ATTRIBUTES) r.skip(tag & 7);
    else {
      const end = r.lenEnd();
      out.push(decodeKeyValue(bytes, r.pos, end));
      r.pos = end;
    }
  }
  return out;
}

/** A Resource body holding only `kvs`, written as resource-edit.ts writes one. */
function encodeAttributes(kvs: readonly KeyValue[]): Buffer {
  const buf = Buffer.alloc(keyValuesFieldSize(kvs, ATTRIBUTES));
  assert.equal(writeKeyValuesField(buf, 0, kvs, ATTRIBUTES), buf.length);
  return buf;
}

test('decodeKeyValue reads what protobufjs wrote, and the encoder writes what protobufjs reads', () => {
  fc.assert(
    fc.property(arbAttributes, (attributes) => {
      const bytes = Buffer.from(
        Resource.encode(Resource.fromObject({ attributes, droppedAttributesCount: 3 })).finish(),
      );
      const decoded = decodeAttributes(bytes);
      const expected = kvsFromProto(Resource.toObject(Resource.decode(bytes), TO_OBJECT).attributes);
      assert.deepEqual(stripRaw(decoded), expected);
      // Re-encoded without the original bytes, protobufjs reads the same attributes back.
      const fresh = encodeAttributes(stripRaw(decoded));
      assert.deepEqual(kvsFromProto(Resource.toObject(Resource.decode(fresh), TO_OBJECT).attributes), expected);
      // With the original bytes kept, an untouched list is written back byte for byte.
      const kept = encodeAttributes(decoded);
      assert.deepEqual(kept, bytes.subarray(0, kept.length));
    }),
  );
});

test('AnyValue round-trips and its size matches what is written', () => {
  fc.assert(
    fc.property(arbAnyValue, (obj) => {
      const bytes = Buffer.from(AnyValueType.encode(AnyValueType.fromObject(obj)).finish());
      const v = decodeAnyValue(bytes, 0, bytes.length);
      assert.deepEqual(stripValue(v), valueFromProto(AnyValueType.toObject(AnyValueType.decode(bytes), TO_OBJECT)));
      const fresh = stripValue(v);
      // encodeAttributes checks that the sizes computed first are the bytes then written.
      const [kv] = decodeAttributes(encodeAttributes([{ key: 'k', value: fresh }]));
      assert.deepEqual(kv !== undefined && stripValue(kv.value), fresh);
    }),
  );
});

test('negative and large int64 values use ten-byte varints', () => {
  for (const n of [-1n, -(2n ** 63n), 2n ** 63n - 1n, 2n ** 53n, 0n]) {
    const kv: KeyValue = { key: 'n', value: { type: 'int', value: n } };
    const bytes = encodeAttributes([kv]);
    const obj = KeyValueType.toObject(KeyValueType.decode(bytes.subarray(2)), TO_OBJECT);
    assert.equal(obj.value.intValue, n.toString());
    assert.equal(bytes[1], bytes.length - 2, 'the length prefix is the KeyValue written');
  }
});

test('an empty key is left out and an empty value is still written, as Go does', () => {
  const bytes = encodeAttributes([{ key: '', value: { type: 'empty' } }]);
  assert.deepEqual([...bytes], [0x0a, 0x02, 0x12, 0x00]);
  const kv = decodeKeyValue(bytes, 2, 4);
  assert.equal(kv.key, '');
  assert.deepEqual(kv.value, { type: 'empty' });
});

test('unknown fields inside a KeyValue survive an untouched round-trip', () => {
  // key "a", value {string "b"}, then unknown field 15 (varint 7).
  const body = Buffer.from([0x0a, 0x01, 0x61, 0x12, 0x03, 0x0a, 0x01, 0x62, 0x78, 0x07]);
  const kv = decodeKeyValue(body, 0, body.length);
  assert.deepEqual(kv.value, { type: 'string', value: 'b' });
  assert.deepEqual(encodeAttributes([kv]).subarray(2), body);
});

test('ArrayValue and KeyValueList hold their values under one tag, so one list reader serves both', () => {
  assert.equal(TAG.ArrayValue.values, TAG.KeyValueList.values);
});
