import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { arbAttributes } from '../../test/helpers/otlp-arbitrary.ts';
import { Span } from '../../test/helpers/otlp-proto.ts';
import { decodeKeyValue, type KeyValue } from './attributes.ts';
import { TAG } from './fields.ts';
import { KeyInterner } from './key-intern.ts';
import { readKeyValuesLazy } from './lazy-key-value.ts';
import { WireReader } from './wire.ts';

const keys = new KeyInterner();

/** The Span's attributes decoded one by one, the reference for the lazy reader. */
function decodeAll(bytes: Buffer): KeyValue[] {
  const out: KeyValue[] = [];
  const r = new WireReader(bytes);
  while (r.pos < r.end) {
    const t = r.tag();
    if (t !== TAG.Span.attributes) {
      r.skip(t & 7);
      continue;
    }
    const end = r.lenEnd();
    out.push(decodeKeyValue(bytes, r.pos, end));
    r.pos = end;
  }
  return out;
}

test('lazily read attributes equal fully decoded ones (key, value, raw), and cover their fields', () => {
  fc.assert(
    fc.property(arbAttributes, fc.string({ maxLength: 3 }), (attributes, name) => {
      const bytes = Buffer.from(Span.encode(Span.fromObject({ name, attributes })).finish());
      const out: KeyValue[] = [];
      const ranges: number[] = [];
      readKeyValuesLazy({ r: new WireReader(bytes), keys }, bytes, 0, bytes.length, TAG.Span.attributes, out, ranges);
      const full = ranges.length === 0 ? [] : decodeAll(bytes);
      assert.deepEqual(
        out.map((kv) => [kv.key, kv.value, kv.raw]),
        full.map((kv) => [kv.key, kv.value, kv.raw]),
      );
      let covered = 0;
      for (let i = 0; i < ranges.length; i += 2) covered += (ranges[i + 1] as number) - (ranges[i] as number);
      assert.equal(covered, bytes.length - (name === '' ? 0 : 2 + Buffer.byteLength(name)));
    }),
    { numRuns: 300 },
  );
});

test('a KeyValue laid out unusually (value first, long key) is read by the general path', () => {
  const key = 'k'.repeat(200);
  // KeyValue body: value { int 5 } then key (a 200-byte key has a two-byte length).
  const body = Buffer.concat([Buffer.from([0x12, 0x02, 0x18, 0x05, 0x0a, 0xc8, 0x01]), Buffer.from(key)]);
  const field = Buffer.concat([Buffer.from([0x4a, body.length, 0x01]), body]);
  const out: KeyValue[] = [];
  readKeyValuesLazy({ r: new WireReader(field), keys }, field, 0, field.length, TAG.Span.attributes, out, []);
  const [first] = out;
  assert.ok(first !== undefined);
  assert.equal(first.key, key);
  assert.deepEqual(first.value, { type: 'int', value: 5n });
});

test('the key table returns equal strings for ASCII, UTF-8 and colliding keys', () => {
  const t = new KeyInterner();
  for (const k of ['http.method', 'http.method', 'héllo', '', 'aXa', 'aYa', 'x'.repeat(100)]) {
    const b = Buffer.from(`_${k}_`);
    assert.equal(t.keyAt(b, 1, b.length - 1), k);
  }
});
