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

/** Ports this process has handed out: the kernel may give a just-released port again, so never twice. */
const handedOut = new Set<number>();

/** A TCP port that was free a moment ago on 127.0.0.1, never one this process handed out before. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await probePort();
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}

/** A port the kernel picks for 127.0.0.1:0, released again. */
function probePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => {
        resolve(port);
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
