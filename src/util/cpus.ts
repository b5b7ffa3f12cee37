// How many CPUs this process can use at once: the CPUs it may run on (affinity: `taskset`, a cpuset)
// bounded by its CPU quota (a cgroup's `cpu.max`, what a Kubernetes `limits.cpu` becomes). Work handed to
// libuv's thread pool runs in parallel with the event loop only when this is 2 or more; with one CPU the
// hand-off is pure cost (bench/README.md, "gzip on the loop").
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** The CPUs a quota of `quota` µs per `period` µs amounts to, rounded up; undefined when unlimited or unreadable. */
export function quotaCpus(quota: number, period: number): number | undefined {
  if (!Number.isFinite(quota) || !Number.isFinite(period) || quota <= 0 || period <= 0) return undefined;
  return Math.max(1, Math.ceil(quota / period));
}

/** cgroup v2 `cpu.max` ("max 100000" or "150000 100000") as CPUs; undefined when unlimited or malformed. */
export function parseCpuMax(text: string): number | undefined {
  const [quota, period] = text.trim().split(/\s+/);
  if (quota === undefined || quota === 'max') return undefined;
  return quotaCpus(Number(quota), Number(period ?? 100_000));
}

function readOr(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The CPU quota of this process's cgroup (v2, then v1), in CPUs; undefined when there is none. */
export function cgroupCpus(read: (path: string) => string | undefined = readOr): number | undefined {
  const v2 = read('/sys/fs/cgroup/cpu.max');
  if (v2 !== undefined) return parseCpuMax(v2);
  const quota = read('/sys/fs/cgroup/cpu/cpu.cfs_quota_us');
  const period = read('/sys/fs/cgroup/cpu/cpu.cfs_period_us');
  if (quota === undefined || period === undefined) return undefined;
  return quotaCpus(Number(quota.trim()), Number(period.trim()));
}

let cached: number | undefined;

/** The CPUs this process can use at once (at least 1), read once. */
export function usableCpus(): number {
  if (cached === undefined) {
    const quota = process.platform === 'linux' ? cgroupCpus() : undefined;
    cached = Math.max(1, Math.min(availableParallelism(), quota ?? Number.POSITIVE_INFINITY));
  }
  return cached;
}
