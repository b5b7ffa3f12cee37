// decode.ts / encode.ts against protobufjs: both directions equal the independent decoder's view.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeRequest, decodeMessage } from './decode.ts';
import { encodeRequest, encodeMessage, EncodeError } from './encode.ts';
import { WireError } from './wire.ts';
import * as proto from '../../test/helpers/otlp-proto.ts';
import { arbSignalRequest } from '../../test/helpers/otlp-arbitrary.ts';

test('decodeRequest equals the protobufjs decode of the same bytes', () => {
  fc.assert(
    fc.property(arbSignalRequest, ({ signal, request }) => {
      const bytes = proto.encodeRequest(signal, request);
      assert.deepEqual(decodeRequest(signal, bytes), proto.decodeRequest(signal, bytes));
    }),
    { numRuns: 150 },
  );
});

test('encodeRequest writes bytes protobufjs decodes back to the same object', () => {
  fc.assert(
    fc.property(arbSignalRequest, ({ signal, request }) => {
      const bytes = encodeRequest(signal, request as never);
      assert.deepEqual(proto.decodeRequest(signal, bytes), request);
      assert.deepEqual(decodeRequest(signal, bytes), request);
    }),
    { numRuns: 150 },
  );
});

test('negative int32, sint32 and sint64 values survive a round trip', () => {
  const point = { scale: -7, positive: { offset: -3, bucketCounts: ['1', '18446744073709551615'] } };
  const bytes = encodeMessage('ExponentialHistogramDataPoint', point);
  assert.deepEqual(decodeMessage('ExponentialHistogramDataPoint', bytes), point);
  const any = { stringValueStrindex: -1 };
  const anyBytes = encodeMessage('AnyValue', any);
  assert.equal(anyBytes.length, 11, 'a negative int32 is sign-extended to a 10-byte varint');
  assert.deepEqual(decodeMessage('AnyValue', anyBytes), any);
});

test('fields at their default are left out unless they have explicit presence', () => {
  assert.equal(encodeMessage('Span', { name: '', kind: 0, startTimeUnixNano: '0' }).length, 0);
  const withPresence = encodeMessage('HistogramDataPoint', { sum: 0 });
  assert.deepEqual(decodeMessage('HistogramDataPoint', withPresence), { sum: 0 });
  assert.deepEqual(decodeMessage('AnyValue', encodeMessage('AnyValue', { intValue: '0' })), { intValue: '0' });
});

test('decoding keeps the last oneof member and merges a repeated singular message', () => {
  const a = encodeMessage('AnyValue', { stringValue: 'a' });
  const b = encodeMessage('AnyValue', { intValue: '5' });
  assert.deepEqual(decodeMessage('AnyValue', Buffer.concat([a, b])), { intValue: '5' });
  const s1 = encodeMessage('Span', { status: { message: 'm' } });
  const s2 = encodeMessage('Span', { status: { code: 2 } });
  assert.deepEqual(decodeMessage('Span', Buffer.concat([s1, s2])), { status: { message: 'm', code: 2 } });
});

test('unpacked repeated scalars decode like packed ones', () => {
  // HistogramDataPoint.explicit_bounds (7, double) written unpacked: tag 0x39 + 8 bytes, twice.
  const one = Buffer.alloc(9);
  one[0] = 0x39;
  one.writeDoubleLE(1.5, 1);
  assert.deepEqual(decodeMessage('HistogramDataPoint', Buffer.concat([one, one])), { explicitBounds: [1.5, 1.5] });
});

test('malformed bytes throw WireError; impossible values throw EncodeError', () => {
  assert.throws(() => decodeRequest('traces', Buffer.from([0x0a, 0x05, 0x12])), WireError);
  assert.throws(() => decodeRequest('traces', Buffer.from([0x08, 0x01])), /wrong wire type/);
  assert.throws(() => encodeMessage('Span', { kind: 1.5 }), EncodeError);
  assert.throws(() => encodeMessage('Span', { startTimeUnixNano: '18446744073709551616' }), EncodeError);
  assert.throws(() => encodeMessage('Span', { attributes: 'x' }), EncodeError);
});
