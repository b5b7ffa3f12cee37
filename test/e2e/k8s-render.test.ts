// `telegate k8s render`'s output run as the clusters would run it, on one machine: the example spec
// rendered to disk, the gateway and edge configs taken verbatim from their ConfigMaps, the Secrets
// written to files (the htpasswd) and env variables (each edge's password), and only the addresses
// pointed at loopback (--set). OpenTelemetry JS SDK → each edge (k8sattributes on a fake API server)
// → a real nginx terminating TLS for the Ingress host with the Ingress's body size → the gateway →
// a gRPC sink: spans arrive tagged with their edge's cluster, zone, pod and verified user.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExportResultCode } from '@opentelemetry/core';
import { parseAllDocuments } from 'yaml';
import { NO_EXISTING } from '../../src/k8s/credentials.ts';
import { parseSpec } from '../../src/k8s/load-spec.ts';
import { render } from '../../src/k8s/render.ts';
import { writeOutput } from '../../src/k8s/write-output.ts';
import { KubeApiServer, podObject, replicaSetObject } from '../helpers/kube-api-server.ts';
import { nginxMissing, startNginx, type Nginx } from '../helpers/nginx.ts';
import { OtlpGrpcServer } from '../helpers/otlp-grpc-server.ts';
import { decodeRequest } from '../helpers/otlp-proto.ts';
import { sdkBatch, sdkExporter, sdkSend } from '../helpers/sdk.ts';
import { freePort, runTelegate, type TelegateProcess } from '../helpers/telegate-process.ts';
import { makeCa } from '../helpers/tls.ts';

type Obj = { kind: string; metadata: { name: string; annotations?: Record<string, string> }; [k: string]: unknown };

const SPEC_FILE = new URL('../../examples/k8s/spec.yaml', import.meta.url).pathname;
const skip = nginxMissing();

let out: string;
let sink: OtlpGrpcServer;
let nginx: Nginx;
let gateway: TelegateProcess;
let kube: KubeApiServer;
let caFile: string;
let htpasswdFile: string;
const edges: { cluster: string; zone: string; process: TelegateProcess; grpcUrl: string }[] = [];

function objectsOf(cluster: string): Obj[] {
  const dir = join(out, cluster);
  return readdirSync(dir)
    .sort()
    .flatMap((f) => parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => d.toJS() as Obj));
}

function find(objects: Obj[], kind: string): Obj {
  const o = objects.find((x) => x.kind === kind);
  assert.ok(o !== undefined, kind);
  return o;
}

function get(value: unknown, ...path: (string | number)[]): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<string | number, unknown> | undefined)?.[k], value);
}

/** The collector config of a cluster, verbatim from its ConfigMap, written to a file. */
function configFile(cluster: string): string {
  const path = join(out, `${cluster}.config.yaml`);
  writeFileSync(path, String(get(find(objectsOf(cluster), 'ConfigMap'), 'data', 'config.yaml')));
  return path;
}

function sets(pairs: string[]): string[] {
  return pairs.flatMap((s) => ['--set', s]);
}

async function startGateway(spec: { gateway: { cluster: string } }, sinkPort: number): Promise<number> {
  const objects = objectsOf(spec.gateway.cluster);
  htpasswdFile = join(out, 'htpasswd');
  writeFileSync(htpasswdFile, String(get(find(objects, 'Secret'), 'stringData', 'htpasswd')), { mode: 0o600 });
  const [grpc, health, metrics] = [await freePort(), await freePort(), await freePort()];
  gateway = runTelegate([
    '--config',
    configFile(spec.gateway.cluster),
    ...sets([
      `receivers::otlp::protocols::grpc::endpoint=127.0.0.1:${grpc}`,
      `extensions::health_check::endpoint=127.0.0.1:${health}`,
      `extensions::basicauth/server::htpasswd::file=${htpasswdFile}`,
      `exporters::otlp/backend::endpoint=127.0.0.1:${sinkPort}`,
      `service::telemetry::metrics::address=127.0.0.1:${metrics}`,
    ]),
  ]);
  await gateway.waitFor(/Everything is ready/);
  // The Deployment's readiness probe, as the kubelet would ask it.
  const probe = get(
    find(objects, 'Deployment'),
    'spec',
    'template',
    'spec',
    'containers',
    0,
    'readinessProbe',
    'httpGet',
  );
  const res = await fetch(`http://127.0.0.1:${health}${String(get(probe, 'path'))}`);
  assert.equal(res.status, 200);
  return grpc;
}

async function startEdge(cluster: string, host: string): Promise<{ process: TelegateProcess; grpcUrl: string }> {
  const objects = objectsOf(cluster);
  const password = String(get(find(objects, 'Secret'), 'stringData', 'password'));
  const [grpc, http, health, metrics] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const process = runTelegate(
    [
      '--config',
      configFile(cluster),
      ...sets([
        `receivers::otlp::protocols::grpc::endpoint=127.0.0.1:${grpc}`,
        `receivers::otlp::protocols::http::endpoint=127.0.0.1:${http}`,
        `extensions::health_check::endpoint=127.0.0.1:${health}`,
        // The Ingress host points at loopback; TLS still verifies the host's name.
        `exporters::otlp::endpoint=127.0.0.1:${nginx.port}`,
        `exporters::otlp::tls::server_name_override=${host}`,
        `exporters::otlp::tls::ca_file=${caFile}`,
        // Outside a cluster there is no ServiceAccount: the fake API server through a kubeconfig.
        'processors::k8sattributes::auth_type=kubeConfig',
        // The node's hostPath for the persistent queue: a directory of this test's own.
        `extensions::file_storage/queue::directory=${join(out, `${cluster}-queue`)}`,
        `service::telemetry::metrics::address=127.0.0.1:${metrics}`,
      ]),
    ],
    { TELEGATE_EDGE_PASSWORD: password, KUBECONFIG: kube.writeKubeconfig(), KUBE_NODE_NAME: 'node-a' },
  );
  await process.waitFor(/Everything is ready/);
  return { process, grpcUrl: `http://127.0.0.1:${grpc}` };
}

before(async () => {
  if (skip !== undefined) return;
  const loaded = parseSpec(readFileSync(SPEC_FILE, 'utf8'), SPEC_FILE);
  if ('issues' in loaded) throw new Error('the example spec is invalid');
  const spec = loaded.spec;
  out = mkdtempSync(join(tmpdir(), 'tg-k8s-e2e-'));
  writeOutput(out, render(spec, { runtime: 'telegate', operator: false, existing: NO_EXISTING }).files);
  kube = new KubeApiServer();
  await kube.start();
  kube.put('replicasets', replicaSetObject('telegate-tracegen-5c7b9d', 'telegate-tracegen', 'telemetry'));
  const owner = { kind: 'ReplicaSet', name: 'telegate-tracegen-5c7b9d', uid: 'uid-rs-telegate-tracegen-5c7b9d' };
  kube.put(
    'pods',
    podObject({ name: 'telegate-tracegen-5c7b9d-a1', namespace: 'telemetry', ip: '127.0.0.1', node: 'node-a', owner }),
  );
  const host = spec.gateway.host;
  const ca = makeCa();
  caFile = ca.certFile;
  // What cert-manager would obtain for the Ingress's TLS host.
  const cert = ca.issue('ingress', { cn: host, san: `DNS:${host}` });
  sink = new OtlpGrpcServer();
  const gatewayPort = await startGateway(spec, await sink.start());
  const ingress = find(objectsOf(spec.gateway.cluster), 'Ingress');
  nginx = await startNginx({
    port: await freePort(),
    backendPort: gatewayPort,
    certFile: cert.certFile,
    keyFile: cert.keyFile,
    clientMaxBodySize: String(ingress.metadata.annotations?.['nginx.ingress.kubernetes.io/proxy-body-size']),
  });
  for (const edge of spec.edges)
    edges.push({ cluster: edge.cluster, zone: edge.zone, ...(await startEdge(edge.cluster, host)) });
});

after(async () => {
  if (skip !== undefined) return;
  for (const e of edges) await e.process.stop();
  await gateway.stop();
  await nginx.stop();
  await sink.stop();
  await kube.stop();
  rmSync(out, { recursive: true, force: true });
});

type ResourceSpans = { resource: { attributes: { key: string; value: { stringValue?: string } }[] } };

function resourceAttributes(from: number): Record<string, string | undefined>[] {
  const all = sink.calls.slice(from).flatMap((c) => {
    const decoded = decodeRequest('traces', c.bytes) as { resourceSpans?: ResourceSpans[] };
    return decoded.resourceSpans ?? [];
  });
  return all.map((rs) => Object.fromEntries(rs.resource.attributes.map((a) => [a.key, a.value.stringValue])));
}

async function sendThrough(grpcUrl: string): Promise<void> {
  const exporter = sdkExporter('traces', 'grpc', { grpc: grpcUrl, http: '' });
  assert.equal((await sdkSend(exporter, (await sdkBatch('traces')).items)).code, ExportResultCode.SUCCESS);
  await exporter.shutdown();
}

test(
  'SDK → each rendered edge → nginx TLS → rendered gateway: spans arrive tagged with cluster, zone, pod and user',
  { skip },
  async () => {
    for (const edge of edges) {
      const from = sink.calls.length;
      await sendThrough(edge.grpcUrl);
      await sink.waitForCalls(from + 1);
      const [attrs] = resourceAttributes(from);
      assert.ok(attrs !== undefined);
      assert.equal(attrs['k8s.cluster.name'], edge.cluster);
      assert.equal(attrs['cloud.availability_zone'], edge.zone);
      assert.equal(attrs['telegate.auth.username'], edge.cluster, 'the user the gateway verified');
      assert.equal(attrs['k8s.pod.name'], 'telegate-tracegen-5c7b9d-a1');
      assert.equal(attrs['k8s.deployment.name'], 'telegate-tracegen');
    }
    assert.doesNotMatch(gateway.output(), /refused|unauthenticated/i);
  },
);

test('a rotated htpasswd Secret reloads without a restart: the old password is refused', { skip }, async () => {
  const edge = edges[0];
  assert.ok(edge !== undefined);
  // The kubelet swaps a mounted Secret's files atomically; the new Secret no longer knows this edge.
  const others = readFileSync(htpasswdFile, 'utf8')
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith(`${edge.cluster}:`));
  writeFileSync(`${htpasswdFile}.new`, `${others.join('\n')}\n`);
  renameSync(`${htpasswdFile}.new`, htpasswdFile);
  await gateway.waitFor(/htpasswd reloaded/);
  const from = sink.calls.length;
  await sendThrough(edge.grpcUrl);
  await edge.process.waitFor(/refused the credentials/);
  assert.equal(sink.calls.length, from);
});
