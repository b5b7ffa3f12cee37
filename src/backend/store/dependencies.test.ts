// The store is below the Jaeger mapping: backend/jaeger may import backend/store, never the reverse
// (the AnyValue → Jaeger string rule lives in tag-hash.ts for that reason).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const STORE = new URL('.', import.meta.url).pathname;
const JAEGER = resolve(STORE, '../jaeger');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

test('no store source imports backend/jaeger', () => {
  const files = sources(STORE);
  assert.ok(files.some((f) => f.endsWith('memory/catalog.ts')));
  const offenders = files.flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/\bfrom\s+'(\.[^']+)'/g)]
      .map((m) => resolve(dirname(file), m[1] ?? ''))
      .filter((target) => target.startsWith(JAEGER))
      .map((target) => `${file} → ${target}`),
  );
  assert.deepEqual(offenders, []);
});
