// Reads a render back from disk as a user's clusters would get it, and checks that the parts agree:
// each edge's password (Secret → env → config) verifies against the gateway's htpasswd line for the
// edge's user, each edge exports to the ingress host on 443 where the Ingress serves TLS, the edge's
// ClusterRole grants what its k8sattributes config extracts, and no credential appears outside a Secret.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { K8sAttributesConfigSchema, type K8sAttributesConfig } from '../components/processors/k8sattributes/config.ts';
import { rbacNeeds } from '../components/processors/k8sattributes/rbac.ts';
import { compileRules } from '../components/processors/k8sattributes/rules.ts';
import { fromPlain } from '../config/node.ts';
import { validateConfig } from '../config/validate.ts';
import { verifies } from './credentials.ts';
import { parseSpec } from './load-spec.ts';
import { render } from './render.ts';
import { readExistingCredentials } from './secrets.ts';
import { writeOutput } from './write-output.ts';

type Obj = { kind: string; metadata: { name: string; annotations?: Record<string, string> }; [k: string]: unknown };
type Config = Record<string, Record<string, Record<string, unknown>>>;

const SPEC_FILE = new URL('../../examples/k8s/spec.yaml', import.meta.url).pathname;

function readCluster(dir: string): Obj[] {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => d.toJS() as Obj));
}

function one(objects: Obj[], kind: string): Obj {
  const found = objects.filter((o) => o.kind === kind);
  assert.equal(found.length, 1, kind);
  return found[0] as Obj;
}

function get(value: unknown, ...path: (string | number)[]): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<string | number, unknown> | undefined)?.[k], value);
}

function renderToDisk(): { out: string; spec: ReturnType<typeof loadSpec>; passwords: string[] } {
  const spec = loadSpec();
  const out = mkdtempSync(join(tmpdir(), 'tg-k8s-'));
  let n = 0;
  const result = render(spec, {
    runtime: 'telegate',
    operator: false,
    existing: readExistingCredentials(out, spec),
    generate: () => `consistency-${++n}-password`,
  });
  writeOutput(out, result.files);
  return { out, spec, passwords: result.credentials.map((c) => c.password) };
}

function loadSpec() {
  const loaded = parseSpec(readFileSync(SPEC_FILE, 'utf8'), SPEC_FILE);
  if ('issues' in loaded) throw new Error('bad example spec');
  return loaded.spec;
}

test("each edge's password verifies against the gateway's htpasswd, and its endpoint is the ingress on 443", (t) => {
  const { out, spec } = renderToDisk();
  t.after(() => {
    rmSync(out, { recursive: true, force: true });
  });
  const gateway = readCluster(join(out, spec.gateway.cluster));
  const htpasswd = String(get(one(gateway, 'Secret'), 'stringData', 'htpasswd'));
  const lines = new Map(
    htpasswd
      .trim()
      .split('\n')
      .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1)]),
  );
  const ingress = one(gateway, 'Ingress');
  const host = String(get(ingress, 'spec', 'rules', 0, 'host'));
  assert.deepEqual(get(ingress, 'spec', 'tls', 0, 'hosts'), [host]);
  assert.equal(lines.size, spec.edges.length);
  // nginx must pass the receiver's largest message (plus the gRPC frame header).
  const gatewayConfig = parse(String(get(one(gateway, 'ConfigMap'), 'data', 'config.yaml'))) as Config;
  const maxMiB = Number(get(gatewayConfig, 'receivers', 'otlp', 'protocols', 'grpc', 'max_recv_msg_size_mib'));
  const bodySize = ingress.metadata.annotations?.['nginx.ingress.kubernetes.io/proxy-body-size'] ?? '';
  assert.ok(Number(/^(\d+)m$/.exec(bodySize)?.[1]) > maxMiB, `proxy-body-size ${bodySize} over ${maxMiB} MiB`);
  assert.equal(ingress.metadata.annotations?.['nginx.ingress.kubernetes.io/backend-protocol'], 'GRPC');
  const backend = get(ingress, 'spec', 'rules', 0, 'http', 'paths', 0, 'backend', 'service') as Record<string, unknown>;
  const service = gateway.find((o) => o.kind === 'Service' && o.metadata.name === backend['name']);
  assert.ok(service !== undefined, 'the Ingress sends to the gateway Service');
  assert.equal(get(service, 'spec', 'ports', 0, 'port'), get(backend, 'port', 'number'));
  for (const edge of spec.edges) {
    const objects = readCluster(join(out, edge.cluster));
    const config = parse(String(get(one(objects, 'ConfigMap'), 'data', 'config.yaml'))) as Config;
    const clientAuth = get(config, 'extensions', 'basicauth/client', 'client_auth') as Record<string, string>;
    const envName = /^\$\{env:(\w+)\}$/.exec(String(clientAuth['password']))?.[1];
    const env = get(one(objects, 'DaemonSet'), 'spec', 'template', 'spec', 'containers', 0, 'env') as Obj[];
    const ref = get(
      env.find((e) => e['name'] === envName),
      'valueFrom',
      'secretKeyRef',
    ) as Record<string, string>;
    const secret = one(objects, 'Secret');
    assert.equal(secret.metadata.name, ref['name']);
    const password = String(get(secret, 'stringData', ref['key'] ?? ''));
    const hash = lines.get(String(clientAuth['username']));
    assert.ok(hash !== undefined, `the gateway knows ${String(clientAuth['username'])}`);
    assert.ok(verifies(password, hash), `${edge.cluster}'s password verifies`);
    assert.ok(!verifies(`${password}x`, hash), 'and a wrong one does not');
    assert.equal(get(config, 'exporters', 'otlp', 'endpoint'), `${host}:443`);
    assert.equal(get(config, 'exporters', 'otlp', 'tls'), undefined, 'TLS on (the default)');
    assert.deepEqual(
      (get(config, 'service', 'pipelines', 'traces', 'processors') as string[]).filter((p) => p === 'resource'),
      ['resource'],
      'the resource processor is in the pipeline',
    );
  }
});

test("each edge's ClusterRole grants what its k8sattributes config extracts, and nothing more", (t) => {
  const { out, spec } = renderToDisk();
  t.after(() => {
    rmSync(out, { recursive: true, force: true });
  });
  for (const edge of spec.edges) {
    const objects = readCluster(join(out, edge.cluster));
    const config = parse(String(get(one(objects, 'ConfigMap'), 'data', 'config.yaml'))) as Config;
    const checked = validateConfig(
      K8sAttributesConfigSchema,
      fromPlain(get(config, 'processors', 'k8sattributes'), undefined),
      '',
      undefined,
    );
    const cfg = checked.value as K8sAttributesConfig;
    const needed = rbacNeeds(compileRules(cfg, {}), cfg.passthrough).map((n) => `${n.apiGroup}/${n.resource}`);
    const rules = get(one(objects, 'ClusterRole'), 'rules') as {
      apiGroups: string[];
      resources: string[];
      verbs: string[];
    }[];
    const granted = rules.flatMap((r) => r.apiGroups.flatMap((g) => r.resources.map((res) => `${g}/${res}`)));
    assert.deepEqual(granted.sort(), needed.sort());
    assert.ok(needed.includes('apps/replicasets'), 'deployment names need replicasets');
    for (const r of rules) assert.deepEqual(r.verbs, ['get', 'list', 'watch']);
    const binding = one(objects, 'ClusterRoleBinding');
    assert.equal(get(binding, 'roleRef', 'name'), one(objects, 'ClusterRole').metadata.name);
    assert.equal(
      get(binding, 'subjects', 0, 'name'),
      get(one(objects, 'DaemonSet'), 'spec', 'template', 'spec', 'serviceAccountName'),
    );
  }
});

test('credentials appear only in Secrets; a second render over the output keeps every file', (t) => {
  const { out, spec, passwords } = renderToDisk();
  t.after(() => {
    rmSync(out, { recursive: true, force: true });
  });
  const clusters = [spec.gateway.cluster, ...spec.edges.map((e) => e.cluster)];
  const hashes = String(get(one(readCluster(join(out, spec.gateway.cluster)), 'Secret'), 'stringData', 'htpasswd'))
    .trim()
    .split('\n')
    .map((l) => l.slice(l.indexOf(':') + 1));
  const before = new Map<string, string>();
  for (const c of clusters)
    for (const f of readdirSync(join(out, c))) {
      const text = readFileSync(join(out, c, f), 'utf8');
      before.set(join(c, f), text);
      if (f.includes('secret')) continue;
      for (const secret of [...passwords, ...hashes]) assert.ok(!text.includes(secret), `${c}/${f} holds a credential`);
    }
  const again = render(spec, { runtime: 'telegate', operator: false, existing: readExistingCredentials(out, spec) });
  assert.deepEqual(
    again.credentials.filter((c) => c.generated),
    [],
  );
  writeOutput(out, again.files);
  for (const [path, text] of before) assert.equal(readFileSync(join(out, path), 'utf8'), text, path);
});
