// Writing a render: Secrets owner-only, and files an earlier render wrote but this one does not are
// removed (switching to --operator drops the ConfigMaps), while a user's own files stay.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NO_EXISTING } from './credentials.ts';
import { parseSpec } from './load-spec.ts';
import { render } from './render.ts';
import { writeOutput } from './write-output.ts';

test('a later render removes the files it no longer renders and keeps the rest', (t) => {
  const out = mkdtempSync(join(tmpdir(), 'tg-k8s-write-'));
  t.after(() => {
    rmSync(out, { recursive: true, force: true });
  });
  const loaded = parseSpec('gateway: { cluster: gw, host: h.example.com }\nedges: [{ cluster: e1, zone: z }]\n', 'f');
  assert.ok('spec' in loaded);
  const options = { runtime: 'telegate', existing: NO_EXISTING, generate: () => 'pw' } as const;
  assert.deepEqual(writeOutput(out, render(loaded.spec, { ...options, operator: false }).files), []);
  assert.equal(statSync(join(out, 'e1', '05-secret-telegate-edge-auth.yaml')).mode & 0o777, 0o600);
  writeFileSync(join(out, 'gw', 'kustomization.yaml'), 'resources: []\n');
  const removed = writeOutput(out, render(loaded.spec, { ...options, operator: true }).files);
  assert.deepEqual(removed, [join('gw', '10-gateway-config.yaml'), join('e1', '10-edge-config.yaml')]);
  assert.ok(!existsSync(join(out, 'gw', '10-gateway-config.yaml')));
  assert.ok(existsSync(join(out, 'gw', 'kustomization.yaml')), "the user's own file stays");
});
