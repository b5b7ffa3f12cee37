// The connection to the Kubernetes API through @kubernetes/client-node 1.x: a KubeConfig from
// `auth_type` (Go: internal/k8sconfig), and for each watched resource its list call and watch path,
// with the filters sent as selectors so the API server does the filtering (a DaemonSet pod asks only
// for its node's pods: fieldSelector=spec.nodeName=…).
import { existsSync } from 'node:fs';
import type { KubeConfig } from '@kubernetes/client-node';
import { TelegateError } from '../../../errors/catalogue.ts';
import type { CompiledRules } from './rules.ts';

/** Where Kubernetes mounts a pod's ServiceAccount token, CA and namespace. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** The client library, loaded on first start: a config without k8sattributes never pays for it. */
export type KubeClientModule = typeof import('@kubernetes/client-node');

/**
 * Loads @kubernetes/client-node. It is external to the CLI bundle (scripts/bundle.mjs) and imported
 * only here: bundled and evaluated at start it cost every telegate process +0.35 s and +27 MB RSS.
 */
export function loadKubeClient(): Promise<KubeClientModule> {
  return import('@kubernetes/client-node');
}

/** One list result: the objects and the resourceVersion to watch from. */
export interface ListResult {
  readonly items: readonly unknown[];
  readonly resourceVersion: string;
}

/** A watched resource: how to list it and where to watch it. */
export interface ResourceSource {
  /** The RBAC resource name (pods, replicasets, namespaces, nodes). */
  readonly resource: string;
  readonly apiGroup: '' | 'apps';
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  list(): Promise<ListResult>;
}

/** Builds the client config for `auth_type`; throws a coded error when it cannot. */
export function kubeConfigFor(
  mod: KubeClientModule,
  authType: string,
  context: string,
  env: NodeJS.ProcessEnv = process.env,
  serviceAccountDir = SERVICE_ACCOUNT_DIR,
): KubeConfig {
  const kc = new mod.KubeConfig();
  const host = env['KUBERNETES_SERVICE_HOST'];
  const port = env['KUBERNETES_SERVICE_PORT'];
  if (authType === 'kubeConfig') {
    const file = env['KUBECONFIG']?.split(':')[0];
    if (file !== undefined && file !== '') kc.loadFromFile(file);
    else kc.loadFromDefault();
    if (context !== '') kc.setCurrentContext(context);
    if (kc.getCurrentCluster() === null)
      throw new TelegateError('TG_START_FAILED', 'k8sattributes: the kubeconfig has no current cluster');
    return kc;
  }
  if (host === undefined || host === '' || port === undefined || port === '') {
    throw new TelegateError(
      'TG_START_FAILED',
      'unable to load k8s config, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined',
    );
  }
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (authType === 'none') {
    // Go's AuthTypeNone: no credentials and no server verification.
    kc.loadFromClusterAndUser({ name: 'cluster', server, skipTLSVerify: true }, { name: 'none' });
    return kc;
  }
  const token = `${serviceAccountDir}/token`;
  const ca = `${serviceAccountDir}/ca.crt`;
  for (const file of [token, ca])
    if (!existsSync(file))
      throw new TelegateError(
        'TG_START_FAILED',
        `k8sattributes: auth_type serviceAccount needs ${file} (is automountServiceAccountToken off for this pod?)`,
      );
  // Go's rest.InClusterConfig: https to the service host, the mounted CA, and the token file re-read
  // as the kubelet rotates it (client-node's tokenFile provider). Built here rather than with
  // loadFromCluster, which reads process.env and fixed paths instead of what this processor was given.
  kc.loadFromClusterAndUser(
    { name: 'inCluster', server, caFile: ca, skipTLSVerify: false },
    { name: 'inClusterUser', authProvider: { name: 'tokenFile', config: { tokenFile: token } } },
  );
  return kc;
}

/** The sources the rules need, pods first. */
export function sourcesFor(
  mod: KubeClientModule,
  kc: KubeConfig,
  rules: CompiledRules,
  needs: ReadonlySet<string>,
): ResourceSource[] {
  const core = kc.makeApiClient(mod.CoreV1Api);
  const apps = kc.makeApiClient(mod.AppsV1Api);
  const ns = rules.namespace;
  const selectors = compact({ fieldSelector: rules.fieldSelector, labelSelector: rules.labelSelector });
  const out: ResourceSource[] = [
    {
      resource: 'pods',
      apiGroup: '',
      path: ns === '' ? '/api/v1/pods' : `/api/v1/namespaces/${ns}/pods`,
      query: selectors,
      list: () =>
        ns === ''
          ? core.listPodForAllNamespaces(selectors).then(listed)
          : core.listNamespacedPod({ namespace: ns, ...selectors }).then(listed),
    },
  ];
  if (needs.has('replicasets')) {
    out.push({
      resource: 'replicasets',
      apiGroup: 'apps',
      path: ns === '' ? '/apis/apps/v1/replicasets' : `/apis/apps/v1/namespaces/${ns}/replicasets`,
      query: {},
      list: () =>
        ns === ''
          ? apps.listReplicaSetForAllNamespaces().then(listed)
          : apps.listNamespacedReplicaSet({ namespace: ns }).then(listed),
    });
  }
  if (needs.has('namespaces')) {
    out.push({
      resource: 'namespaces',
      apiGroup: '',
      path: '/api/v1/namespaces',
      query: {},
      list: () => core.listNamespace().then(listed),
    });
  }
  if (needs.has('nodes')) {
    const nodeQuery = compact({ fieldSelector: rules.node === '' ? '' : `metadata.name=${rules.node}` });
    out.push({
      resource: 'nodes',
      apiGroup: '',
      path: '/api/v1/nodes',
      query: nodeQuery,
      list: () => core.listNode(nodeQuery).then(listed),
    });
  }
  return out;
}

function compact(q: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(q)) if (v !== '') out[k] = v;
  return out;
}

function listed(l: { items: readonly unknown[]; metadata?: { resourceVersion?: string } }): ListResult {
  return { items: l.items, resourceVersion: l.metadata?.resourceVersion ?? '' };
}
