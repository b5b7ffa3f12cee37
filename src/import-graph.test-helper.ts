// The import graph of a source tree, read from its import/export statements, and its cycles (the
// strongly connected components, by Tarjan's algorithm). Used by architecture.test.ts on src/ and on
// throw-away trees that prove the checker sees a cycle.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** A module (path relative to the root) and the modules of the root it imports (paths relative to the root). */
export interface ModuleImports {
  readonly path: string;
  readonly imports: readonly string[];
}

/** Every `.ts` file below `dir` that is not a test or a test helper. */
export function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.includes('.test-')) out.push(path);
  }
  return out;
}

// `import … from '…'`, `export … from '…'` (type-only ones too) and bare `import '…'`. Dynamic
// `import('…')` is left out on purpose: it is how a command lazy-loads what only it uses, and it
// creates no load-order dependency.
const STATIC_IMPORT = /^\s*(?:import|export)\b(?:[^'";]*?\bfrom\s+)?\s*'([^']+)'/gm;

/** The relative imports of `file`, as paths relative to `root`. */
export function importsOf(file: string, root: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(STATIC_IMPORT)].map((m) => m[1] ?? '');
  return specs.filter((s) => s.startsWith('.')).map((s) => relative(root, resolve(dirname(file), s)));
}

/** The import graph of the sources below `root`. */
export function importGraph(root: string): ModuleImports[] {
  return sourceFiles(root).map((f) => ({ path: relative(root, f), imports: importsOf(f, root) }));
}

/**
 * The graph of folders: a folder imports another when one of its modules imports a module there.
 * Imports between a folder and its own subfolders are left out: a facade beside the subfolder it
 * assembles (backend/store/memory-store.ts over memory/), whose parts use the facade's interfaces, is
 * one concept; the module graph still forbids any cycle inside it.
 */
export function folderGraph(graph: readonly ModuleImports[]): ModuleImports[] {
  const folders = new Map<string, Set<string>>();
  for (const m of graph) {
    const own = dirname(m.path);
    const targets = folders.get(own) ?? new Set<string>();
    folders.set(own, targets);
    for (const target of m.imports.map(dirname)) if (!isNested(own, target)) targets.add(target);
  }
  return [...folders].map(([path, targets]) => ({ path, imports: [...targets] }));
}

function isNested(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}

/**
 * The import cycles of `graph`: each strongly connected component of more than one module, or a module
 * importing itself, as its sorted module paths. Sorted, so that a result compares with a fixed list.
 */
export function importCycles(graph: readonly ModuleImports[]): string[][] {
  const edges = new Map(graph.map((m) => [m.path, m.imports]));
  const tarjan = new Tarjan(edges);
  for (const m of graph) tarjan.visit(m.path);
  return tarjan.components
    .filter((c) => c.length > 1 || (edges.get(c[0] ?? '') ?? []).includes(c[0] ?? ''))
    .map((c) => [...c].sort())
    .sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''));
}

// Tarjan's strongly connected components, recursive: src/ has a few hundred modules and import
// chains a few dozen deep, far from the stack limit.
class Tarjan {
  readonly components: string[][] = [];
  private readonly edges: ReadonlyMap<string, readonly string[]>;
  private readonly index = new Map<string, number>();
  private readonly low = new Map<string, number>();
  private readonly stack: string[] = [];
  private readonly onStack = new Set<string>();

  constructor(edges: ReadonlyMap<string, readonly string[]>) {
    this.edges = edges;
  }

  visit(v: string): void {
    if (this.index.has(v)) return;
    const i = this.index.size;
    this.index.set(v, i);
    this.low.set(v, i);
    this.stack.push(v);
    this.onStack.add(v);
    for (const w of this.edges.get(v) ?? []) {
      if (!this.edges.has(w)) continue; // a file outside the tree (or a package): no cycle through it
      if (!this.index.has(w)) {
        this.visit(w);
        this.low.set(v, Math.min(this.low.get(v) ?? i, this.low.get(w) ?? i));
      } else if (this.onStack.has(w)) {
        this.low.set(v, Math.min(this.low.get(v) ?? i, this.index.get(w) ?? i));
      }
    }
    if (this.low.get(v) === i) this.components.push(this.popComponent(v));
  }

  private popComponent(root: string): string[] {
    const component: string[] = [];
    for (;;) {
      const w = this.stack.pop();
      if (w === undefined) return component;
      this.onStack.delete(w);
      component.push(w);
      if (w === root) return component;
    }
  }
}
