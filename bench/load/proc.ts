// Process and machine figures read from /proc (Linux): CPU ticks of a process (all threads, or its main
// thread alone: the event loop, without libuv's thread pool where zlib's async calls run), its peak
// RSS, per-CPU busy time (to see what else ran on the collector's core), and clock ticks per second.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc times (`getconf CLK_TCK`, 100 on Linux x86). */
export function clockTicks(): number {
  const n = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  return Number.isFinite(n) && n > 0 ? n : 100;
}

/** utime + stime of a process in ticks, summed over its threads (/proc/<pid>/stat fields 14 and 15). */
export function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; fields after it start at field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** utime + stime of a process's main thread in ticks (its task id is the pid): Node's event loop. */
export function mainThreadTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** A `Vm*` line of /proc/<pid>/status in bytes (VmHWM = peak resident set size). */
export function statusBytes(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}

/** Busy and steal ticks of one CPU from /proc/stat (busy excludes idle and iowait). */
export function cpuCoreTicks(cpu: number): { busy: number; steal: number } {
  const line = readFileSync('/proc/stat', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`cpu${cpu} `));
  if (line === undefined) return { busy: 0, steal: 0 };
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = v;
  return { busy: user + nice + system + irq + softirq, steal };
}

/** The CPU model name from /proc/cpuinfo. */
export function cpuModel(): string {
  const info = readFileSync('/proc/cpuinfo', 'utf8');
  return /^model name\s*:\s*(.+)$/m.exec(info)?.[1]?.trim() ?? 'unknown';
}
