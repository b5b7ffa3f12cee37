// Runs every *.test.ts under src/, test/ and bench/ with node:test. Node 20 cannot discover .ts test files
// by itself (a bare `node --test src` runs 0 tests), so the files are listed explicitly.
// Usage: node scripts/run-tests.mjs [filter-substring ...]
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const filters = process.argv.slice(2);

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith('.test.ts')) out.push(relative(root, path));
  }
  return out;
}

const files = ['src', 'test', 'bench']
  .flatMap((dir) => walk(join(root, dir), []))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (files.length === 0) {
  console.error('run-tests: no test files matched');
  process.exit(1);
}
// The end-to-end tests use real peers from Debian packages; say exactly what is missing.
const needs = [
  ['nginx', ['/usr/sbin/nginx', '/usr/bin/nginx'], 'nginx-light'],
  ['htpasswd', ['/usr/bin/htpasswd'], 'apache2-utils'],
  ['openssl', ['/usr/bin/openssl'], 'openssl'],
  ['chromium', ['/usr/bin/chromium'], 'chromium'],
];
const missing = needs.filter(([, paths]) => !paths.some((p) => existsSync(p)));
if (missing.length > 0) {
  const pkgs = missing.map(([, , pkg]) => pkg).join(' ');
  console.error(
    `run-tests: the tests need ${missing.map(([cmd]) => cmd).join(', ')}; install them first:\n  sudo apt-get update && sudo apt-get install -y ${pkgs}`,
  );
  process.exit(1);
}

const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=120000', ...files],
  { cwd: root, stdio: 'inherit' },
);
process.exit(result.status ?? 1);
