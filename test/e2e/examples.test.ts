// The configs in examples/ are documentation: the runnable ones must validate cleanly, and the
// seed's two must report exactly what telegate does not have yet (and the seed's unused processor).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUILTIN_FACTORIES } from '../../src/components/builtin.ts';
import { loadConfig, registryOf } from '../../src/config/load-config.ts';

const registry = registryOf(BUILTIN_FACTORIES);
const root = new URL('../../examples/', import.meta.url).pathname;

async function issuesOf(file: string): Promise<string[]> {
  const { issues } = await loadConfig({ configs: [root + file], sets: [], registry, env: {} });
  return issues.map((i) => `${i.severity} ${i.path}: ${i.message}`);
}

for (const file of ['edge.yaml', 'gateway.yaml']) {
  test(`examples/${file} validates without a problem`, async () => {
    assert.deepEqual(await issuesOf(file), []);
  });
}

test('examples/seed/edge.yaml: only the components of later issues are missing; resource is unused, logging deprecated', async () => {
  const issues = await issuesOf('seed/edge.yaml');
  assert.deepEqual(issues.map((i) => i.split(':')[0]).sort(), [
    'error extensions.basicauth/client',
    'error processors.k8sattributes',
    'warning exporters.logging',
    'warning processors.resource',
  ]);
});

test('examples/seed/gateway.yaml: only basicauth is missing', async () => {
  const issues = await issuesOf('seed/gateway.yaml');
  assert.deepEqual(
    issues.map((i) => i.split(':')[0]),
    ['error extensions.basicauth/server'],
  );
});
