// The demo's data directory: a CA whose gateway certificate verifies for localhost, secrets readable by
// the owner alone, configs that validate as written, and a second run that keeps what the first made.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILTIN_FACTORIES } from '../components/builtin.ts';
import { loadConfig, registryOf } from '../config/load-config.ts';
import { demoPlan, portsOf } from './plan.ts';
import { defaultDataDir, prepareDemo } from './setup.ts';

const registry = registryOf(BUILTIN_FACTORIES);

test('the demo CA issues a gateway certificate for localhost and 127.0.0.1; secrets are 0600', () => {
  const dir = mkdtempSync(join(tmpdir(), 'telegate-demo-'));
  try {
    const files = prepareDemo(dir, demoPlan(), 1000);
    assert.equal(files.createdPki, true);
    const ca = new X509Certificate(readFileSync(files.caFile));
    const server = new X509Certificate(readFileSync(join(dir, 'gateway.pem')));
    assert.equal(ca.ca, true);
    assert.equal(server.checkIssued(ca), true);
    assert.equal(server.verify(ca.publicKey), true);
    assert.equal(server.checkHost('localhost'), 'localhost');
    assert.equal(server.checkIP('127.0.0.1'), '127.0.0.1');
    for (const secret of [
      'ca-key.pem',
      'gateway-key.pem',
      'htpasswd',
      'credentials.json',
      'edge-1.yaml',
      'edge-2.yaml',
    ])
      assert.equal(statSync(join(dir, secret)).mode & 0o777, 0o600, secret);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a second run keeps the CA and the passwords; ports follow --port-offset', () => {
  const dir = mkdtempSync(join(tmpdir(), 'telegate-demo-'));
  try {
    prepareDemo(dir, demoPlan(), 1000);
    const [ca, credentials] = [
      readFileSync(join(dir, 'ca.pem'), 'utf8'),
      readFileSync(join(dir, 'credentials.json'), 'utf8'),
    ];
    const again = prepareDemo(dir, demoPlan(100), 1000);
    assert.equal(again.createdPki, false);
    assert.equal(readFileSync(join(dir, 'ca.pem'), 'utf8'), ca);
    assert.equal(readFileSync(join(dir, 'credentials.json'), 'utf8'), credentials);
    assert.match(readFileSync(join(dir, 'edge-1.yaml'), 'utf8'), /endpoint: 127\.0\.0\.1:4417/);
    assert.match(readFileSync(join(dir, 'edge-1.yaml'), 'utf8'), /endpoint: localhost:14417/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the gateway and edge configs validate as written', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'telegate-demo-'));
  try {
    const files = prepareDemo(dir, demoPlan(), 1000);
    for (const file of [files.configs.gateway, ...files.configs.edges]) {
      const { issues } = await loadConfig({ configs: [file], sets: [], registry, env: {} });
      assert.deepEqual(
        issues.map((i) => `${i.severity} ${i.path}: ${i.message}`),
        [],
        file,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every port of the plan is distinct; the data dir follows XDG_DATA_HOME', () => {
  const ports = portsOf(demoPlan()).map((u) => u.port);
  assert.equal(new Set(ports).size, ports.length);
  assert.equal(portsOf(demoPlan(0, 9999))[0]?.port, 9999);
  assert.equal(defaultDataDir({ XDG_DATA_HOME: '/x' }), '/x/telegate/demo');
});
