// Child processes of the benchmark: spawned pinned to a CPU with `taskset`, their stdout/stderr read as
// lines (JSON lines become events), waited on by event with a time bound, and always killed at the end.
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';

/** A running child and what it printed. */
export interface Child {
  readonly name: string;
  readonly proc: ChildProcess;
  readonly pid: number;
  /** The command line, for "reproduce" output. */
  readonly command: string;
  /** The last output lines, shown when something fails. */
  readonly tail: string[];
  exited: boolean;
  listeners: Set<(line: string, event: Record<string, unknown> | undefined) => void>;
}

const TAIL_LINES = 40;
const live = new Set<Child>();

function parseEvent(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const v: unknown = JSON.parse(line);
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Starts `node <args>` pinned to `cpu` (taskset execs node, so the pid is node's own). */
export function spawnPinned(name: string, cpu: number, nodeArgs: readonly string[], cwd: string): Child {
  const argv = ['-c', String(cpu), process.execPath, ...nodeArgs];
  const proc = spawn('taskset', argv, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  if (proc.pid === undefined) throw new Error(`could not start ${name}`);
  const child: Child = {
    name,
    proc,
    pid: proc.pid,
    command: `taskset ${argv.join(' ').replace(process.execPath, 'node')}`,
    tail: [],
    exited: false,
    listeners: new Set(),
  };
  live.add(child);
  const onLine = (line: string): void => {
    child.tail.push(line);
    if (child.tail.length > TAIL_LINES) child.tail.shift();
    const event = parseEvent(line);
    for (const l of [...child.listeners]) l(line, event);
  };
  createInterface({ input: proc.stdout }).on('line', onLine);
  createInterface({ input: proc.stderr }).on('line', onLine);
  proc.stdin.on('error', () => undefined); // the child may exit before reading
  proc.on('exit', () => {
    child.exited = true;
    live.delete(child);
    for (const l of [...child.listeners]) l('', undefined);
  });
  return child;
}

function failure(child: Child, why: string): Error {
  return new Error(`${child.name} (${child.command}): ${why}\n  last output:\n    ${child.tail.join('\n    ')}`);
}

/** Resolves with the first output line for which `match` returns a value; rejects on exit or timeout. */
export function waitFor<T>(
  child: Child,
  timeoutMs: number,
  match: (line: string, event: Record<string, unknown> | undefined) => T | undefined,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const done = (): void => {
      clearTimeout(timer);
      child.listeners.delete(listener);
    };
    const listener = (line: string, event: Record<string, unknown> | undefined): void => {
      if (child.exited) {
        done();
        reject(failure(child, `exited with ${String(child.proc.exitCode ?? child.proc.signalCode)}`));
        return;
      }
      const v = match(line, event);
      if (v !== undefined) {
        done();
        resolve(v);
      }
    };
    const timer = setTimeout(() => {
      done();
      reject(failure(child, `no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    child.listeners.add(listener);
    if (child.exited) listener('', undefined);
  });
}

/** Waits for the JSON line `{"event": name, ...}`. */
export function waitForEvent(child: Child, name: string, timeoutMs: number): Promise<Record<string, unknown>> {
  return waitFor(child, timeoutMs, (_line, event) => (event?.event === name ? event : undefined));
}

/** Sends a command line and waits for the event that answers it. */
export function ask(
  child: Child,
  command: string,
  answer: string,
  timeoutMs: number,
): Promise<Record<string, unknown>> {
  const waiting = waitForEvent(child, answer, timeoutMs);
  child.proc.stdin?.write(command + '\n');
  return waiting;
}

/** Resolves once a TCP connection to 127.0.0.1:port succeeds (one attempt). */
export function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      resolve(false);
    });
  });
}

/** Stops a child: SIGTERM, then SIGKILL after `graceMs`; resolves when it has exited. */
export function stopChild(child: Child, graceMs = 3000): Promise<void> {
  if (child.exited) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.proc.kill('SIGKILL'), graceMs);
    child.proc.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.proc.kill('SIGTERM');
  });
}

/** Stops every child still running. */
export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((c) => stopChild(c)));
}

/** Synchronous last resort (process 'exit', signals): SIGKILL every child still running, by pid. */
export function killAllNow(): void {
  for (const c of live) c.proc.kill('SIGKILL');
}
