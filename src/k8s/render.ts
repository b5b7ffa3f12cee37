// `k8s render` in memory: a spec becomes one directory of files per cluster — the gateway's and each
// edge's — plus the collector configs (to check with the config validator) and what to tell the user.
// Pure apart from generating missing passwords: the same spec and credentials give the same files.
import { backendObjects } from './backend.ts';
import { resolveCredentials, type EdgeCredential, type ExistingCredentials } from './credentials.ts';
import { edgeConfig } from './edge-config.ts';
import { edgeDaemonSet, edgeService, generatorDeployment } from './edge-objects.ts';
import { gatewayConfig } from './gateway-config.ts';
import { configMap, gatewayDeployment, gatewayHpa, gatewayPdb, gatewayService } from './gateway-objects.ts';
import { clusterIssuer, gatewayIngress } from './ingress.ts';
import { clusterMeta, type K8sObject } from './manifest.ts';
import { EDGE_PASSWORD_ENV, edgeQueueHostPath, HTPASSWD_PATH, NAMES } from './names.ts';
import { operatorEdge, operatorGateway, operatorService } from './operator.ts';
import { edgeRbac } from './rbac.ts';
import { configFor, type CollectorConfig, type Runtime } from './runtime.ts';
import { edgeSecret, htpasswdSecret, secretFile } from './secrets.ts';
import { edgeNamespace, oidcOf, type EdgeSpec, type K8sSpec } from './spec.ts';
import { join } from 'node:path';

/** How to render. */
export interface RenderOptions {
  readonly runtime: Runtime;
  readonly operator: boolean;
  readonly existing: ExistingCredentials;
  /** Makes a missing password (tests pass a deterministic one). */
  readonly generate?: () => string;
}

/** One output file, relative to --out. */
export interface RenderedFile {
  readonly path: string;
  readonly objects: readonly K8sObject[];
  /** Holds credentials (a Secret). */
  readonly secret: boolean;
}

/** A rendered collector config with what it reads at run time: mounted files and env variables. */
export interface RenderedCollector {
  readonly cluster: string;
  readonly role: 'gateway' | 'edge';
  readonly config: CollectorConfig;
  readonly files: ReadonlyMap<string, string>;
  readonly env: Readonly<Record<string, string>>;
}

/** Everything a render produces. */
export interface RenderResult {
  readonly files: readonly RenderedFile[];
  readonly collectors: readonly RenderedCollector[];
  readonly credentials: readonly EdgeCredential[];
  /** Facts to print: what the runtime leaves out, what holds state. */
  readonly notes: readonly string[];
}

/** Renders every cluster of the spec. */
export function render(spec: K8sSpec, options: RenderOptions): RenderResult {
  const credentials = resolveCredentials(spec, options.existing, options.generate);
  const gateway = renderGateway(spec, options, credentials);
  const edges = spec.edges.map((edge, i) => renderEdge(spec, edge, options, credentials[i] as EdgeCredential));
  return {
    files: [...gateway.files, ...edges.flatMap((e) => e.files)],
    collectors: [gateway.collector, ...edges.map((e) => e.collector)],
    credentials,
    notes: [...gateway.notes, ...stateNotes(spec, options.runtime)],
  };
}

interface ClusterRender {
  readonly files: RenderedFile[];
  readonly collector: RenderedCollector;
  readonly notes: string[];
}

function renderGateway(spec: K8sSpec, options: RenderOptions, credentials: readonly EdgeCredential[]): ClusterRender {
  const g = spec.gateway;
  const { config, leftOut } = configFor(gatewayConfig(spec), options.runtime);
  // With oidc the gateway holds no credential: tokens are checked against the provider's keys.
  const secret = oidcOf(spec) === undefined ? htpasswdSecret(spec, credentials) : undefined;
  const issuer = clusterIssuer(spec);
  const workload = options.operator
    ? [operatorGateway(spec, options.runtime, config)]
    : [gatewayDeployment(spec, options.runtime, config), gatewayService(spec), gatewayPdb(spec), gatewayHpa(spec)];
  const service = options.operator ? operatorService(NAMES.gateway) : NAMES.gateway;
  const files: RenderedFile[] = [
    file(g.cluster, '00-namespace.yaml', [namespace(g.namespace, 'gateway')]),
    ...(issuer === undefined ? [] : [file(g.cluster, '01-cluster-issuer.yaml', [issuer])]),
    ...(secret === undefined
      ? []
      : [{ path: secretFile(g.cluster, NAMES.htpasswdSecret), objects: [secret], secret: true }]),
    ...(options.operator
      ? []
      : [file(g.cluster, '10-gateway-config.yaml', [configMap(NAMES.gatewayConfig, g.namespace, 'gateway', config)])]),
    file(g.cluster, '20-gateway.yaml', workload),
    file(g.cluster, '30-ingress.yaml', [gatewayIngress(spec, service)]),
    ...(g.backend === 'all-in-one' ? [file(g.cluster, '40-backend.yaml', backendObjects(spec))] : []),
  ];
  const stringData = (secret?.['stringData'] ?? {}) as Record<string, string>;
  const collector: RenderedCollector = {
    cluster: g.cluster,
    role: 'gateway',
    config,
    files: secret === undefined ? new Map() : new Map([[HTPASSWD_PATH, stringData['htpasswd'] ?? '']]),
    env: {},
  };
  const notes = leftOut.map((what) => `${g.cluster}: left out for ${options.runtime}: ${what}`);
  return { files, collector, notes };
}

function renderEdge(spec: K8sSpec, edge: EdgeSpec, options: RenderOptions, credential: EdgeCredential): ClusterRender {
  const ns = edgeNamespace(spec, edge);
  const { config, leftOut } = configFor(edgeConfig(spec, edge), options.runtime);
  const workload = options.operator
    ? [operatorEdge(spec, ns, options.runtime, config)]
    : [edgeDaemonSet(spec, ns, options.runtime, config), edgeService(ns)];
  const service = options.operator ? operatorService(NAMES.edge) : NAMES.edge;
  const files: RenderedFile[] = [
    file(edge.cluster, '00-namespace.yaml', [namespace(ns, 'edge')]),
    file(edge.cluster, '01-rbac.yaml', edgeRbac(ns, config)),
    { path: secretFile(edge.cluster, NAMES.edgeSecret), objects: [edgeSecret(spec, ns, credential)], secret: true },
    ...(options.operator
      ? []
      : [file(edge.cluster, '10-edge-config.yaml', [configMap(NAMES.edgeConfig, ns, 'edge', config)])]),
    file(edge.cluster, '20-edge.yaml', workload),
    file(edge.cluster, '30-tracegen.yaml', [generatorDeployment(spec, edge, ns, service)]),
  ];
  const collector: RenderedCollector = {
    cluster: edge.cluster,
    role: 'edge',
    config,
    files: new Map(),
    env: { [EDGE_PASSWORD_ENV]: credential.password },
  };
  const notes = leftOut.map((what) => `${edge.cluster}: left out for ${options.runtime}: ${what}`);
  return { files, collector, notes };
}

function file(cluster: string, name: string, objects: K8sObject[]): RenderedFile {
  return { path: join(cluster, name), objects, secret: false };
}

function namespace(name: string, component: string): K8sObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: clusterMeta(name, component) };
}

// What holds state, said once: the gateway replicas can be added and removed freely.
function stateNotes(spec: K8sSpec, runtime: Runtime): string[] {
  const g = spec.gateway.cluster;
  const basic = runtime === 'telegate' ? 'credential cache and login-throttle counts' : 'credential cache';
  const own = oidcOf(spec) === undefined ? basic : "copy of the issuer's signing keys";
  const notes = [
    `${g}: gateway replicas share no state; each keeps its own ${own}; each edge request is answered only once the backend accepted it (sending_queue.wait_for_result)`,
    `edges: a persistent queue on each node (hostPath ${edgeQueueHostPath('<namespace>')}, chowned by an init container running as root): the namespace's Pod Security level must allow hostPath volumes (privileged)`,
  ];
  if (spec.gateway.backend === 'all-in-one')
    notes.push(`${g}: the all-in-one backend keeps traces in memory: one replica, lost on restart`);
  if (runtime === 'otelcol-contrib') notes.push(...contribNotes(spec));
  return notes;
}

// What differs on the contrib image beyond the keys left out of the configs.
function contribNotes(spec: K8sSpec): string[] {
  const g = spec.gateway.cluster;
  const htpasswd = `${g}: otelcol-contrib reads the htpasswd file only at start: after rotating the Secret, run \`kubectl rollout restart deployment/${NAMES.gateway}\``;
  return [
    ...(oidcOf(spec) === undefined ? [htpasswd] : []),
    `the trace generator${spec.gateway.backend === 'all-in-one' ? ' and the all-in-one backend' : ''} still run the telegate image (${spec.image})`,
    `edges: the queue-owner init container (chown of the queue's hostPath) runs the telegate image too: the contrib image has no chown`,
  ];
}
