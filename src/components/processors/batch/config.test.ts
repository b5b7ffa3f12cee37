import { test } from 'node:test';
import assert from 'node:assert/strict';
import { batchFactory } from './factory.ts';
import type { BatchConfig } from './config.ts';

const base: BatchConfig = {
  timeout: 200,
  send_batch_size: 8192,
  send_batch_max_size: 0,
  metadata_keys: [],
  metadata_cardinality_limit: 1000,
};
const validate = (over: Partial<BatchConfig>) => batchFactory.validate?.({ ...base, ...over }) ?? [];

test("the defaults are Go's and valid", () => {
  const props = (batchFactory.configSchema as any).properties;
  assert.equal(props.timeout.default, '200ms');
  assert.equal(props.send_batch_size.default, 8192);
  assert.equal(props.send_batch_max_size.default, 0);
  assert.equal(props.metadata_cardinality_limit.default, 1000);
  for (const [k, v] of Object.entries(props as Record<string, { description?: string }>)) assert.ok(v.description, k);
  assert.deepEqual(validate({}), []);
  assert.deepEqual(batchFactory.stability, { traces: 'beta', metrics: 'beta', logs: 'beta' });
});

test('send_batch_max_size must be 0 or at least send_batch_size', () => {
  assert.deepEqual(validate({ send_batch_size: 100, send_batch_max_size: 99 }), [
    ['send_batch_max_size', 'send_batch_max_size must be greater or equal to send_batch_size'],
  ]);
  assert.deepEqual(validate({ send_batch_size: 100, send_batch_max_size: 100 }), []);
  assert.deepEqual(validate({ send_batch_size: 100, send_batch_max_size: 0 }), []);
});

test('metadata_keys must not repeat, ignoring case', () => {
  assert.deepEqual(validate({ metadata_keys: ['Tenant', 'tenant'] }), [
    ['metadata_keys', 'duplicate entry in metadata_keys: "tenant" (case-insensitive)'],
  ]);
});

test('timeout must not be negative', () => {
  assert.deepEqual(validate({ timeout: -1 }), [['timeout', 'timeout must be greater or equal to 0']]);
});
