import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cgroupCpus, parseCpuMax, quotaCpus, usableCpus } from './cpus.ts';

test('cgroup v2 cpu.max: unlimited, whole and fractional quotas (rounded up)', () => {
  assert.equal(parseCpuMax('max 100000\n'), undefined);
  assert.equal(parseCpuMax('100000 100000\n'), 1);
  assert.equal(parseCpuMax('150000 100000'), 2);
  assert.equal(parseCpuMax('50000 100000'), 1);
  assert.equal(parseCpuMax('400000'), 4, 'the period defaults to 100 ms');
  assert.equal(parseCpuMax('garbage here'), undefined);
  assert.equal(parseCpuMax(''), undefined);
});

test('quotaCpus: v1 says -1 for no quota', () => {
  assert.equal(quotaCpus(-1, 100_000), undefined);
  assert.equal(quotaCpus(250_000, 100_000), 3);
  assert.equal(quotaCpus(100_000, 0), undefined);
});

test('cgroupCpus reads v2, else v1, else nothing', () => {
  const files = (map: Record<string, string>) => (path: string) => map[path];
  assert.equal(cgroupCpus(files({ '/sys/fs/cgroup/cpu.max': '200000 100000' })), 2);
  assert.equal(cgroupCpus(files({ '/sys/fs/cgroup/cpu.max': 'max 100000' })), undefined);
  const v1 = { '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '100000\n', '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000\n' };
  assert.equal(cgroupCpus(files(v1)), 1);
  assert.equal(cgroupCpus(files({ ...v1, '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '-1' })), undefined);
  assert.equal(cgroupCpus(files({})), undefined);
});

test('usableCpus is at least 1 and at most what the OS lets this process run on', async () => {
  const { availableParallelism } = await import('node:os');
  const n = usableCpus();
  assert.ok(n >= 1 && n <= availableParallelism());
});
