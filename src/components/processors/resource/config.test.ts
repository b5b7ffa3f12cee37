import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testSettings, RecordingConsumer } from '../../../../test/helpers/fakes.ts';
import { resourceFactory } from './factory.ts';
import type { ResourceConfig } from './config.ts';

const validate = (cfg: ResourceConfig) => resourceFactory.validate?.(cfg) ?? [];

test('attributes is required, as in Go', () => {
  assert.deepEqual(validate({ attributes: [] }), [['attributes', 'missing required field "attributes"']]);
});

test("each invalid action is reported at its index with Go's message", () => {
  assert.deepEqual(
    validate({
      attributes: [
        { key: 'a', action: 'insert', value: 'v' },
        { key: 'b', action: 'explode' },
      ],
    }),
    [['attributes[1]', 'error creating AttrProc due to unsupported action "explode" at the 1-th actions']],
  );
});

test('a valid config passes; create refuses an invalid one with a coded error', () => {
  assert.deepEqual(validate({ attributes: [{ key: 'env', action: 'upsert', value: 'prod' }] }), []);
  assert.throws(
    () =>
      resourceFactory.create(
        testSettings('processor', 'resource/x'),
        { attributes: [{ action: 'insert' }] },
        'traces',
        new RecordingConsumer(),
      ),
    /error creating "resource\/x" processor: error creating AttrProc due to missing required field "key"/,
  );
});

test("the factory declares Go's type and stability, and every schema property has a description", () => {
  assert.equal(resourceFactory.type, 'resource');
  assert.deepEqual(resourceFactory.stability, { traces: 'beta', metrics: 'beta', logs: 'beta' });
  const attributes = (resourceFactory.configSchema as any).properties.attributes;
  assert.ok(attributes.description);
  for (const [k, v] of Object.entries(attributes.items.properties as Record<string, { description?: string }>))
    assert.ok(v.description, k);
});
