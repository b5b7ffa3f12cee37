// The machine's memory as Go's memory limiter sees it (internal/iruntime TotalMemory): the cgroup's
// memory limit when the process runs in one (v2 memory.max, else v1 memory.limit_in_bytes), capped
// by the physical memory; "no limit" (v2 `max`, v1's huge sentinel) means the physical memory.
import { readFileSync } from 'node:fs';
import { totalmem } from 'node:os';

const CGROUP_V2 = '/sys/fs/cgroup/memory.max';
const CGROUP_V1 = '/sys/fs/cgroup/memory/memory.limit_in_bytes';

/** A cgroup limit in bytes from a limit file's text, or undefined for "no limit" / unreadable. */
export function parseCgroupLimit(text: string | undefined): number | undefined {
  const value = text?.trim();
  if (value === undefined || value === '' || value === 'max' || !/^\d+$/.test(value)) return undefined;
  const bytes = Number(value);
  return Number.isSafeInteger(bytes) ? bytes : undefined; // v1's "unlimited" is 2^63 − page size
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Bytes of memory this process may use: min(physical, cgroup limit). */
export function machineMemoryBytes(read: (path: string) => string | undefined = readOrUndefined): number {
  const physical = totalmem();
  const cgroup = parseCgroupLimit(read(CGROUP_V2)) ?? parseCgroupLimit(read(CGROUP_V1));
  return cgroup === undefined ? physical : Math.min(physical, cgroup);
}
