// Writes the generated reference docs (docs/errors.md, docs/components/*.md, docs/telegate.schema.json). Run: npm run docs
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BUILTIN_FACTORIES } from '../src/components/builtin.ts';
import { renderAllDocs } from '../src/docs/render-docs.ts';

const root = new URL('..', import.meta.url).pathname;
for (const [path, content] of renderAllDocs(BUILTIN_FACTORIES)) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
  console.log(`wrote ${path}`);
}
