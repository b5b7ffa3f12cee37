// Copies the web UI's static files (index.html, styles.css) next to its compiled modules in dist/ui,
// so `npm run build` (and so `npm ci`) produces a UI that needs no network at run time.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'dist/ui');
mkdirSync(out, { recursive: true });
for (const name of ['index.html', 'styles.css', 'favicon.svg']) {
  copyFileSync(join(root, 'ui', name), join(out, name));
}
