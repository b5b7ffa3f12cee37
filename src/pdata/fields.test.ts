import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DATA_POINTS_TAG, METRIC_DATA_TAGS, SIGNAL_TAGS, TAG, fieldOf, isMetricDataTag, wireTypeOf } from './fields.ts';
import { MESSAGES, REQUEST, message } from './schema.ts';
import { WIRE_LEN } from './wire.ts';

const packable = (kind: string): boolean => kind !== 'message' && kind !== 'string' && kind !== 'bytes';

test('every tag in the table names a field of its message with its number and wire type', () => {
  for (const [name, fields] of Object.entries(TAG)) {
    const spec = message(name);
    for (const [json, t] of Object.entries(fields)) {
      const f = spec.byJsonKey.get(json);
      assert.ok(f !== undefined, `${name}.${json} is not a field`);
      assert.equal(f.json, json, `${name}.${json}: JSON name`);
      assert.equal(fieldOf(t), f.no, `${name}.${json}: field number`);
      const want = f.repeated && packable(f.kind) ? WIRE_LEN : f.wireType;
      assert.equal(wireTypeOf(t), want, `${name}.${json}: wire type`);
    }
  }
});

test('the table holds every message and every field of the schema', () => {
  assert.deepEqual(Object.keys(TAG).sort(), Object.keys(MESSAGES).sort());
  for (const spec of Object.values(MESSAGES)) {
    const named = Object.keys((TAG as Record<string, Record<string, number>>)[spec.name] ?? {});
    assert.deepEqual(named.sort(), spec.fields.map((f) => f.json).sort(), spec.name);
  }
});

test('the shared levels are the same fields in every signal, named after each signal', () => {
  for (const [signal, tags] of Object.entries(SIGNAL_TAGS)) {
    const request = message(REQUEST[signal as keyof typeof REQUEST]);
    assert.equal(request.byNumber[fieldOf(tags.requestEntry)]?.kind, 'message', signal);
    assert.deepEqual(tags, SIGNAL_TAGS.traces, signal);
  }
});

test('each metric data member holds its points in the same field', () => {
  for (const t of METRIC_DATA_TAGS) {
    const member = message('Metric').byNumber[fieldOf(t)];
    assert.ok(member !== undefined && member.oneof === 'data');
    assert.equal(message(member.ref).byJsonKey.get('dataPoints')?.no, fieldOf(DATA_POINTS_TAG));
  }
  const data = message('Metric').fields.filter((f) => f.oneof === 'data');
  assert.equal(data.length, METRIC_DATA_TAGS.length);
});

test('isMetricDataTag holds for exactly the data members', () => {
  for (let t = 0; t < 1 << 11; t++) assert.equal(isMetricDataTag(t), METRIC_DATA_TAGS.includes(t), `tag ${t}`);
});
