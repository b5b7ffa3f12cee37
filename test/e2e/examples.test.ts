// The configs in examples/ are documentation: the runnable ones must validate cleanly, and the
// seed's two must report exactly what the seed itself gets wrong (its unused processor, the deprecated
// `logging` exporter), and nothing else.
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

for (const file of ['edge.yaml', 'edge-persistent.yaml', 'gateway.yaml', 'seed/backend-local.yaml']) {
  test(`examples/${file} validates without a problem`, async () => {
    assert.deepEqual(await issuesOf(file), []);
  });
}

test('examples/seed/edge.yaml: resource is unused, logging deprecated; nothing else', async () => {
  const issues = await issuesOf('seed/edge.yaml');
  assert.deepEqual(issues.map((i) => i.split(':')[0]).sort(), [
    'warning exporters.logging',
    'warning processors.resource',
  ]);
});

test('examples/seed/gateway.yaml validates as written', async () => {
  assert.deepEqual(await issuesOf('seed/gateway.yaml'), []);
});

for (const [base, overlay] of [
  ['seed/edge.yaml', 'seed/edge-local.yaml'],
  ['seed/gateway.yaml', 'seed/gateway-local.yaml'],
] as const) {
  test(`examples/${overlay} over ${base}: no error, the resource processor is used`, async () => {
    const { issues } = await loadConfig({ configs: [root + base, root + overlay], sets: [], registry, env: {} });
    // ca.pem is made by whoever runs the overlay (the seed e2e test writes one); logging stays deprecated.
    const left = issues.filter((i) => !i.message.includes('ca.pem') && i.path !== 'exporters.logging');
    assert.deepEqual(
      left.map((i) => `${i.severity} ${i.path}: ${i.message}`),
      [],
    );
  });
}
