// Writes a render to disk: one directory per cluster, one file per concept. Secrets go to their own
// files, marked, so that a repository can keep them out (or seal them) while the rest lives in Git.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RenderedFile } from './render.ts';
import { objectsToYaml } from './yaml-writer.ts';

const HEADER = ['Rendered by `telegate k8s render`: change the spec and render again rather than this file.'];
const SECRET_HEADER = [
  ...HEADER,
  'Holds credentials: keep it out of Git or seal it. A later render reuses the passwords found here.',
];

/** The text of one rendered file. */
export function fileText(file: RenderedFile): string {
  return objectsToYaml(file.secret ? SECRET_HEADER : HEADER, file.objects);
}

/** Writes every file under `outDir`; Secrets readable by the owner only. */
export function writeOutput(outDir: string, files: readonly RenderedFile[]): void {
  for (const file of files) {
    const path = join(outDir, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, fileText(file), { mode: file.secret ? 0o600 : 0o644 });
  }
}
