// Runs the micro-benchmarks (bench/micro/*.bench.ts, written beside the code they measure) one after the
// other on CPU 1, each bounded in time, the whole set bounded too; returns their output for RESULTS.md.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Output of one micro-benchmark file. */
export interface MicroResult {
  readonly file: string;
  readonly command: string;
  readonly output: string;
  readonly status: string;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

function runOne(repo: string, file: string, timeoutMs: number): Promise<MicroResult> {
  const args = ['-c', '1', process.execPath, '--import', 'tsx', file];
  const command = `taskset -c 1 node --import tsx ${file}`;
  return new Promise((resolve) => {
    const child = spawn('taskset', args, {
      cwd: repo,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    let output = '';
    const onData = (b: Buffer): void => {
      process.stdout.write(b);
      output += b.toString();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const status = signal === 'SIGKILL' ? `killed after ${timeoutMs / 1000} s` : `exit ${String(code)}`;
      resolve({ file, command, output: output.replace(ANSI, ''), status });
    });
  });
}

/** Runs every bench/micro/*.bench.ts; files left when `budgetMs` is spent are skipped and listed. */
export async function runMicro(
  repo: string,
  perFileMs: number,
  budgetMs: number,
): Promise<{ results: MicroResult[]; skipped: string[] }> {
  const dir = join(repo, 'bench/micro');
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.bench.ts'))
        .sort()
    : [];
  const results: MicroResult[] = [];
  const skipped: string[] = [];
  const until = Date.now() + budgetMs;
  for (const f of files) {
    const left = until - Date.now();
    if (left < 5000) {
      skipped.push(`bench/micro/${f}`);
      continue;
    }
    console.log(`\n## bench/micro/${f}`);
    results.push(await runOne(repo, `bench/micro/${f}`, Math.min(perFileMs, left)));
  }
  return { results, skipped };
}
