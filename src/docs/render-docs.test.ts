import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILTIN_FACTORIES } from '../components/builtin.ts';
import { ERRORS } from '../errors/catalogue.ts';
import { renderAllDocs, renderErrorsDoc } from './render-docs.ts';

const root = new URL('../../', import.meta.url).pathname;

test('the committed generated docs are current (run `npm run docs` after changing a schema or an error)', () => {
  const files = renderAllDocs(BUILTIN_FACTORIES);
  for (const [path, content] of files) {
    assert.ok(existsSync(join(root, path)), `${path} is missing`);
    assert.equal(readFileSync(join(root, path), 'utf8'), content, `${path} is stale`);
  }
  const committed = readdirSync(join(root, 'docs/components')).map((f) => `docs/components/${f}`);
  assert.deepEqual(
    committed.sort(),
    [...files.keys()].filter((p) => p.startsWith('docs/components/')).sort(),
    'no doc for a removed component',
  );
});

test('every error code is unique, well-formed, has a summary and a hint, and is documented', () => {
  const doc = renderErrorsDoc();
  for (const [code, spec] of Object.entries(ERRORS)) {
    assert.match(code, /^TG_[A-Z0-9_]+$/);
    assert.ok(spec.summary.length > 10 && spec.hint.length > 10, `${code} explains itself`);
    assert.ok(spec.http >= 400 && spec.http < 600, `${code} has an HTTP error status`);
    assert.equal(doc.split(`\`${code}\``).length - 1, 1, `${code} appears once in docs/errors.md`);
  }
});
