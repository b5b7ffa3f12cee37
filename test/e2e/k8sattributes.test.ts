// End to end: the OpenTelemetry JS SDK sends spans from known loopback addresses (127.0.0.2 on the
// filtered node, 127.0.0.3 on another) to a telegate process whose k8sattributes processor watches a
// fake Kubernetes API server; the sink receives the spans tagged with pod, namespace, node and
// deployment. A pod deleted and recreated under a new name with the same IP is picked up.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { KubeApiServer, podObject, replicaSetObject } from '../helpers/kube-api-server.ts';
import { OtlpGrpcServer } from '../helpers/otlp-grpc-server.ts';
import { decodeRequest } from '../helpers/otlp-proto.ts';
import { sdkSpans, sdkSend } from '../helpers/sdk.ts';
import { freePort, runTelegate, writeConfig, type TelegateProcess } from '../helpers/telegate-process.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
let kube: KubeApiServer;
let sink: OtlpGrpcServer;
let telegate: TelegateProcess;
let httpUrl: string;

const OWNER = { kind: 'ReplicaSet', name: 'checkout-6f7c8d9b5', uid: 'uid-rs-checkout-6f7c8d9b5' };

before(async () => {
  kube = new KubeApiServer();
  await kube.start();
  kube.put('replicasets', replicaSetObject('checkout-6f7c8d9b5', 'checkout', 'shop'));
  kube.put(
    'pods',
    podObject({ name: 'checkout-6f7c8d9b5-a1', namespace: 'shop', ip: '127.0.0.2', node: 'node-a', owner: OWNER }),
  );
  kube.put('pods', podObject({ name: 'elsewhere', namespace: 'shop', ip: '127.0.0.3', node: 'node-b' }));
  sink = new OtlpGrpcServer();
  const sinkPort = await sink.start();
  const [http, metrics] = [await freePort(), await freePort()];
  httpUrl = `http://127.0.0.1:${http}`;
  const config = writeConfig(`
receivers:
  otlp:
    protocols:
      http:
        endpoint: 0.0.0.0:${http}
processors:
  k8sattributes:
    auth_type: kubeConfig
    filter:
      node_from_env_var: KUBE_NODE_NAME
exporters:
  otlp:
    endpoint: 127.0.0.1:${sinkPort}
    tls:
      insecure: true
service:
  telemetry:
    metrics:
      address: 127.0.0.1:${metrics}
  pipelines:
    traces:
      receivers: [otlp]
      processors: [k8sattributes]
      exporters: [otlp]
`);
  telegate = runTelegate(['--config', config], { KUBECONFIG: kube.writeKubeconfig(), KUBE_NODE_NAME: 'node-a' });
  await telegate.waitFor(/Everything is ready/);
});

after(async () => {
  await telegate.stop();
  await sink.stop();
  await kube.stop();
});

/** Sends one SDK batch from `localAddress`; resolves with the Resource attributes the sink received. */
async function sendFrom(localAddress: string): Promise<Record<string, string>> {
  const exporter = new OTLPTraceExporter({ url: `${httpUrl}/v1/traces`, httpAgentOptions: { localAddress } });
  const before = sink.calls.length;
  assert.equal((await sdkSend(exporter, sdkSpans().items)).code, ExportResultCode.SUCCESS);
  await exporter.shutdown();
  await sink.waitForCalls(before + 1);
  const call = sink.calls[before];
  assert.ok(call);
  const rs = decodeRequest('traces', call.bytes).resourceSpans[0];
  return Object.fromEntries(
    (rs.resource.attributes as { key: string; value: { stringValue?: string } }[]).map((a) => [
      a.key,
      a.value.stringValue ?? '',
    ]),
  );
}

test('spans from the pod on the filtered node carry its pod, namespace, node and deployment', async () => {
  const attrs = await sendFrom('127.0.0.2');
  assert.equal(attrs['service.name'], 'checkout', 'the SDK resource is kept');
  assert.equal(attrs['k8s.pod.ip'], '127.0.0.2');
  assert.equal(attrs['k8s.pod.name'], 'checkout-6f7c8d9b5-a1');
  assert.equal(attrs['k8s.namespace.name'], 'shop');
  assert.equal(attrs['k8s.node.name'], 'node-a');
  assert.equal(attrs['k8s.deployment.name'], 'checkout');
  assert.equal(attrs['k8s.pod.uid'], 'uid-checkout-6f7c8d9b5-a1');
});

test('the node filter reaches the API server, and a pod on another node is not tagged', async () => {
  assert.ok(
    kube.requests.some((r) => r.resource === 'pods' && r.query.get('fieldSelector') === 'spec.nodeName=node-a'),
  );
  const attrs = await sendFrom('127.0.0.3');
  assert.equal(attrs['k8s.pod.ip'], '127.0.0.3');
  assert.equal(attrs['k8s.pod.name'], undefined);
});

test('a pod deleted and recreated under a new name with the same IP is picked up', async () => {
  kube.delete('pods', 'checkout-6f7c8d9b5-a1', 'shop');
  kube.put(
    'pods',
    podObject({ name: 'checkout-6f7c8d9b5-b2', namespace: 'shop', ip: '127.0.0.2', node: 'node-a', owner: OWNER }),
  );
  // The watch delivers the change asynchronously: send until it shows (bounded: 100 batches).
  let name: string | undefined;
  for (let i = 0; i < 100 && name !== 'checkout-6f7c8d9b5-b2'; i++)
    name = (await sendFrom('127.0.0.2'))['k8s.pod.name'];
  assert.equal(name, 'checkout-6f7c8d9b5-b2');
});

test('`telegate validate` names the RBAC rules the extraction needs', () => {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'validate', '--config', 'examples/seed/edge.yaml'],
    {
      cwd: ROOT,
      env: { ...process.env, KUBE_NODE_NAME: 'node-a' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  assert.match(out, /apiGroups: \[""\], resources: \["pods"\], verbs: \["get", "list", "watch"\]/);
  assert.match(out, /apiGroups: \["apps"\], resources: \["replicasets"\]/);
  assert.doesNotMatch(out, /namespaces|nodes"/);
});

test('a 403 at start stops telegate with the missing rule and the ServiceAccount, not a stack trace', async () => {
  const forbidden = new KubeApiServer();
  await forbidden.start();
  forbidden.forbid('pods');
  try {
    const config = writeConfig(`
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:${await freePort()}
processors:
  k8sattributes:
    auth_type: kubeConfig
exporters:
  debug:
service:
  telemetry:
    metrics:
      level: none
  pipelines:
    traces:
      receivers: [otlp]
      processors: [k8sattributes]
      exporters: [debug]
`);
    const p = runTelegate(['--config', config], { KUBECONFIG: forbidden.writeKubeconfig() });
    const [code] = (await once(p.child, 'exit')) as [number | null];
    assert.notEqual(code, 0);
    assert.match(p.output(), /refused to list pods \(403 Forbidden\)/);
    assert.match(p.output(), /ServiceAccount "attributes-account" in namespace "telemetry"/);
    assert.doesNotMatch(p.output(), /\n\s+at /, 'no stack trace');
  } finally {
    await forbidden.stop();
  }
});
