// Golden tests of `k8s render` on examples/k8s/spec.yaml, one directory per variant under
// testdata/golden/. The Secrets there hold the passwords and hashes, which the render reuses: so the
// comparison also proves that rendering again over an earlier output gives the same files.
// Regenerate with UPDATE_GOLDEN=1 node scripts/run-tests.mjs render-golden (and review the diff).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parseSpec } from './load-spec.ts';
import { render, type RenderOptions } from './render.ts';
import type { Runtime } from './runtime.ts';
import { readExistingCredentials } from './secrets.ts';
import type { K8sSpec } from './spec.ts';
import { fileText } from './write-output.ts';

const HERE = dirname(new URL(import.meta.url).pathname);
const SPEC_FILE = join(HERE, '../../examples/k8s/spec.yaml');
const UPDATE = process.env['UPDATE_GOLDEN'] === '1';

/** The rendered variants: name of the golden directory, runtime, operator. */
export const VARIANTS: readonly { name: string; runtime: Runtime; operator: boolean }[] = [
  { name: 'telegate', runtime: 'telegate', operator: false },
  { name: 'otelcol-contrib', runtime: 'otelcol-contrib', operator: false },
  { name: 'operator', runtime: 'telegate', operator: true },
];

function exampleSpec(): K8sSpec {
  const loaded = parseSpec(readFileSync(SPEC_FILE, 'utf8'), SPEC_FILE);
  if ('issues' in loaded) throw new Error(JSON.stringify(loaded.issues));
  return loaded.spec;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

for (const variant of VARIANTS) {
  test(`k8s render of the example spec matches testdata/golden/${variant.name}`, () => {
    const spec = exampleSpec();
    const dir = join(HERE, 'testdata/golden', variant.name);
    let n = 0;
    const options: RenderOptions = {
      runtime: variant.runtime,
      operator: variant.operator,
      existing: readExistingCredentials(dir, spec),
      generate: () => `golden-password-${++n}`,
    };
    const result = render(spec, options);
    if (UPDATE) {
      rmSync(dir, { recursive: true, force: true });
      for (const f of result.files) {
        mkdirSync(dirname(join(dir, f.path)), { recursive: true });
        writeFileSync(join(dir, f.path), fileText(f));
      }
    }
    assert.deepEqual(
      result.credentials.filter((c) => c.generated).map((c) => c.cluster),
      [],
      'the passwords come from the golden Secrets',
    );
    assert.deepEqual(filesUnder(dir), result.files.map((f) => f.path).sort());
    for (const f of result.files) assert.equal(fileText(f), readFileSync(join(dir, f.path), 'utf8'), f.path);
  });
}
