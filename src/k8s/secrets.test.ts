// Reading an earlier render's Secrets back: stringData as written, base64 data as a user may have
// converted it (kubectl get -o yaml), other documents and missing files ignored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSpec } from './load-spec.ts';
import { readExistingCredentials, secretFile, secretValue } from './secrets.ts';

test('secretValue reads stringData, or base64 data, of the Secret in a file', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tg-k8s-secret-'));
  t.after(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const file = join(dir, 's.yaml');
  writeFileSync(
    file,
    '---\nkind: ConfigMap\ndata: { password: not-this }\n---\nkind: Secret\ndata: { password: c2VjcmV0 }\n',
  );
  assert.equal(secretValue(file, 'password'), 'secret');
  assert.equal(secretValue(file, 'other'), undefined);
  writeFileSync(file, 'kind: Secret\nstringData: { password: plain }\n');
  assert.equal(secretValue(file, 'password'), 'plain');
  assert.equal(secretValue(join(dir, 'missing.yaml'), 'password'), undefined);
});

test('readExistingCredentials finds edge passwords and htpasswd hashes where a render writes them', (t) => {
  const out = mkdtempSync(join(tmpdir(), 'tg-k8s-secret-'));
  t.after(() => {
    rmSync(out, { recursive: true, force: true });
  });
  const loaded = parseSpec(
    'gateway: { cluster: gw, host: h.example.com }\nedges: [{ cluster: e1, zone: z }, { cluster: e2, zone: z }]\n',
    'f',
  );
  assert.ok('spec' in loaded);
  const write = (cluster: string, name: string, body: string): void => {
    mkdirSync(join(out, cluster), { recursive: true });
    writeFileSync(join(out, secretFile(cluster, name)), body);
  };
  write('e1', 'telegate-edge-auth', 'kind: Secret\nstringData: { password: pw1 }\n');
  write('e2', 'telegate-edge-auth', 'kind: Secret\nstringData: { password: "" }\n');
  write('gw', 'telegate-htpasswd', 'kind: Secret\nstringData:\n  htpasswd: |\n    e1:$2y$hash1\n    bad line\n');
  const existing = readExistingCredentials(out, loaded.spec);
  assert.deepEqual([...existing.passwords], [['e1', 'pw1']]);
  assert.deepEqual([...existing.hashes], [['e1', '$2y$hash1']]);
});
