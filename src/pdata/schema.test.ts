import { test } from 'node:test';
import assert from 'node:assert/strict';
import protobuf from 'protobufjs';
import { ENUMS, ITEM_MESSAGES, MESSAGES, REQUEST, RESPONSE, jsonName, message } from './schema.ts';
import { root } from '../../test/helpers/otlp-proto.ts';

const PROTO_NAMES: Record<string, string> = {
  SpanEvent: 'opentelemetry.proto.trace.v1.Span.Event',
  SpanLink: 'opentelemetry.proto.trace.v1.Span.Link',
  Buckets: 'opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint.Buckets',
  ValueAtQuantile: 'opentelemetry.proto.metrics.v1.SummaryDataPoint.ValueAtQuantile',
};

function protoType(name: string): protobuf.Type {
  const full = PROTO_NAMES[name];
  if (full !== undefined) return root.lookupType(full);
  const found = root.lookup(name, protobuf.Type);
  assert.ok(found instanceof protobuf.Type, `no proto message ${name}`);
  return found;
}

function shortName(t: protobuf.ReflectionObject): string {
  const full = t.fullName.replace(/^\./, '');
  return Object.entries(PROTO_NAMES).find(([, v]) => v === full)?.[0] ?? t.name;
}

test('every message in the table matches its .proto definition field by field', () => {
  for (const spec of Object.values(MESSAGES)) {
    const type = protoType(spec.name);
    assert.deepEqual(
      spec.fields.map((f) => f.no).sort((a, b) => a - b),
      type.fieldsArray.map((f) => f.id).sort((a, b) => a - b),
      `${spec.name}: field numbers`,
    );
    for (const f of spec.fields) {
      const pf = type.fieldsById[f.no]!;
      const where = `${spec.name}.${f.name}`;
      assert.equal(pf.name, f.json, `${where}: JSON name`);
      assert.equal(pf.repeated, f.repeated, `${where}: repeated`);
      const real = pf.partOf !== null && !pf.partOf.name.startsWith('_') ? pf.partOf.name : '';
      assert.equal(real, f.oneof, `${where}: oneof`);
      assert.equal(pf.partOf !== null, f.presence, `${where}: presence`);
      if (pf.resolvedType instanceof protobuf.Type) assert.equal(f.kind, 'message', where);
      else if (pf.resolvedType instanceof protobuf.Enum) assert.equal(f.kind, 'enum', where);
      else assert.equal(f.kind, pf.type, where);
      if (pf.resolvedType !== null) assert.equal(f.ref, shortName(pf.resolvedType), `${where}: type`);
    }
  }
});

test('every message reachable from a request or response is in the table', () => {
  const seen = new Set<string>();
  const visit = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const f of message(name).fields) if (f.kind === 'message') visit(f.ref);
  };
  for (const n of [...Object.values(REQUEST), ...Object.values(RESPONSE)]) visit(n);
  assert.deepEqual([...seen].sort(), Object.keys(MESSAGES).sort());
  for (const item of ITEM_MESSAGES) assert.ok(seen.has(item));
});

test('enum name tables match the .proto enums', () => {
  for (const [name, values] of Object.entries(ENUMS)) {
    const e = root.lookupEnum(name);
    assert.deepEqual({ ...values }, { ...e.values }, name);
  }
});

test('JSON names are lowerCamelCase and the snake_case spelling is accepted as a key', () => {
  assert.equal(jsonName('start_time_unix_nano'), 'startTimeUnixNano');
  assert.equal(jsonName('string_value_strindex'), 'stringValueStrindex');
  const span = message('Span');
  assert.equal(span.byJsonKey.get('parent_span_id'), span.byJsonKey.get('parentSpanId'));
  assert.equal(span.byNumber[16]?.name, 'flags');
  assert.throws(() => message('Nope'), /no message Nope/);
});
