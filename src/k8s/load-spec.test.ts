// The spec's problems are reported all at once, each with its YAML path and file:line:column.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatIssues } from '../config/format.ts';
import { parseSpec } from './load-spec.ts';

function problems(text: string): string {
  const loaded = parseSpec(text, 'spec.yaml');
  assert.ok('issues' in loaded, 'the spec is refused');
  return formatIssues(loaded.issues);
}

test('the example shape parses with its defaults', () => {
  const loaded = parseSpec('gateway: { cluster: gw, host: t.example.com }\nedges: [{ cluster: e1, zone: z }]\n', 'f');
  assert.ok('spec' in loaded);
  assert.equal(loaded.spec.gateway.namespace, 'telemetry');
  assert.equal(loaded.spec.gateway.backend, 'all-in-one');
  assert.equal(loaded.spec.gateway.ingress.class, 'nginx');
  assert.deepEqual(loaded.spec.gateway.replicas, { min: 2, max: 6, cpu_utilization: 70 });
  assert.equal(loaded.spec.edges[0]?.generator.replicas, 1);
});

test('schema problems name the path and the line, with did-you-mean', () => {
  const text = [
    'gateway:',
    '  cluster: Remote_Cluster',
    '  host: traces.example.com',
    '  ingress: { class: nginx, acme: { email: a@b.c, server: stagin } }',
    '  backend: { otlp: { endpoit: x:4317 } }',
    'edges:',
    '  - { cluster: e1, zone: z1, zonee: z2 }',
    '',
  ].join('\n');
  const out = problems(text);
  assert.match(out, /gateway\.cluster \(spec\.yaml:2:12\): .*does not have the expected form/);
  assert.match(out, /gateway\.ingress\.acme\.server \(spec\.yaml:4:\d+\):.*"stagin".*staging/s);
  assert.match(out, /gateway\.backend\.otlp\.endpoit \(spec\.yaml:5:\d+\):.*endpoint/);
  assert.match(out, /edges\[0\]\.zonee \(spec\.yaml:7:\d+\)/);
});

test('rules across fields: one directory per cluster, one line per user, min ≤ max', () => {
  const text = [
    'gateway: { cluster: gw, host: t.example.com, replicas: { min: 3, max: 2 } }',
    'edges:',
    '  - { cluster: gw, zone: z }',
    '  - { cluster: e1, zone: z, user: "a b" }',
    '  - { cluster: e2, zone: z, user: "a b", namespace: Bad_NS }',
    '',
  ].join('\n');
  const out = problems(text);
  assert.match(out, /edges\[0\]\.cluster \(spec\.yaml:3:16\): cluster "gw" is also gateway\.cluster/);
  assert.match(out, /edges\[1\]\.user \(spec\.yaml:4:\d+\): a basicauth user name cannot contain/);
  assert.match(out, /edges\[2\]\.user \(spec\.yaml:5:\d+\): user "a b" is also the user of edges\[1\]/);
  assert.match(out, /edges\[2\]\.namespace \(spec\.yaml:5:\d+\): not a valid namespace name/);
  assert.match(out, /gateway\.replicas\.max \(spec\.yaml:1:\d+\): max \(2\) is below min \(3\)/);
});

test('YAML syntax errors and missing keys are reported', () => {
  assert.match(problems('gateway: [\n'), /not valid YAML/);
  assert.match(problems('gateway: { cluster: gw }\n'), /gateway\.host.*|edges/);
  assert.match(problems('gateway: { cluster: gw, host: h.example.com }\nedges: []\n'), /edges.*at least 1 item/);
});

test('oidc client settings: unique client ids, and only with gateway.auth.oidc', () => {
  const oidc = 'auth: { oidc: { issuer: https://i.example, audience: a, token_url: https://i.example/t } }';
  const dup = problems(
    `gateway: { cluster: gw, host: t.example.com, ${oidc} }\nedges: [{ cluster: e1, zone: z, client_secret: s }, { cluster: e2, zone: z, client_id: e1, client_secret: s }]\n`,
  );
  assert.match(dup, /edges\[1\]\.client_id.*client id "e1" is also the client of edges\[0\]/);
  const stray = problems(
    'gateway: { cluster: gw, host: t.example.com }\nedges: [{ cluster: e1, zone: z, client_id: x, client_secret: sekrit-value }]\n',
  );
  assert.match(stray, /edges\[0\]\.client_id.*client_id is used only with gateway\.auth\.oidc/);
  assert.match(stray, /edges\[0\]\.client_secret.*client_secret is used only with gateway\.auth\.oidc/);
  assert.ok(!stray.includes('sekrit'), 'the secret is not echoed');
});
