// memory_limiter config: Go's defaults and messages, the limits it computes, and every bad input
// reported at validate with its YAML path and line (through the real config loader).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, registryOf } from '../../../config/load-config.ts';
import { BUILTIN_FACTORIES } from '../../builtin.ts';
import { memoryLimitsOf, validateMemoryLimiterConfig, type MemoryLimiterConfig } from './config.ts';
import { machineMemoryBytes, parseCgroupLimit } from './machine-memory.ts';

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;
const base: MemoryLimiterConfig = {
  check_interval: 1000,
  limit_mib: 0,
  spike_limit_mib: 0,
  limit_percentage: 0,
  spike_limit_percentage: 0,
  min_gc_interval_when_soft_limited: 10_000,
  min_gc_interval_when_hard_limited: 0,
};
const validate = (over: Partial<MemoryLimiterConfig>) => validateMemoryLimiterConfig({ ...base, ...over }, 4 * GIB);

test('the rules and their messages, one row each', () => {
  const rows: [Partial<MemoryLimiterConfig>, string[]][] = [
    [{ limit_mib: 1000 }, []],
    [{ limit_mib: 1000, spike_limit_mib: 200 }, []],
    [{ limit_percentage: 80, spike_limit_percentage: 20 }, []],
    [{ limit_percentage: 80 }, []],
    [{ check_interval: 0, limit_mib: 100 }, ["check_interval: 'check_interval' must be greater than zero"]],
    [{}, ["limit_mib: 'limit_mib' or 'limit_percentage' must be greater than zero"]],
    [{ limit_mib: 5000 }, ["limit_mib: 'limit_mib' (5000) is above the machine's memory (4096 MiB)"]],
    [{ limit_mib: 100, spike_limit_mib: 100 }, ["spike_limit_mib: 'spike_limit_mib' must be smaller than 'limit_mib'"]],
    [
      { limit_percentage: 50, spike_limit_percentage: 50 },
      ["spike_limit_percentage: 'spike_limit_percentage' must be smaller than 'limit_percentage'"],
    ],
    [
      { limit_percentage: 101 },
      [
        "limit_percentage: 'limit_percentage' and 'spike_limit_percentage' must be greater than zero and less than or equal to hundred",
      ],
    ],
    [
      { limit_mib: 100, min_gc_interval_when_soft_limited: 0, min_gc_interval_when_hard_limited: 1 },
      [
        "min_gc_interval_when_soft_limited: 'min_gc_interval_when_soft_limited' should be larger than 'min_gc_interval_when_hard_limited'",
      ],
    ],
  ];
  for (const [over, expected] of rows)
    assert.deepEqual(
      validate(over).map(([p, m]) => `${p}: ${m}`),
      expected,
      JSON.stringify(over),
    );
});

test('limits: limit_mib wins; the spike defaults to 20 %; percentages are of the machine memory', () => {
  assert.deepEqual(memoryLimitsOf({ ...base, limit_mib: 100, limit_percentage: 50 }, 4 * GIB), {
    hardBytes: 100 * MIB,
    spikeBytes: 20 * MIB,
    softBytes: 80 * MIB,
  });
  assert.deepEqual(memoryLimitsOf({ ...base, limit_mib: 100, spike_limit_mib: 30 }, 4 * GIB).softBytes, 70 * MIB);
  assert.deepEqual(memoryLimitsOf({ ...base, limit_percentage: 50, spike_limit_percentage: 10 }, 4 * GIB), {
    hardBytes: 2 * GIB,
    spikeBytes: Math.floor(0.4 * GIB),
    softBytes: 2 * GIB - Math.floor(0.4 * GIB),
  });
});

test('the machine memory is the cgroup limit (v2, then v1) when below the physical memory', () => {
  assert.equal(parseCgroupLimit('max\n'), undefined);
  assert.equal(parseCgroupLimit('9223372036854771712\n'), undefined, "v1's unlimited sentinel");
  assert.equal(parseCgroupLimit('536870912\n'), 512 * MIB);
  assert.equal(parseCgroupLimit(undefined), undefined);
  const files = (v2?: string, v1?: string) => (path: string) => (path.endsWith('memory.max') ? v2 : v1);
  assert.equal(machineMemoryBytes(files('536870912', '1073741824')), 512 * MIB);
  assert.equal(machineMemoryBytes(files('max', '1073741824')), GIB);
  assert.ok(machineMemoryBytes(files(undefined, '9223372036854771712')) > 0);
  assert.ok(machineMemoryBytes(files('1' + '0'.repeat(15))) < 1e15, 'capped by the physical memory');
});

test('a bad memory_limiter is reported at validate with its YAML path and line', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'tg-ml-')), 'c.yaml');
  writeFileSync(
    file,
    `receivers:
  otlp:
    protocols: { grpc: { endpoint: 127.0.0.1:0 } }
processors:
  memory_limiter:
    check_interval: 1s
    limit_mib: 100
    spike_limit_mib: 150
exporters:
  debug:
service:
  pipelines:
    traces: { receivers: [otlp], processors: [memory_limiter], exporters: [debug] }
`,
  );
  const { issues } = await loadConfig({ configs: [file], sets: [], registry: registryOf(BUILTIN_FACTORIES) });
  const errors = issues.filter((i) => i.severity === 'error');
  assert.equal(errors.length, 1);
  const [error] = errors;
  assert.ok(error);
  assert.equal(error.path, 'processors.memory_limiter.spike_limit_mib');
  assert.equal(error.source?.line, 8);
  assert.match(error.message, /'spike_limit_mib' must be smaller than 'limit_mib'/);
});
