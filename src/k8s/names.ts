// The names, ports and paths every rendered object agrees on: a Service's port is the container's,
// a mount path is the config's file path. Kept in one place so the objects cannot drift apart.

/** Object names (per namespace; the ClusterRole and its binding are cluster-wide). */
export const NAMES = {
  gateway: 'telegate-gateway',
  gatewayConfig: 'telegate-gateway-config',
  htpasswdSecret: 'telegate-htpasswd',
  tlsSecret: 'telegate-gateway-tls',
  backend: 'telegate-backend',
  edge: 'telegate-edge',
  edgeConfig: 'telegate-edge-config',
  edgeSecret: 'telegate-edge-auth',
  edgeRole: 'telegate-edge-k8sattributes',
  generator: 'telegate-tracegen',
} as const;

/** Container and Service ports. */
export const PORTS = {
  otlpGrpc: 4317,
  otlpHttp: 4318,
  /** The Go collector's health_check default. */
  health: 13133,
  ui: 16686,
} as const;

/** Where the config and the Secrets are mounted in a collector pod. */
export const PATHS = {
  configDir: '/etc/telegate/config',
  configFile: 'config.yaml',
  htpasswdDir: '/etc/telegate/htpasswd',
  htpasswdFile: 'htpasswd',
  /** The edge's persistent queue, a hostPath volume (see `edgeQueueHostPath`). */
  queueDir: '/var/lib/telegate/queue',
} as const;

/** The node directory holding an edge's queue: one per namespace, so two renders never share one. */
export function edgeQueueHostPath(namespace: string): string {
  return `/var/lib/telegate/${namespace}-edge`;
}

/** The edge's password reaches its config through this variable (set from the edge Secret). */
export const EDGE_PASSWORD_ENV = 'TELEGATE_EDGE_PASSWORD';
/** The downward API's spec.nodeName, read by k8sattributes' node filter. */
export const NODE_NAME_ENV = 'KUBE_NODE_NAME';
/** The Secret key holding an edge's password. */
export const PASSWORD_KEY = 'password';
/** The Secret key holding an edge's OAuth2 client secret (with `auth: oidc`). */
export const CLIENT_SECRET_KEY = 'client_secret';

/** The path of the mounted config file. */
export const CONFIG_PATH = `${PATHS.configDir}/${PATHS.configFile}`;
/** The path of the mounted htpasswd file. */
export const HTPASSWD_PATH = `${PATHS.htpasswdDir}/${PATHS.htpasswdFile}`;

/** The labels that select a component's pods. */
export function selectorLabels(component: string): Record<string, string> {
  return { 'app.kubernetes.io/name': component, 'app.kubernetes.io/part-of': 'telegate' };
}

/** Labels on every object: who manages it, and which component it belongs to. */
export function objectLabels(component: string): Record<string, string> {
  return { ...selectorLabels(component), 'app.kubernetes.io/managed-by': 'telegate-k8s-render' };
}
