import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { WireReader, WireError, varintSize, writeVarint } from './wire.ts';

test('varint round-trips for every safe integer size', () => {
  fc.assert(
    fc.property(fc.maxSafeNat(), (n) => {
      const buf = Buffer.alloc(10);
      const end = writeVarint(buf, 0, n);
      assert.equal(end, varintSize(n));
      const r = new WireReader(buf, 0, end);
      assert.equal(r.uint64Number(), n);
      assert.equal(r.pos, end);
    }),
  );
});

test('truncated varint and overlong length throw WireError', () => {
  assert.throws(() => new WireReader(Buffer.from([0x80])).uint32(), WireError);
  const r = new WireReader(Buffer.from([0x0a, 0x05, 0x01]));
  r.tag();
  assert.throws(() => r.lenEnd(), WireError);
});

test('tag rejects field 0 and wire types 6 and 7', () => {
  assert.throws(() => new WireReader(Buffer.from([0x02])).tag(), WireError);
  assert.throws(() => new WireReader(Buffer.from([0x0e])).tag(), WireError);
  assert.throws(() => new WireReader(Buffer.from([0x0f])).tag(), WireError);
  assert.equal(new WireReader(Buffer.from([0x0a])).tag(), 0x0a);
});
