// The marking mode: chosen from the config (a trace store keeps incremental marking), overridable by
// the environment, and really applied to V8 (observed through the gc performance entries of a child).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config/load-config.ts';
import { registryOf, type ResolvedConfig } from '../config/types.ts';
import { BUILTIN_FACTORIES } from '../components/builtin.ts';
import { ALL_IN_ONE_CONFIG_YAML } from '../cli/all-in-one.ts';
import { GC_MODE_ENV, gcModeFor, invalidGcModeEnv } from './gc-mode.ts';

const FORWARDER = `
receivers: { otlp: { protocols: { grpc: { endpoint: 127.0.0.1:4317 } } } }
processors: { batch: {} }
exporters: { otlp: { endpoint: gateway:4317 } }
service:
  pipelines: { traces: { receivers: [otlp], processors: [batch], exporters: [otlp] } }
`;

async function load(yaml: string): Promise<ResolvedConfig> {
  const { config, issues } = await loadConfig({
    configs: [`yaml:${yaml}`],
    sets: [],
    registry: registryOf(BUILTIN_FACTORIES),
  });
  assert.ok(config, JSON.stringify(issues));
  return config;
}

test('a forwarder marks atomically; the all-in-one, which holds a trace store, keeps incremental marking', async () => {
  assert.equal(gcModeFor(await load(FORWARDER), {}).mode, 'atomic');
  const allInOne = gcModeFor(await load(ALL_IN_ONE_CONFIG_YAML), {});
  assert.equal(allInOne.mode, 'incremental');
  assert.match(allInOne.reason, /jaeger_storage/);
});

test(`${GC_MODE_ENV} overrides the choice; any other value is reported and ignored`, async () => {
  const forwarder = await load(FORWARDER);
  assert.equal(gcModeFor(forwarder, { [GC_MODE_ENV]: 'incremental' }).mode, 'incremental');
  assert.equal(gcModeFor(await load(ALL_IN_ONE_CONFIG_YAML), { [GC_MODE_ENV]: 'atomic' }).mode, 'atomic');
  assert.equal(gcModeFor(forwarder, { [GC_MODE_ENV]: 'fast' }).mode, 'atomic');
  assert.equal(invalidGcModeEnv({ [GC_MODE_ENV]: 'fast' }), 'fast');
  assert.equal(invalidGcModeEnv({ [GC_MODE_ENV]: 'atomic' }), undefined);
  assert.equal(invalidGcModeEnv({}), undefined);
});

// A child churns external memory as request bodies do, then reports the kinds of gc it saw.
const CHURN = `
const { PerformanceObserver, constants } = await import('node:perf_hooks');
const { applyGcMode } = await import(process.argv[1]);
applyGcMode(process.argv[2]);
const kinds = { major: 0, incremental: 0 };
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    if (e.detail.kind === constants.NODE_PERFORMANCE_GC_MAJOR) kinds.major++;
    if (e.detail.kind === constants.NODE_PERFORMANCE_GC_INCREMENTAL) kinds.incremental++;
  }
}).observe({ entryTypes: ['gc'] });
const held = [];
for (let round = 0; round < 200; round++) {
  for (let i = 0; i < 50; i++) {
    held.push(Buffer.allocUnsafe(300_000).fill(1));
    if (held.length > 64) held.shift();
    const young = [];
    for (let k = 0; k < 2000; k++) young.push({ k });
  }
  await new Promise((r) => setImmediate(r));
}
await new Promise((r) => setTimeout(r, 20));
console.log(JSON.stringify(kinds));
`;

function churn(mode: string): { major: number; incremental: number } {
  const modulePath = fileURLToPath(new URL('./gc-mode.ts', import.meta.url));
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHURN, modulePath, mode], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as { major: number; incremental: number };
}

test('atomic mode really stops incremental marking in V8: full collections happen, none incremental', () => {
  const atomic = churn('atomic');
  assert.ok(atomic.major > 0, JSON.stringify(atomic));
  assert.equal(atomic.incremental, 0);
  const incremental = churn('incremental');
  assert.ok(incremental.major > 0, JSON.stringify(incremental));
});
