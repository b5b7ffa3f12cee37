// Every object of every render variant validates against the Kubernetes and cert-manager schemas,
// carries no key Kubernetes does not know, and every collector config passes telegate's validator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { checkConfigs } from './check-configs.ts';
import { NO_EXISTING } from './credentials.ts';
import { hasSchema, schemaProblems } from './k8s-schema.test-helper.ts';
import { parseSpec } from './load-spec.ts';
import { render } from './render.ts';
import { RUNTIMES } from './runtime.ts';
import type { K8sSpec } from './spec.ts';

const SPEC_FILE = new URL('../../examples/k8s/spec.yaml', import.meta.url).pathname;

function spec(text = readFileSync(SPEC_FILE, 'utf8')): K8sSpec {
  const loaded = parseSpec(text, 'spec.yaml');
  if ('issues' in loaded) throw new Error(JSON.stringify(loaded.issues));
  return loaded.spec;
}

const GENERATED = 'Generated-Password-For-The-Scan';

const OTLP_BACKEND = `gateway:
  cluster: gw
  host: traces.example.com
  ingress: { cluster_issuer: corp-ca }
  backend: { otlp: { endpoint: jaeger-collector.tracing:4317 } }
edges: [{ cluster: e1, zone: z1, namespace: otel, user: first, password: given-password }]
`;

for (const runtime of RUNTIMES) {
  for (const operator of [false, true]) {
    for (const [name, text] of [
      ['example', undefined],
      ['otlp backend', OTLP_BACKEND],
    ] as const) {
      test(`${name} spec, ${runtime}${operator ? ', --operator' : ''}: every object validates, every config too`, async () => {
        const result = render(spec(text), { runtime, operator, existing: NO_EXISTING, generate: () => GENERATED });
        const objects = result.files.flatMap((f) => f.objects);
        const credentials = result.credentials.flatMap((c) => [c.password, c.hash]);
        for (const o of objects.filter((o) => o.kind !== 'Secret'))
          for (const secret of credentials)
            assert.ok(!JSON.stringify(o).includes(secret), `${o.kind} holds a credential`);
        for (const o of objects.filter((o) => hasSchema(o.apiVersion, o.kind)))
          assert.deepEqual(schemaProblems(o), [], `${o.kind} ${o.metadata.name}`);
        const custom = objects.filter((o) => !hasSchema(o.apiVersion, o.kind));
        assert.deepEqual(
          [...new Set(custom.map((o) => `${o.apiVersion} ${o.kind}`))],
          operator ? ['opentelemetry.io/v1beta1 OpenTelemetryCollector'] : [],
        );
        for (const c of custom) assertCollectorResource(c);
        for (const check of await checkConfigs(result.collectors))
          assert.deepEqual(check.issues, [], `config of ${check.cluster}`);
      });
    }
  }
}

// No published model for the operator's CRD: the fields of its v1beta1 spec that this render may set
// (OpenTelemetryCommonFields and OpenTelemetryCollectorSpec in the operator's apis/v1beta1), and the
// ones it relies on.
const COLLECTOR_SPEC_FIELDS = new Set([
  ...['mode', 'upgradeStrategy', 'config', 'autoscaler', 'image', 'serviceAccount', 'env', 'resources'],
  ...['podDisruptionBudget', 'securityContext', 'podSecurityContext', 'volumes', 'volumeMounts', 'replicas'],
  'initContainers',
]);

function assertCollectorResource(o: { metadata: { name: string }; [k: string]: unknown }): void {
  const s = o['spec'] as Record<string, unknown>;
  assert.deepEqual(
    Object.keys(s).filter((k) => !COLLECTOR_SPEC_FIELDS.has(k)),
    [],
    'fields of OpenTelemetryCollector v1beta1',
  );
  assert.ok(['deployment', 'daemonset'].includes(String(s['mode'])), 'mode');
  assert.equal(typeof s['image'], 'string');
  assert.equal(typeof s['config'], 'object', 'v1beta1 takes the config as an object');
  if (s['autoscaler'] !== undefined) assert.equal(s['replicas'], undefined, 'the autoscaler owns the count');
}

test('the schema check fails on a misspelled field and on a wrong type', () => {
  const result = render(spec(), { runtime: 'telegate', operator: false, existing: NO_EXISTING, generate: () => 'pw' });
  const deployment = result.files.flatMap((f) => f.objects).find((o) => o.kind === 'Deployment');
  assert.ok(deployment !== undefined);
  const bad = structuredClone(deployment) as Record<string, unknown> & typeof deployment;
  (bad['spec'] as Record<string, unknown>)['replica'] = 2;
  assert.match(schemaProblems(bad).join('\n'), /\.spec\.replica: not a field of V1DeploymentSpec/);
  const typed = structuredClone(deployment) as Record<string, unknown> & typeof deployment;
  (typed['spec'] as Record<string, unknown>)['minReadySeconds'] = 'soon';
  assert.match(schemaProblems(typed).join('\n'), /minReadySeconds must be integer/);
  assert.deepEqual(schemaProblems({ apiVersion: 'x/v1', kind: 'Y' }), ['no schema known for x/v1 Y']);
});
