// `telegate k8s render` end to end: spawned on the example spec, it writes one directory per cluster,
// prints each generated password once, and a second run over its output changes no file and prints
// none. Spec problems exit 1 with their line; usage errors exit 2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseK8sArgs } from './k8s.ts';

const MAIN = new URL('main.ts', import.meta.url).pathname;
const SPEC = new URL('../../examples/k8s/spec.yaml', import.meta.url).pathname;

function telegate(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) =>
    child.once('close', (code) => {
      resolve({ code, stdout, stderr });
    }),
  );
}

function snapshot(dir: string): Map<string, string> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  return new Map(files.map((e) => [join(e.parentPath, e.name), readFileSync(join(e.parentPath, e.name), 'utf8')]));
}

test('renders the example, prints new passwords once, and renders the same files again', async (t) => {
  const out = mkdtempSync(join(tmpdir(), 'tg-k8s-cli-'));
  t.after(() => {
    rmSync(out, { recursive: true, force: true });
  });
  const first = await telegate(['k8s', 'render', '--spec', SPEC, '--out', out]);
  assert.equal(first.code, 0, first.stderr);
  assert.deepEqual(readdirSync(out).sort(), ['edge-cluster-1', 'edge-cluster-2', 'remote-cluster']);
  const printed = [...first.stdout.matchAll(/new password for (\S+) \(edge \S+\): (\S+)/g)];
  assert.deepEqual(
    printed.map((m) => m[1]),
    ['edge-cluster-1', 'edge-cluster-2'],
  );
  const secretPath = join(out, 'edge-cluster-1', '05-secret-telegate-edge-auth.yaml');
  assert.ok(readFileSync(secretPath, 'utf8').includes(printed[0]?.[2] ?? '?'));
  assert.equal(statSync(secretPath).mode & 0o777, 0o600, 'Secrets are readable by the owner only');
  const before = snapshot(out);
  const second = await telegate(['k8s', 'render', '--spec', SPEC, '--out', out]);
  assert.equal(second.code, 0, second.stderr);
  assert.doesNotMatch(second.stdout, /new password/);
  assert.deepEqual(snapshot(out), before);
});

test('a bad spec exits 1 with its line; a bad command line exits 2', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tg-k8s-cli-'));
  t.after(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const spec = join(dir, 'spec.yaml');
  writeFileSync(spec, 'gateway: { cluster: gw, host: t.example.com }\nedges: [{ cluster: e1 }]\n');
  const bad = await telegate(['k8s', 'render', '--spec', spec, '--out', join(dir, 'out')]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /edges\[0\].*spec\.yaml:2:\d+.*zone/);
  const oidc = join(dir, 'oidc.yaml');
  writeFileSync(
    oidc,
    'gateway: { cluster: gw, host: t.example.com, auth: { oidc: { issuer: https://i.example, audience: a, token_url: https://i.example/t } } }\nedges: [{ cluster: e1, zone: z }]\n',
  );
  const noSecret = await telegate(['k8s', 'render', '--spec', oidc, '--out', join(dir, 'oidc-out')]);
  assert.equal(noSecret.code, 1);
  assert.match(noSecret.stderr, /edges\[0\] \(cluster "e1"\): auth oidc needs the client secret/);
  assert.ok(!existsSync(join(dir, 'oidc-out')), 'nothing written');
  const missing = await telegate(['k8s', 'render', '--spec', join(dir, 'none.yaml')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /cannot read the spec/);
  const usage = await telegate(['k8s', 'render']);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /--spec FILE is required/);
  const help = await telegate(['k8s', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /usage: telegate k8s render --spec FILE/);
});

test('argument parsing', () => {
  assert.deepEqual(parseK8sArgs(['render', '--spec', 's.yaml']), {
    spec: 's.yaml',
    out: 'k8s',
    runtime: 'telegate',
    operator: false,
  });
  assert.deepEqual(parseK8sArgs(['render', '--spec=s', '--out=o', '--runtime=otelcol-contrib', '--operator']), {
    spec: 's',
    out: 'o',
    runtime: 'otelcol-contrib',
    operator: true,
  });
  assert.equal(parseK8sArgs(['--help']), 'help');
  assert.throws(() => parseK8sArgs(['render', '--spec', 's', '--runtime', 'jaeger']), /--runtime must be one of/);
  assert.throws(() => parseK8sArgs(['draw', '--spec', 's']), /expected the subcommand 'render'/);
});
