// Dependency rules of STYLE.md rule 6, checked on the import statements of every source file:
// contracts/ imports nothing of ours, components never import service/ or cli/ or another
// component's folder (they meet through the Host), and nothing below src/ imports cli/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = new URL('.', import.meta.url).pathname;

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, out);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.includes('.test-')) out.push(path);
  }
  return out;
}

/** Imports of a file, as paths relative to src/ ('' prefix for packages). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'/gm)].map((m) => m[1] ?? '');
  return specs.filter((s) => s.startsWith('.')).map((s) => relative(SRC, resolve(dirname(file), s)));
}

/** `components/receivers/otlp` for a file in a component folder; undefined elsewhere. */
function componentOf(path: string): string | undefined {
  const m = /^components\/(receivers|processors|exporters|extensions)\/([^/]+)\//.exec(path);
  return m ? `components/${m[1]}/${m[2]}` : undefined;
}

/** Deprecated aliases reuse the implementation they alias (Go's `logging` exporter → `debug`). */
const ALIASES: Record<string, string> = { 'components/exporters/logging': 'components/exporters/debug' };

const files = sources(SRC).map((f) => ({ path: relative(SRC, f), imports: importsOf(f) }));

test('the dependency rules hold for every source file', () => {
  const problems: string[] = [];
  for (const { path, imports } of files) {
    for (const target of imports) {
      if (target.startsWith('..')) problems.push(`${path} imports ${target}, outside src/`);
      if (path.startsWith('contracts/') && !target.startsWith('contracts/'))
        problems.push(`${path} (contracts) imports ${target}`);
      if (!path.startsWith('cli/') && target.startsWith('cli/')) problems.push(`${path} imports the CLI (${target})`);
      if (path.startsWith('components/') && target.startsWith('service/'))
        problems.push(`${path} imports the service (${target})`);
      const own = componentOf(path);
      const other = componentOf(target);
      if (own !== undefined && other !== undefined && own !== other && ALIASES[own] !== other)
        problems.push(`${path} imports another component (${target})`);
    }
  }
  assert.deepEqual(problems, []);
});

test('the rules see the imports (a file is known to import contracts)', () => {
  const service = files.find((f) => f.path === 'service/service.ts');
  assert.ok(service?.imports.includes('contracts/component.ts'));
});
