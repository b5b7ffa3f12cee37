// readPartialSuccess against responses protobufjs writes, for every signal, and against malformed bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ResponseTypes } from '../../../../test/helpers/otlp-proto.ts';
import type { Signal } from '../../../contracts/signal.ts';
import { readPartialSuccess } from './partial-success.ts';

const REJECTED: Record<Signal, string> = {
  traces: 'rejectedSpans',
  metrics: 'rejectedDataPoints',
  logs: 'rejectedLogRecords',
};

function response(signal: Signal, partialSuccess: object | undefined): Buffer {
  const type = ResponseTypes[signal];
  const obj = partialSuccess === undefined ? {} : { partialSuccess };
  return Buffer.from(type.encode(type.fromObject(obj)).finish());
}

for (const signal of ['traces', 'metrics', 'logs'] as const) {
  test(`${signal}: the rejected count and message of partial_success`, () => {
    const bytes = response(signal, { [REJECTED[signal]]: 2 ** 40, errorMessage: 'too old' });
    assert.deepEqual(readPartialSuccess(signal, bytes), { rejected: 2 ** 40, message: 'too old' });
    assert.deepEqual(readPartialSuccess(signal, response(signal, { errorMessage: 'only a warning' })), {
      rejected: 0,
      message: 'only a warning',
    });
  });
}

test('no answer, an empty answer or an empty partial_success is a full success', () => {
  const none = { rejected: 0, message: '' };
  assert.deepEqual(readPartialSuccess('traces', undefined), none);
  assert.deepEqual(readPartialSuccess('traces', Buffer.alloc(0)), none);
  assert.deepEqual(readPartialSuccess('logs', response('logs', {})), none);
  assert.deepEqual(readPartialSuccess('logs', response('logs', undefined)), none);
});

test('malformed answers count as a full success; unknown fields are skipped', () => {
  const none = { rejected: 0, message: '' };
  assert.deepEqual(readPartialSuccess('traces', Buffer.from([0x0a, 0x05, 0x08])), none);
  assert.deepEqual(readPartialSuccess('traces', Buffer.from([0xff])), none);
  // unknown field 9 (varint 1), then partial_success { rejected 3, unknown field 5 (varint 0) }
  const bytes = Buffer.from([0x48, 0x01, 0x0a, 0x04, 0x08, 0x03, 0x28, 0x00]);
  assert.deepEqual(readPartialSuccess('metrics', bytes), { rejected: 3, message: '' });
});
