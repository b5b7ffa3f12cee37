import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { AnyValue } from '../../pdata/attributes.ts';
import { anyValueString } from '../store/tag-hash.ts';
import { tagValueString, toJaegerKeyValue } from './values.ts';

const { value: arbValue } = fc.letrec<{ value: AnyValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string().map((value): AnyValue => ({ type: 'string', value })),
    fc.boolean().map((value): AnyValue => ({ type: 'bool', value })),
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((value): AnyValue => ({ type: 'int', value })),
    fc.double().map((value): AnyValue => ({ type: 'double', value })),
    fc.uint8Array({ maxLength: 8 }).map((b): AnyValue => ({ type: 'bytes', value: Buffer.from(b) })),
    fc.constant<AnyValue>({ type: 'empty' }),
    fc.array(tie('value'), { maxLength: 3 }).map((value): AnyValue => ({ type: 'array', value })),
    fc
      .array(fc.record({ key: fc.string(), value: tie('value') }), { maxLength: 3 })
      .map((value): AnyValue => ({ type: 'kvlist', value })),
  ),
}));

test("the store's tag string of a value is what a search compares the Jaeger tag with", () => {
  fc.assert(
    fc.property(arbValue, (v) => {
      assert.equal(anyValueString(v), tagValueString(toJaegerKeyValue('k', v)));
    }),
    { numRuns: 500 },
  );
});
