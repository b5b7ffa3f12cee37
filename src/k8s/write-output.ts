// Writes a render to disk: one directory per cluster, one file per concept. Secrets go to their own
// files, marked, so that a repository can keep them out (or seal them) while the rest lives in Git.
// A file an earlier render wrote that this one no longer renders (after --operator, or a backend
// change) is removed, so `kubectl apply -f <dir>` never applies a stale object; other files are kept.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RenderedFile } from './render.ts';
import { objectsToYaml } from './yaml-writer.ts';

const HEADER = ['Rendered by `telegate k8s render`: change the spec and render again rather than this file.'];
const SECRET_HEADER = [
  ...HEADER,
  'Holds credentials: keep it out of Git or seal it. A later render reuses the passwords found here.',
];
const MARK = `# ${HEADER[0] ?? ''}\n`;

/** The text of one rendered file. */
export function fileText(file: RenderedFile): string {
  return objectsToYaml(file.secret ? SECRET_HEADER : HEADER, file.objects);
}

/** Writes every file under `outDir` (Secrets readable by the owner only); returns the stale files removed. */
export function writeOutput(outDir: string, files: readonly RenderedFile[]): string[] {
  const removed = staleFiles(outDir, files);
  for (const path of removed) rmSync(join(outDir, path));
  for (const file of files) {
    const path = join(outDir, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, fileText(file), { mode: file.secret ? 0o600 : 0o644 });
  }
  return removed;
}

// Files in the rendered clusters' directories that carry our header but are not rendered now.
function staleFiles(outDir: string, files: readonly RenderedFile[]): string[] {
  const wanted = new Set(files.map((f) => f.path));
  const dirs = [...new Set(files.map((f) => dirname(f.path)))];
  return dirs.flatMap((dir) => {
    const full = join(outDir, dir);
    if (!existsSync(full)) return [];
    return readdirSync(full)
      .map((name) => join(dir, name))
      .filter((path) => !wanted.has(path) && path.endsWith('.yaml'))
      .filter((path) => readFileSync(join(outDir, path), 'utf8').startsWith(MARK))
      .sort();
  });
}
