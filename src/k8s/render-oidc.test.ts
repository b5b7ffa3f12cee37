// `auth: oidc`: the gateway verifies tokens with the oidc extension and holds no credential; each
// edge fetches tokens with oauth2client, its client secret only in its own Secret. The spec errors
// for what render cannot make up (the token endpoint, a client secret).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { checkConfigs } from './check-configs.ts';
import { MissingClientSecretError, NO_EXISTING } from './credentials.ts';
import { hasSchema, schemaProblems } from './k8s-schema.test-helper.ts';
import { parseSpec } from './load-spec.ts';
import { render, type RenderResult } from './render.ts';
import type { K8sSpec } from './spec.ts';

const SPEC_FILE = new URL('../../examples/k8s/spec-oidc.yaml', import.meta.url).pathname;

function load(text: string): K8sSpec {
  const loaded = parseSpec(text, 'f');
  if ('issues' in loaded) throw new Error(`bad spec: ${loaded.issues.map((i) => i.message).join('; ')}`);
  return loaded.spec;
}

function exampleSpec(): K8sSpec {
  return load(readFileSync(SPEC_FILE, 'utf8'));
}

type Config = Record<string, Record<string, Record<string, unknown>>>;

function configOf(result: RenderResult, cluster: string): Config {
  const found = result.collectors.find((c) => c.cluster === cluster);
  assert.ok(found, cluster);
  return found.config as Config;
}

for (const runtime of ['telegate', 'otelcol-contrib'] as const)
  for (const operator of [false, true])
    test(`oidc render (${runtime}${operator ? ', operator' : ''}): valid configs, oidc at the gateway, oauth2client per edge`, async () => {
      const spec = exampleSpec();
      const result = render(spec, { runtime, operator, existing: NO_EXISTING });
      const checks = await checkConfigs(result.collectors);
      for (const c of checks)
        assert.deepEqual(
          c.issues.filter((i) => i.severity === 'error').map((i) => i.message),
          [],
          c.cluster,
        );
      const gw = configOf(result, 'remote-cluster');
      assert.deepEqual(gw['extensions']?.['oidc'], {
        issuer_url: 'https://idp.example.com/realms/telemetry',
        audience: 'telegate',
      });
      assert.equal(get(gw, 'extensions', 'basicauth/server'), undefined);
      assert.deepEqual(gw['service']?.['extensions'], ['health_check', 'oidc']);
      const grpc = get(gw, 'receivers', 'otlp', 'protocols', 'grpc', 'auth');
      assert.deepEqual(grpc, { authenticator: 'oidc' });
      const objects = result.files.flatMap((f) => f.objects);
      assert.ok(!objects.some((o) => o.kind === 'Secret' && o.metadata.name === 'telegate-htpasswd'));
      assert.ok(!JSON.stringify(objects).includes('htpasswd'), 'no htpasswd volume or file');
      const ids = { 'edge-cluster-1': 'edge-cluster-1', 'edge-cluster-2': 'edge-2' };
      for (const [cluster, id] of Object.entries(ids)) {
        const edge = configOf(result, cluster);
        assert.deepEqual(edge['extensions']?.['oauth2client'], {
          client_id: id,
          client_secret: '${env:TELEGATE_EDGE_PASSWORD}',
          token_url: 'https://idp.example.com/realms/telemetry/protocol/openid-connect/token',
        });
        assert.deepEqual(get(edge, 'exporters', 'otlp', 'auth'), { authenticator: 'oauth2client' });
        assert.equal(get(edge, 'extensions', 'basicauth/client'), undefined);
      }
    });

function get(value: unknown, ...path: string[]): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], value);
}

test('each client secret is only in its edge Secret (key client_secret), wired to the env the config reads', () => {
  const spec = exampleSpec();
  const result = render(spec, { runtime: 'telegate', operator: false, existing: NO_EXISTING });
  const secrets = spec.edges.map((e) => e.client_secret);
  assert.deepEqual(
    result.credentials.map((c) => [c.user, c.password, c.generated]),
    [
      ['edge-cluster-1', secrets[0], false],
      ['edge-2', secrets[1], false],
    ],
  );
  for (const f of result.files) {
    const text = JSON.stringify(f.objects);
    const held = secrets.filter((s) => text.includes(s));
    if (!f.secret) assert.deepEqual(held, [], `${f.path} holds a client secret`);
  }
  for (const [i, edge] of spec.edges.entries()) {
    const secret = result.files.find((f) => f.secret && f.path.startsWith(`${edge.cluster}/`));
    assert.deepEqual(secret?.objects[0]?.['stringData'], { client_secret: secrets[i] });
    const ds = result.files
      .filter((f) => f.path.startsWith(`${edge.cluster}/`))
      .flatMap((f) => f.objects)
      .find((o) => o.kind === 'DaemonSet');
    const env = get(ds, 'spec', 'template', 'spec', 'containers', '0', 'env') as unknown[];
    assert.deepEqual(env[1], {
      name: 'TELEGATE_EDGE_PASSWORD',
      valueFrom: { secretKeyRef: { name: 'telegate-edge-auth', key: 'client_secret' } },
    });
  }
  assert.equal(result.files.filter((f) => f.secret).length, spec.edges.length, 'no gateway Secret');
  assert.ok(result.notes.some((n) => /each keeps its own copy of the issuer's signing keys/.test(n)));
});

test('a client secret left out of the spec is read from the earlier Secret, else render names the edge', () => {
  const text = readFileSync(SPEC_FILE, 'utf8').replace(/\n\s+client_secret: .*/g, '');
  const spec = load(text);
  const existing = { passwords: new Map([['edge-cluster-1', 'from-secret']]), hashes: new Map() };
  assert.throws(
    () => render(spec, { runtime: 'telegate', operator: false, existing }),
    (err: unknown) =>
      err instanceof MissingClientSecretError &&
      err.cluster === 'edge-cluster-2' &&
      /edges\[1\] \(cluster "edge-cluster-2"\).*edges\[1\]\.client_secret/.test(err.message),
  );
  existing.passwords.set('edge-cluster-2', 'also-from-secret');
  const result = render(spec, { runtime: 'telegate', operator: false, existing });
  assert.deepEqual(
    result.credentials.map((c) => c.password),
    ['from-secret', 'also-from-secret'],
  );
});

test('auth: oidc without token_url (or issuer, audience) is a spec error at its path', () => {
  const text = readFileSync(SPEC_FILE, 'utf8').replace(/\n\s+token_url: .*\n/, '\n');
  const loaded = parseSpec(text, 'spec.yaml');
  assert.ok('issues' in loaded);
  const messages = loaded.issues.map((i) => `${i.path}: ${i.message}`).join('\n');
  assert.match(messages, /gateway\.auth\.oidc.*token_url/);
});

test('the oidc render passes the Kubernetes schemas', () => {
  const result = render(exampleSpec(), { runtime: 'telegate', operator: false, existing: NO_EXISTING });
  const objects = result.files.flatMap((f) => f.objects);
  for (const o of objects.filter((x) => hasSchema(x.apiVersion, x.kind)))
    assert.deepEqual(schemaProblems(o), [], `${o.kind} ${o.metadata.name}`);
  assert.ok(objects.some((o) => o.kind === 'Deployment' && hasSchema(o.apiVersion, o.kind)));
});
