// Dependency rules of STYLE.md rule 6, checked on the import statements of every source file:
// contracts/ imports nothing of ours, components never import service/ or cli/ or another
// component's folder (they meet through the Host), nothing below src/ imports cli/, transport/ never
// imports config/ (it takes plain options), and there is no import cycle between modules or folders.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { folderGraph, importCycles, importGraph, type ModuleImports } from './import-graph.test-helper.ts';

const SRC = new URL('.', import.meta.url).pathname;

/** `components/receivers/otlp` for a file in a component folder; undefined elsewhere. */
function componentOf(path: string): string | undefined {
  const m = /^components\/(receivers|processors|exporters|extensions)\/([^/]+)\//.exec(path);
  return m ? `components/${m[1]}/${m[2]}` : undefined;
}

/** Deprecated aliases reuse the implementation they alias (Go's `logging` exporter → `debug`). */
const ALIASES: Record<string, string> = { 'components/exporters/logging': 'components/exporters/debug' };

const files = importGraph(SRC);

function dependencyProblems(path: string, target: string): string[] {
  const problems: string[] = [];
  if (target.startsWith('..')) problems.push(`${path} imports ${target}, outside src/`);
  if (path.startsWith('contracts/') && !target.startsWith('contracts/'))
    problems.push(`${path} (contracts) imports ${target}`);
  if (!path.startsWith('cli/') && target.startsWith('cli/')) problems.push(`${path} imports the CLI (${target})`);
  if (path.startsWith('components/') && target.startsWith('service/'))
    problems.push(`${path} imports the service (${target})`);
  if (path.startsWith('transport/') && target.startsWith('config/'))
    problems.push(`${path} (transport) imports the config (${target}): take plain options instead`);
  const own = componentOf(path);
  const other = componentOf(target);
  if (own !== undefined && other !== undefined && own !== other && ALIASES[own] !== other)
    problems.push(`${path} imports another component (${target})`);
  return problems;
}

/** Every cycle of modules and of folders, each as its members joined by ' ⇄ '. */
function cyclesOf(graph: readonly ModuleImports[]): string[] {
  return [...importCycles(graph), ...importCycles(folderGraph(graph))].map((c) => c.join(' ⇄ '));
}

test('the dependency rules hold for every source file', () => {
  const problems = files.flatMap(({ path, imports }) => imports.flatMap((t) => dependencyProblems(path, t)));
  assert.deepEqual(problems, []);
});

test('the rules see the imports (a file is known to import contracts)', () => {
  const service = files.find((f) => f.path === 'service/service.ts');
  assert.ok(service?.imports.includes('contracts/component.ts'));
});

test('no import cycle between modules or folders (type-only imports count)', () => {
  assert.deepEqual(cyclesOf(files), [], 'import cycles: break each by moving the shared part to the lower layer');
});

test('the cycle check finds the strongly connected components of a synthetic graph', () => {
  const graph: ModuleImports[] = [
    { path: 'a', imports: ['b'] },
    { path: 'b', imports: ['c', 'x'] },
    { path: 'c', imports: ['a', 'd'] },
    { path: 'd', imports: ['e'] },
    { path: 'e', imports: [] },
    { path: 'self', imports: ['self'] },
  ];
  assert.deepEqual(importCycles(graph), [['a', 'b', 'c'], ['self']]);
  assert.deepEqual(importCycles(graph.slice(3, 5)), []);
});

// A throw-away tree with one deliberate module cycle (through a type-only import) and one folder
// cycle, read from disk as src/ is: the check must report both, and nothing else (not the facade
// and its subfolder).
test('the cycle check fails on a deliberately introduced cycle', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'tg-cycles-'));
  t.after(() => {
    rmSync(root, { recursive: true, force: true });
  });
  const write = (path: string, text: string): void => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write('a/one.ts', "import { two } from './two.ts';\nexport const one = two + 1;\n");
  write('a/two.ts', "import type { One } from './three.ts';\nexport const two: One = 2;\n");
  write('a/three.ts', "export type One = number;\nexport { one } from './one.ts';\n");
  write('b/low.ts', "import {\n  one,\n} from '../a/one.ts';\nexport const low = one;\n");
  write('c/up.ts', "import { low } from '../b/low.ts';\nexport const up = low;\n");
  write('b/back.ts', "import '../c/up.ts';\n");
  // A facade over its own subfolder, whose parts use the facade's types: one concept, no cycle.
  write('d/facade.ts', "export type { Part } from './types.ts';\nexport { part } from './parts/part.ts';\n");
  write('d/types.ts', 'export type Part = string;\n');
  write('d/parts/part.ts', "import type { Part } from '../types.ts';\nexport const part: Part = 'p';\n");
  assert.deepEqual(cyclesOf(importGraph(root)), ['a/one.ts ⇄ a/three.ts ⇄ a/two.ts', 'b ⇄ c']);
  write('b/back.ts', 'export const back = 1;\n');
  write('a/three.ts', 'export type One = number;\n');
  assert.deepEqual(cyclesOf(importGraph(root)), []);
});
