// Makes sure dist/ holds a build of the current sources before telegate is measured: builds with
// `npm run build` when dist/cli/main.js is missing or older than any source file.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const BUILD_TIMEOUT_MS = 300_000;

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
      newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Why the telegate CLI cannot be run, or undefined when dist/cli/main.js is present and fresh. */
export function ensureBuilt(repo: string, log: (line: string) => void): string | undefined {
  if (!existsSync(join(repo, 'src/cli/main.ts'))) return 'src/cli/main.ts does not exist yet';
  const main = join(repo, 'dist/cli/main.js');
  if (existsSync(main) && statSync(main).mtimeMs >= newestSource(join(repo, 'src'))) return undefined;
  log('dist/ is missing or older than src/: running `npm run build` …');
  const r = spawnSync('npm', ['run', 'build'], { cwd: repo, encoding: 'utf8', timeout: BUILD_TIMEOUT_MS });
  if (r.status !== 0)
    log(
      `npm run build exited with ${String(r.status ?? r.signal)}:\n${(r.stdout + r.stderr).trim().split('\n').slice(-15).join('\n')}`,
    );
  return existsSync(main) ? undefined : 'npm run build did not produce dist/cli/main.js';
}
