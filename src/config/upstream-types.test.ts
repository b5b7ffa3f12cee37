import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig, registryOf } from './load-config.ts';

test('a Go collector component telegate lacks is named as such, not as a misspelling', async () => {
  const { issues } = await loadConfig({
    configs: ['yaml:processors: {k8sattributes: {}, k8sattribute: {}}\nextensions: {basicauth/server: {}}'],
    sets: [],
    registry: registryOf([]),
  });
  const messages = issues.map((i) => `${i.path}: ${i.message}`);
  assert.ok(
    messages.includes(
      'processors.k8sattributes: `k8sattributes` is an OpenTelemetry Collector processor that telegate does not implement yet',
    ),
    messages.join('\n'),
  );
  assert.ok(
    messages.includes(
      'extensions.basicauth/server: `basicauth` is an OpenTelemetry Collector extension that telegate does not implement yet',
    ),
  );
  assert.ok(
    messages.some((m) => m.startsWith('processors.k8sattribute: unknown processor type')),
    'a type Go does not have stays unknown',
  );
});
