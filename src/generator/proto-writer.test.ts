// ProtoWriter writes each field under its fields.ts tag, keeps marks at their byte offsets through
// nesting, and refuses a tag whose wire type does not fit the method (a programming error).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TAG } from '../pdata/fields.ts';
import { ProtoWriter } from './proto-writer.ts';

test('fields are written under their tags; marks keep their offsets inside nested messages', () => {
  const span = new ProtoWriter().mark(TAG.Span.spanId, 'span', 7).string(TAG.Span.name, 'a').varint(TAG.Span.kind, 2);
  const bytes = new ProtoWriter().message(TAG.ScopeSpans.spans, span);
  const out = bytes.finish();
  assert.deepEqual([...out], [0x12, 15, 0x12, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0x2a, 1, 0x61, 0x30, 2]);
  assert.deepEqual(bytes.marks, [{ kind: 'span', offset: 4, key: 7 }]);
});

test('a tag of the wrong wire type for the method throws while the template is built', () => {
  const w = new ProtoWriter();
  assert.throws(() => w.varint(TAG.Span.name, 1), /wire type/);
  assert.throws(() => w.string(TAG.Span.kind, 'x'), /wire type/);
  assert.throws(() => w.mark(TAG.Span.traceId, 'time', 0), /wire type/);
  assert.throws(() => w.mark(TAG.Span.startTimeUnixNano, 'trace', 0), /wire type/);
  assert.throws(() => w.message(TAG.Span.flags, new ProtoWriter()), /wire type/);
  assert.equal(w.size, 0);
});
