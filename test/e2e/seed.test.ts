// The seed's topology on one machine, with its configs as written (examples/seed/*.yaml) and the
// local overlays merged over them: OpenTelemetry JS SDK → edge telegate (basicauth/client, TLS) →
// a real nginx terminating TLS with grpc_pass (the seed's ingress) → gateway telegate
// (basicauth/server) → a gRPC sink. Then the same chain with wrong, missing and malformed
// credentials: nothing arrives, and the edge's log says the gateway refused its credentials.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { credentials, Metadata } from '@grpc/grpc-js';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OtlpGrpcServer } from '../helpers/otlp-grpc-server.ts';
import { decodeRequest } from '../helpers/otlp-proto.ts';
import { nginxMissing, startNginx, type Nginx } from '../helpers/nginx.ts';
import { sdkBatch, sdkExporter, sdkSend } from '../helpers/sdk.ts';
import { freePort, runTelegate, type TelegateProcess } from '../helpers/telegate-process.ts';
import { KubeApiServer, podObject, replicaSetObject } from '../helpers/kube-api-server.ts';
import { queueDirEnv } from '../helpers/queue-dir.ts';
import { selfSignedCert, type TestCert } from '../helpers/tls.ts';

const EXAMPLES = new URL('../../examples/seed/', import.meta.url).pathname;
const skip = nginxMissing();

let cert: TestCert;
let sink: OtlpGrpcServer;
let nginx: Nginx;
let gateway: TelegateProcess;
// The edge's k8sattributes reads this fake API server (edge-local.yaml: auth_type kubeConfig): the
// SDK's pod is at 127.0.0.1 on the node the DaemonSet names in KUBE_NODE_NAME.
let kube: KubeApiServer;
let kubeEnv: NodeJS.ProcessEnv;

async function startEdge(password?: string): Promise<{ edge: TelegateProcess; grpcUrl: string }> {
  const [grpc, metrics] = [await freePort(), await freePort()];
  const sets = [
    `receivers::otlp::protocols::grpc::endpoint=127.0.0.1:${grpc}`,
    `exporters::otlp::endpoint=localhost:${nginx.port}`,
    `exporters::otlp::tls::ca_file=${cert.certFile}`,
    `exporters::otlp::retry_on_failure::enabled=false`,
    `service::telemetry::metrics::address=127.0.0.1:${metrics}`,
  ];
  if (password !== undefined) sets.push(`extensions::basicauth/client::client_auth::password=${password}`);
  const edge = runTelegate(
    [
      '--config',
      `${EXAMPLES}edge.yaml`,
      '--config',
      `${EXAMPLES}edge-local.yaml`,
      ...sets.flatMap((s) => ['--set', s]),
    ],
    { ...kubeEnv, ...queueDirEnv() },
  );
  await edge.waitFor(/Everything is ready/);
  return { edge, grpcUrl: `http://127.0.0.1:${grpc}` };
}

before(async () => {
  if (skip !== undefined) return;
  kube = new KubeApiServer();
  await kube.start();
  kubeEnv = { KUBECONFIG: kube.writeKubeconfig(), KUBE_NODE_NAME: 'node-a' };
  kube.put('replicasets', replicaSetObject('trace-gen-5c7b9d', 'trace-gen'));
  const owner = { kind: 'ReplicaSet', name: 'trace-gen-5c7b9d', uid: 'uid-rs-trace-gen-5c7b9d' };
  kube.put('pods', podObject({ name: 'trace-gen-5c7b9d-q8x2z', ip: '127.0.0.1', node: 'node-a', owner }));
  cert = selfSignedCert();
  sink = new OtlpGrpcServer();
  const sinkPort = await sink.start();
  const [gatewayPort, metrics, nginxPort] = [await freePort(), await freePort(), await freePort()];
  gateway = runTelegate([
    '--config',
    `${EXAMPLES}gateway.yaml`,
    '--config',
    `${EXAMPLES}gateway-local.yaml`,
    '--set',
    `receivers::otlp/basicauth::protocols::grpc::endpoint=127.0.0.1:${gatewayPort}`,
    '--set',
    `exporters::otlp/jaeger::endpoint=127.0.0.1:${sinkPort}`,
    '--set',
    `service::telemetry::metrics::address=127.0.0.1:${metrics}`,
  ]);
  await gateway.waitFor(/Everything is ready/);
  nginx = await startNginx({
    port: nginxPort,
    backendPort: gatewayPort,
    certFile: cert.certFile,
    keyFile: cert.keyFile,
  });
});

after(async () => {
  if (skip !== undefined) return;
  await gateway.stop();
  await nginx.stop();
  await sink.stop();
  await kube.stop();
});

test(
  'SDK → edge → nginx (TLS, grpc_pass) → gateway (basicauth) → sink: spans carry the edge stamps, their pod and the verified user',
  { skip },
  async () => {
    const { edge, grpcUrl } = await startEdge();
    try {
      const batch = await sdkBatch('traces');
      const exporter = sdkExporter('traces', 'grpc', { grpc: grpcUrl, http: '' });
      assert.equal((await sdkSend(exporter, batch.items)).code, ExportResultCode.SUCCESS);
      await exporter.shutdown();
      await sink.waitForCalls(1);
      const resources = sink.calls.flatMap((c): any[] => decodeRequest('traces', c.bytes).resourceSpans ?? []);
      const attrs = Object.fromEntries(
        resources[0].resource.attributes.map((a: { key: string; value: { stringValue?: string } }) => [
          a.key,
          a.value.stringValue,
        ]),
      );
      assert.equal(attrs['k8s.cluster.name'], 'edge-cluster-1');
      assert.equal(attrs['cloud.availability_zone'], 'eu-west-1');
      assert.equal(attrs['telegate.auth.username'], 'user-1');
      assert.equal(attrs['service.name'], 'checkout');
      assert.equal(attrs['k8s.pod.name'], 'trace-gen-5c7b9d-q8x2z');
      assert.equal(attrs['k8s.deployment.name'], 'trace-gen');
      assert.equal(attrs['k8s.node.name'], 'node-a');
      assert.match(gateway.output(), /plain/i, 'the gateway warned that a plain password is stored');
    } finally {
      await edge.stop();
    }
  },
);

test(
  "with a wrong password, nothing arrives and the edge says the gateway refused user-1's credentials",
  { skip },
  async () => {
    const before = sink.calls.length;
    const { edge, grpcUrl } = await startEdge('not-the-password');
    try {
      const exporter = sdkExporter('traces', 'grpc', { grpc: grpcUrl, http: '' });
      assert.equal((await sdkSend(exporter, (await sdkBatch('traces')).items)).code, ExportResultCode.SUCCESS);
      await exporter.shutdown();
      await edge.waitFor(/refused the credentials/);
      assert.match(edge.output(), /user-1/);
      assert.doesNotMatch(edge.output(), /not-the-password/);
      assert.equal(sink.calls.length, before);
    } finally {
      await edge.stop();
    }
  },
);

const wrongCredentials: [string, string | undefined][] = [
  ['missing', undefined],
  ['malformed', 'Basic %%%not-base64%%%'],
  ['wrong', `Basic ${Buffer.from('user-1:12345').toString('base64')}`],
  ["the seed's own example (a trailing newline in the encoded password)", 'Basic dXNlci0xOjEyMzQK'],
];
for (const [name, authorization] of wrongCredentials) {
  test(
    `an SDK client with ${name} credentials sees UNAUTHENTICATED through nginx; nothing arrives`,
    { skip },
    async () => {
      const before = sink.calls.length;
      const metadata = new Metadata();
      if (authorization !== undefined) metadata.set('authorization', authorization);
      const exporter = new OTLPTraceExporter({
        url: `https://localhost:${nginx.port}`,
        credentials: credentials.createSsl(cert.cert),
        metadata,
      });
      try {
        const result = await sdkSend(exporter, (await sdkBatch('traces')).items);
        assert.equal(result.code, ExportResultCode.FAILED);
        assert.equal((result.error as { code?: number } | undefined)?.code, 16, String(result.error));
        assert.equal(sink.calls.length, before);
      } finally {
        await exporter.shutdown();
      }
    },
  );
}
