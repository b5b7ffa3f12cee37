// Runs the demo's processes: each a `telegate` child (this same program, run again with other
// arguments), its output kept in logs/<name>.log and passed on line by line; started in order, each
// waited for until ready, and stopped in reverse order — upstream first, so in-flight data drains.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** How long a child may take to become ready, and to exit after SIGTERM before it is killed. */
const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;
/** Output lines kept per child for a failure message. */
const TAIL_LINES = 6;

interface Running {
  readonly name: string;
  readonly child: ChildProcess;
  readonly log: WriteStream;
  readonly exited: Promise<number | null>;
  stopping: boolean;
}

/** Called with each output line of a child. */
export type LineHandler = (name: string, line: string) => void;
/** Called when a child exits while the demo is not stopping it. */
export type ExitHandler = (name: string, code: number | null, signal: NodeJS.Signals | null) => void;

/** The demo's child processes. */
export class Supervisor {
  private readonly logDir: string;
  private readonly onLine: LineHandler;
  private readonly onExit: ExitHandler;
  private readonly running: Running[] = [];

  constructor(logDir: string, onLine: LineHandler, onExit: ExitHandler) {
    this.logDir = logDir;
    this.onLine = onLine;
    this.onExit = onExit;
  }

  /** Starts `telegate ...args` as `name` and resolves once a line matches `ready` (at once without one). */
  async start(name: string, args: readonly string[], ready?: RegExp): Promise<void> {
    const script = process.argv[1] ?? '';
    // A process group of its own: Ctrl-C on a terminal reaches only the demo, which then stops the
    // children in order (generators first, so the collectors drain what is in flight).
    const child = spawn(process.execPath, [...process.execArgv, script, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: process.env,
      detached: true,
    });
    const log = createWriteStream(join(this.logDir, `${name}.log`), { flags: 'a' });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const entry: Running = { name, child, log, exited, stopping: false };
    child.once('exit', (code, signal) => {
      if (!entry.stopping) this.onExit(name, code, signal);
    });
    this.running.push(entry);
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new Error(`${name} did not become ready within ${READY_TIMEOUT_MS / 1000} s; see ${log.path.toString()}`),
        );
      }, READY_TIMEOUT_MS);
      timer.unref();
      const tail: string[] = [];
      const onLine = (line: string): void => {
        log.write(line + '\n');
        tail.push(line);
        if (tail.length > TAIL_LINES) tail.shift();
        this.onLine(name, line);
        if (ready?.test(line) === true) {
          clearTimeout(timer);
          resolve();
        }
      };
      createInterface({ input: child.stdout }).on('line', onLine);
      createInterface({ input: child.stderr }).on('line', onLine);
      if (ready === undefined) {
        clearTimeout(timer);
        resolve();
      }
      void exited.then((code) => {
        clearTimeout(timer);
        const last = tail.map((l) => `\n    ${l}`).join('');
        reject(
          new Error(`${name} exited (code ${String(code)}) before it was ready; see ${log.path.toString()}${last}`),
        );
      });
    });
  }

  /** From now on, children that exit are expected to (no exit handler call). */
  beginStop(): void {
    for (const entry of this.running) entry.stopping = true;
  }

  /** Stops every child, the last started first; each gets SIGTERM, then SIGKILL after a grace period. */
  async stopAll(): Promise<void> {
    for (const entry of [...this.running].reverse()) await this.stop(entry);
    this.running.length = 0;
  }

  /** Kills every child at once (the process is exiting and cannot wait). */
  killAll(): void {
    for (const entry of this.running) {
      entry.stopping = true;
      entry.child.kill('SIGKILL');
    }
  }

  private async stop(entry: Running): Promise<void> {
    entry.stopping = true;
    if (entry.child.exitCode === null && entry.child.signalCode === null) {
      entry.child.kill('SIGTERM');
      const timer = setTimeout(() => entry.child.kill('SIGKILL'), STOP_GRACE_MS);
      await entry.exited;
      clearTimeout(timer);
    }
    await new Promise<void>((resolve) => entry.log.end(resolve));
  }
}
