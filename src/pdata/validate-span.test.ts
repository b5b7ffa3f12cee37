// The Span fast path (validate-span.ts) against the generic decoder: it stops only on field boundaries,
// takes only what decodeMessage accepts with valid id sizes, and malformed fields after fast-path fields
// are still reported by the generic walk with the field and offset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { skipField, skipSpan } from './validate-span.ts';
import { validateRequest } from './validate.ts';
import { decodeMessage } from './decode.ts';
import { WireError } from './wire.ts';

function varint(n: number): number[] {
  const out: number[] = [];
  for (; n > 0x7f; n >>>= 7) out.push((n & 0x7f) | 0x80);
  out.push(n);
  return out;
}
const field = (tag: number, body: readonly number[]): number[] => [tag, ...varint(body.length), ...body];
const text = (n: number): number[] => new Array<number>(n).fill(0x61);
const envelope = (span: number[]): Buffer => Buffer.from(field(0x0a, field(0x12, field(0x12, span))));

// Span pieces around the shapes the fast path takes: one- and two-byte lengths, scalar and array
// values, ids of right and wrong sizes, events, links, status, flags, and a few broken or stray bytes.
const arbLength = fc.constantFrom(0, 1, 8, 16, 17, 127, 128, 300);
const arbScalar = fc.oneof(
  arbLength.map((n) => field(0x0a, text(n))),
  fc.constantFrom(
    [0x18, 0xc8, 0x01],
    [0x10, 0x01],
    [0x21, 1, 2, 3, 4, 5, 6, 7, 8],
    [0x21, 1],
    [0x18],
    [0x40, 0x02],
    [],
  ),
);
const arbValue = fc.oneof(
  { weight: 3, arbitrary: arbScalar },
  {
    weight: 1, // an array_value; elements under other tags (unknown, or a group) are not array elements
    arbitrary: fc
      .tuple(fc.array(arbScalar, { maxLength: 3 }), fc.constantFrom(0x0a, 0x0a, 0x12, 0x0b))
      .map(([vs, tag]) =>
        field(
          0x2a,
          vs.flatMap((v) => field(tag, v)),
        ),
      ),
  },
);
const arbKeyValue = fc
  .tuple(arbLength, arbValue, fc.boolean())
  .map(([k, v, swap]) =>
    swap ? [...field(0x12, v), ...field(0x0a, text(k))] : [...field(0x0a, text(k)), ...field(0x12, v)],
  );
const arbSpanField = fc.oneof(
  { weight: 5, arbitrary: arbKeyValue.map((kv) => field(0x4a, kv)) },
  { weight: 1, arbitrary: fc.constantFrom(0, 15, 16).map((n) => field(0x0a, text(n))) },
  { weight: 1, arbitrary: fc.constantFrom(0, 8, 9).map((n) => field(0x12, text(n))) },
  { weight: 1, arbitrary: arbLength.map((n) => field(0x2a, text(n))) },
  {
    weight: 1,
    arbitrary: fc.constantFrom([0x30, 0x02], [0x39, 1, 2, 3, 4, 5, 6, 7, 8], [0x85, 0x01, 1, 2, 3, 4], [0x50]),
  },
  { weight: 1, arbitrary: arbKeyValue.map((kv) => field(0x5a, [0x09, 1, 2, 3, 4, 5, 6, 7, 8, ...field(0x1a, kv)])) },
  { weight: 1, arbitrary: arbKeyValue.map((kv) => field(0x6a, [...field(0x0a, text(16)), ...field(0x22, kv)])) },
  { weight: 1, arbitrary: fc.constantFrom(field(0x7a, [0x18, 0x02]), field(0x7a, [0x1a, 0x00]), [0x7a, 0x05, 0x18]) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 4 }).map((a) => Array.from(a)) },
);
const arbSpanBody = fc.array(arbSpanField, { maxLength: 12 }).map((fs) => Buffer.from(fs.flat()));

function hasValidIds(span: Record<string, unknown>): boolean {
  const size = (k: string, n: number) => {
    const v = span[k];
    return v === undefined || (Buffer.isBuffer(v) && (v.length === 0 || v.length === n));
  };
  return size('traceId', 16) && size('spanId', 8) && size('parentSpanId', 8);
}

test('skipSpan stops on a field boundary and takes only what the decoder accepts', () => {
  fc.assert(
    fc.property(arbSpanBody, (body) => {
      const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
      const stop = skipSpan(body, view, 0, body.length);
      let at = 0;
      while (at < stop) at = skipField(body, at, body.length);
      assert.equal(at, stop, 'a field boundary');
      assert.ok(hasValidIds(decodeMessage('Span', body.subarray(0, stop))));
    }),
    { numRuns: 1000 },
  );
});

test('validateRequest accepts a span only when the decoder does, and refuses with WireError otherwise', () => {
  fc.assert(
    fc.property(arbSpanBody, (body) => {
      const req = envelope(Array.from(body));
      let count: number | undefined;
      try {
        count = validateRequest('traces', req);
      } catch (e) {
        assert.ok(e instanceof WireError && /offset \d+/.test(e.message), String(e));
      }
      if (count !== undefined) {
        assert.equal(count, 1);
        assert.ok(hasValidIds(decodeMessage('Span', body)));
      }
    }),
    { numRuns: 1000 },
  );
});

test('a broken field after fast-path fields is reported with its field and absolute offset', () => {
  const attribute = field(0x4a, [...field(0x0a, text(3)), ...field(0x12, field(0x0a, text(5)))]);
  const head = [...field(0x0a, text(16)), ...attribute, ...attribute];
  const broken = [...field(0x0a, text(1)), ...field(0x12, [0x0a, 0x09, 0x61])]; // string_value runs past
  const req = envelope([...head, ...field(0x4a, broken)]);
  const valueOffset = req.length - 3; // the value's AnyValue is the last three bytes
  assert.throws(() => validateRequest('traces', req), {
    message: `invalid AnyValue.string_value at offset ${valueOffset}: length 9 runs past the end`,
  });
  assert.throws(
    () => validateRequest('traces', envelope([...head, ...field(0x12, text(7))])),
    /Span.span_id .*an id of 7 bytes/,
  );
});

test('an array attribute, long values, flags and links keep the span on the fast path', () => {
  const array = field(0x2a, [...field(0x0a, field(0x0a, text(1))), ...field(0x0a, [0x18, 0x05])]);
  const span = Buffer.from([
    ...field(0x0a, text(16)),
    ...[0x85, 0x01, 1, 0, 0, 0],
    ...field(0x4a, [...field(0x0a, text(4)), ...field(0x12, array)]),
    ...field(0x4a, [...field(0x0a, text(12)), ...field(0x12, field(0x0a, text(300)))]),
    ...field(0x6a, [...field(0x0a, text(16)), ...field(0x12, text(8)), 0x35, 1, 0, 0, 0]),
  ]);
  const view = new DataView(span.buffer, span.byteOffset, span.byteLength);
  assert.equal(skipSpan(span, view, 0, span.length), span.length);
  assert.equal(validateRequest('traces', envelope(Array.from(span))), 1);
});
