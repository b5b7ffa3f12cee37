// google.rpc.Status / RetryInfo encoding checked against protobufjs built from the .proto text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import protobuf from 'protobufjs';
import fc from 'fast-check';
import {
  RETRY_INFO_TYPE_URL,
  decodeRetryAfterMs,
  decodeStatusDetails,
  encodeStatusDetails,
  statusDetailsJson,
} from './grpc-status-details.ts';

const root = protobuf.parse(`
syntax = "proto3";
package google.rpc;
message Any { string type_url = 1; bytes value = 2; }
message Duration { int64 seconds = 1; int32 nanos = 2; }
message Status { int32 code = 1; string message = 2; repeated Any details = 3; }
message RetryInfo { Duration retry_delay = 1; }
`).root;
const Status = root.lookupType('google.rpc.Status');
const RetryInfo = root.lookupType('google.rpc.RetryInfo');

interface DecodedStatus {
  code?: number;
  message?: string;
  details?: { typeUrl: string; value: Uint8Array }[];
}

test('encodeStatusDetails is read by protobufjs as Status{code, message, [RetryInfo]}', () => {
  const bin = encodeStatusDetails(14, 'queue is full ✓', 2500);
  const st = Status.toObject(Status.decode(bin), { longs: Number }) as DecodedStatus;
  assert.equal(st.code, 14);
  assert.equal(st.message, 'queue is full ✓');
  const any = st.details?.[0];
  assert.equal(st.details?.length, 1);
  assert.ok(any);
  assert.equal(any.typeUrl, RETRY_INFO_TYPE_URL);
  const ri = RetryInfo.toObject(RetryInfo.decode(any.value), { longs: Number }) as {
    retryDelay: { seconds?: number; nanos?: number };
  };
  assert.deepEqual(ri.retryDelay, { seconds: 2, nanos: 500_000_000 });
});

test('without a delay there is no detail, and code 0 / empty message are omitted (proto3 defaults)', () => {
  assert.deepEqual(Status.toObject(Status.decode(encodeStatusDetails(3, 'bad'))), { code: 3, message: 'bad' });
  assert.equal(encodeStatusDetails(0, '').length, 0);
});

test('decodeStatusDetails reads what protobufjs writes, including a zero delay and foreign details', () => {
  const retry = RetryInfo.encode(RetryInfo.fromObject({ retryDelay: { seconds: 0, nanos: 0 } })).finish();
  const bin = Status.encode(
    Status.fromObject({
      code: 8,
      message: 'slow down',
      details: [
        { typeUrl: 'type.googleapis.com/google.rpc.ErrorInfo', value: Buffer.from([0x0a, 0x01, 0x78]) },
        { typeUrl: RETRY_INFO_TYPE_URL, value: retry },
      ],
    }),
  ).finish();
  assert.deepEqual(decodeStatusDetails(Buffer.from(bin)), { code: 8, message: 'slow down', retryAfterMs: 0 });
});

test('decodeRetryAfterMs: undefined when there is no RetryInfo or the bytes are malformed', () => {
  assert.equal(decodeRetryAfterMs(encodeStatusDetails(14, 'x')), undefined);
  assert.equal(decodeRetryAfterMs(Buffer.from([0x1a, 0x05, 0x0a])), undefined);
  assert.equal(decodeRetryAfterMs(Buffer.from('garbage!')), undefined);
});

test('property: retry delay round-trips at millisecond precision', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 14 }),
      fc.string(),
      fc.integer({ min: 0, max: 10 ** 10 }),
      (code, msg, ms) => {
        const d = decodeStatusDetails(encodeStatusDetails(code, msg, ms));
        assert.deepEqual(d, { code, message: msg, retryAfterMs: ms });
        assert.equal(decodeRetryAfterMs(encodeStatusDetails(code, msg, ms)), ms);
      },
    ),
  );
});

test('statusDetailsJson is protojson of the same Status', () => {
  assert.deepEqual(JSON.parse(statusDetailsJson(14, 'busy', 1500)), {
    code: 14,
    message: 'busy',
    details: [{ '@type': RETRY_INFO_TYPE_URL, retryDelay: '1.500s' }],
  });
  assert.deepEqual(JSON.parse(statusDetailsJson(3, 'bad')), { code: 3, message: 'bad' });
  assert.equal(JSON.parse(statusDetailsJson(14, 'x', 3000)).details[0].retryDelay, '3s');
});
