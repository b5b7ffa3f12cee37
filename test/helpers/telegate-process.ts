// Starts the telegate CLI as a child process for end-to-end tests, waits for it to be ready by
// reading its log (no sleeps), and makes sure it is gone when the test ends.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('../../', import.meta.url).pathname;
const MAIN = join(ROOT, 'src/cli/main.ts');

export interface TelegateProcess {
  readonly child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves when the output matches (rejects when the process exits first). */
  waitFor(pattern: RegExp): Promise<void>;
  /** Sends SIGTERM (or the given signal) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Ports this process has handed out: never twice. */
const handedOut = new Set<number>();

// Ports below Linux's ephemeral range (ip_local_port_range, 32768–60999 by default). A port the kernel picks
// for listen(0) comes from that range, and so does the source port of every outbound connection, so between
// freePort and the child's bind any connection made by any test could take it (one all-in-one run failed to
// start that way, we believe). Ports drawn from below the range are only ever taken by an explicit bind.
const LOW = 20_000;
const HIGH = 32_767;

/** A TCP port that was free a moment ago on 127.0.0.1, below the ephemeral range, never handed out before. */
export async function freePort(): Promise<number> {
  for (let tries = 0; ; tries++) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW + 1));
    if (handedOut.has(port)) continue;
    if (await canBind(port)) {
      handedOut.add(port);
      return port;
    }
    if (tries > 1000) throw new Error(`freePort: no free port in ${LOW}-${HIGH} after 1000 tries`);
  }
}

/** Whether 127.0.0.1:`port` can be bound now (the probe is closed again before this resolves). */
function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => {
      resolve(false);
    });
    s.listen(port, '127.0.0.1', () => {
      s.close(() => {
        resolve(true);
      });
    });
  });
}

/** Writes `yaml` to a temp file and returns its path. */
export function writeConfig(yaml: string, name = 'config.yaml'): string {
  const dir = mkdtempSync(join(tmpdir(), 'telegate-test-'));
  const path = join(dir, name);
  writeFileSync(path, yaml);
  return path;
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of running) c.kill('SIGKILL');
});

/** Runs `telegate ...args` (through tsx, from source). */
export function runTelegate(args: readonly string[], env: NodeJS.ProcessEnv = {}): TelegateProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let out = '';
  let exited = false;
  const listeners = new Set<() => void>();
  const onData = (d: Buffer): void => {
    out += d.toString();
    for (const l of listeners) l();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exit = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      exited = true;
      running.delete(child);
      for (const l of listeners) l();
      resolve(code);
    });
  });
  return {
    child,
    output: () => out,
    waitFor(pattern: RegExp): Promise<void> {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (pattern.test(out)) {
            listeners.delete(check);
            resolve();
          } else if (exited) {
            listeners.delete(check);
            reject(new Error(`telegate exited before printing ${pattern}; output:\n${out}`));
          }
        };
        listeners.add(check);
        check();
      });
    },
    async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
      if (!exited) child.kill(signal);
      return exit;
    },
  };
}

/** Starts `telegate --config <yaml>` and waits until it reports ready. */
export async function startTelegate(yaml: string, extraArgs: readonly string[] = []): Promise<TelegateProcess> {
  const proc = runTelegate(['--config', writeConfig(yaml), ...extraArgs]);
  await proc.waitFor(/Everything is ready/);
  return proc;
}
