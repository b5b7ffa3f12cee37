// A local HTTP server that speaks enough of the Kubernetes list/watch API for the k8sattributes
// processor and `@kubernetes/client-node`: pods, replicasets, deployments, namespaces and nodes; list
// with fieldSelector / labelSelector; watch streams of ADDED / MODIFIED / DELETED from a
// resourceVersion; a compacted history answered by `410 Gone`; dropped connections; 403 per resource.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The resources the server knows, with the URL prefix and list kind of each. */
export const KUBE_RESOURCES = {
  pods: { prefix: '/api/v1', kind: 'Pod', namespaced: true },
  namespaces: { prefix: '/api/v1', kind: 'Namespace', namespaced: false },
  nodes: { prefix: '/api/v1', kind: 'Node', namespaced: false },
  replicasets: { prefix: '/apis/apps/v1', kind: 'ReplicaSet', namespaced: true },
  deployments: { prefix: '/apis/apps/v1', kind: 'Deployment', namespaced: true },
} as const;
export type KubeResource = keyof typeof KUBE_RESOURCES;

/** A Kubernetes object as JSON. */
export interface KubeObject {
  metadata: { name: string; namespace?: string; uid?: string; resourceVersion?: string; [k: string]: unknown };
  [k: string]: unknown;
}

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';
interface HistoryEvent {
  readonly rv: number;
  readonly resource: KubeResource;
  readonly type: EventType;
  readonly object: KubeObject;
  readonly before: KubeObject | undefined;
}
interface Watcher {
  readonly resource: KubeResource;
  readonly namespace: string | undefined;
  readonly matches: (o: KubeObject) => boolean;
  readonly res: ServerResponse;
}

/** One request the server answered, for assertions on what the client asked. */
export interface SeenRequest {
  readonly resource: KubeResource;
  readonly watch: boolean;
  readonly query: URLSearchParams;
  readonly status: number;
}

/** How the server is reached: plain HTTP by default; HTTPS and a bearer token as in a cluster. */
export interface KubeApiServerOptions {
  /** Serve HTTPS with this key and certificate. */
  readonly tls?: { readonly key: Buffer; readonly cert: Buffer };
  /** Answer 401 to requests without `Authorization: Bearer <token>`. */
  readonly token?: string;
}

/** The fake API server. Bound to 127.0.0.1 on an ephemeral port. */
export class KubeApiServer {
  readonly requests: SeenRequest[] = [];
  /** The user named in 403 answers, as the API server names a ServiceAccount. */
  user = 'system:serviceaccount:telemetry:attributes-account';
  private readonly server: Server;
  private readonly objects = new Map<KubeResource, Map<string, KubeObject>>();
  private readonly history: HistoryEvent[] = [];
  private readonly watchers = new Set<Watcher>();
  private readonly sockets = new Set<Socket>();
  private readonly forbidden = new Set<KubeResource>();
  private readonly requestWaiters: (() => void)[] = [];
  private rv = 100;
  /** Watches from a resourceVersion older than this get 410 Gone. */
  private compactedRv = 0;
  private readonly options: KubeApiServerOptions;
  /** The `Authorization` header of every request, in order. */
  readonly authorizations: (string | undefined)[] = [];

  constructor(options: KubeApiServerOptions = {}) {
    this.options = options;
    for (const r of Object.keys(KUBE_RESOURCES) as KubeResource[]) this.objects.set(r, new Map());
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      this.handle(req, res);
    };
    this.server = options.tls === undefined ? createServer(handler) : createTlsServer(options.tls, handler);
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  /** Starts listening; resolves with the base URL. */
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this.url();
  }

  /** `http://127.0.0.1:port` (https with TLS). */
  url(): string {
    return `${this.options.tls === undefined ? 'http' : 'https'}://127.0.0.1:${this.port()}`;
  }

  /** The port it listens on. */
  port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Writes a kubeconfig for this server (client-node needs insecure-skip-tls-verify for http). */
  writeKubeconfig(dir = mkdtempSync(join(tmpdir(), 'kube-'))): string {
    const file = join(dir, 'kubeconfig');
    writeFileSync(
      file,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        `- name: fake\n  cluster:\n    server: ${this.url()}\n    insecure-skip-tls-verify: true`,
        'users:',
        '- name: tester\n  user:\n    token: fake-token',
        'contexts:',
        '- name: fake\n  context:\n    cluster: fake\n    user: tester',
        'current-context: fake',
        '',
      ].join('\n'),
    );
    return file;
  }

  /** Closes every connection and the server. */
  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) =>
      this.server.close(() => {
        resolve();
      }),
    );
  }

  /** Creates or replaces an object (ADDED or MODIFIED to watchers). */
  put(resource: KubeResource, object: KubeObject): KubeObject {
    const store = this.store(resource);
    const k = keyOf(object);
    const before = store.get(k);
    const stored = structuredClone(object);
    stored.metadata.resourceVersion = String(++this.rv);
    stored.metadata.uid ??= before?.metadata.uid ?? `uid-${resource}-${k}`;
    store.set(k, stored);
    this.emit({ rv: this.rv, resource, type: before ? 'MODIFIED' : 'ADDED', object: stored, before });
    return stored;
  }

  /** Deletes an object (DELETED to watchers). */
  delete(resource: KubeResource, name: string, namespace?: string): void {
    const store = this.store(resource);
    const k = namespace === undefined ? name : `${namespace}/${name}`;
    const before = store.get(k);
    if (before === undefined) return;
    store.delete(k);
    const object = { ...before, metadata: { ...before.metadata, resourceVersion: String(++this.rv) } };
    this.emit({ rv: this.rv, resource, type: 'DELETED', object, before });
  }

  /** Forgets the history: watches from an older resourceVersion are answered 410 Gone. */
  compact(): void {
    this.compactedRv = this.rv;
    this.history.length = 0;
  }

  /** Sends `410 Gone` as an ERROR event to every open watch and closes them, as etcd compaction does. */
  expireWatches(): void {
    this.compact();
    for (const w of this.watchers) {
      w.res.end(JSON.stringify({ type: 'ERROR', object: goneStatus() }) + '\n');
    }
    this.watchers.clear();
  }

  /** Destroys every open watch connection mid-stream. */
  dropWatches(): void {
    for (const w of this.watchers) w.res.socket?.destroy();
    this.watchers.clear();
  }

  /** Answers requests for `resource` with 403 while `on`. */
  forbid(resource: KubeResource, on = true): void {
    if (on) this.forbidden.add(resource);
    else this.forbidden.delete(resource);
  }

  /** The number of open watches of a resource. */
  openWatches(resource: KubeResource): number {
    let n = 0;
    for (const w of this.watchers) if (w.resource === resource) n++;
    return n;
  }

  /** Resolves when `pred` holds of the requests seen (checked after each request). */
  async waitForRequest(pred: (seen: readonly SeenRequest[]) => boolean): Promise<void> {
    while (!pred(this.requests)) await new Promise<void>((resolve) => this.requestWaiters.push(resolve));
  }

  private store(resource: KubeResource): Map<string, KubeObject> {
    return this.objects.get(resource) as Map<string, KubeObject>;
  }

  private emit(e: HistoryEvent): void {
    this.history.push(e);
    for (const w of this.watchers) if (w.resource === e.resource) sendEvent(w, e);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const route = parsePath(url.pathname);
    if (route === undefined) {
      reply(res, 404, status(404, 'NotFound', `the server could not find ${url.pathname}`));
      return;
    }
    this.authorizations.push(req.headers.authorization);
    const token = this.options.token;
    if (token !== undefined && req.headers.authorization !== `Bearer ${token}`) {
      reply(res, 401, status(401, 'Unauthorized', 'Unauthorized'));
      return;
    }
    const watch = url.searchParams.get('watch') === 'true';
    const code = this.forbidden.has(route.resource) ? 403 : 200;
    this.requests.push({ resource: route.resource, watch, query: url.searchParams, status: code });
    for (const wake of this.requestWaiters.splice(0)) wake();
    if (code === 403) {
      const verb = watch ? 'watch' : 'list';
      const group = KUBE_RESOURCES[route.resource].prefix === '/api/v1' ? '' : 'apps';
      const message = `${route.resource} is forbidden: User "${this.user}" cannot ${verb} resource "${route.resource}" in API group "${group}" at the cluster scope`;
      reply(res, 403, status(403, 'Forbidden', message));
      return;
    }
    const matches = selectorOf(url.searchParams, route.namespace);
    if (watch) this.startWatch(route.resource, route.namespace, matches, url.searchParams, res);
    else this.list(route.resource, matches, res);
  }

  private list(resource: KubeResource, matches: (o: KubeObject) => boolean, res: ServerResponse): void {
    const items = [...this.store(resource).values()].filter(matches);
    const { kind } = KUBE_RESOURCES[resource];
    reply(res, 200, {
      kind: `${kind}List`,
      apiVersion: KUBE_RESOURCES[resource].prefix === '/api/v1' ? 'v1' : 'apps/v1',
      metadata: { resourceVersion: String(this.rv) },
      items,
    });
  }

  private startWatch(
    resource: KubeResource,
    namespace: string | undefined,
    matches: (o: KubeObject) => boolean,
    query: URLSearchParams,
    res: ServerResponse,
  ): void {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.flushHeaders(); // as the API server does: the client sees the watch open before any event
    const from = Number(query.get('resourceVersion') ?? '0');
    if (from < this.compactedRv) {
      res.end(JSON.stringify({ type: 'ERROR', object: goneStatus() }) + '\n');
      return;
    }
    const w: Watcher = { resource, namespace, matches, res };
    for (const e of this.history) if (e.rv > from && e.resource === resource) sendEvent(w, e);
    this.watchers.add(w);
    res.on('close', () => this.watchers.delete(w));
  }
}

function keyOf(o: KubeObject): string {
  return o.metadata.namespace === undefined ? o.metadata.name : `${o.metadata.namespace}/${o.metadata.name}`;
}

// A change that moves an object out of a watch's selector is a DELETED for that watch, as in Kubernetes.
function sendEvent(w: Watcher, e: HistoryEvent): void {
  const now = w.matches(e.object);
  const was = e.before !== undefined && w.matches(e.before);
  let type: EventType | undefined = e.type;
  if (e.type === 'MODIFIED' && !now) type = was ? 'DELETED' : undefined;
  else if (e.type === 'MODIFIED' && !was) type = 'ADDED';
  else if (e.type !== 'DELETED' && !now) type = undefined;
  else if (e.type === 'DELETED' && !was) type = undefined;
  if (type !== undefined) w.res.write(JSON.stringify({ type, object: e.object }) + '\n');
}

function parsePath(path: string): { resource: KubeResource; namespace: string | undefined } | undefined {
  const m = /^\/(?:api\/v1|apis\/apps\/v1)(?:\/namespaces\/([^/]+))?\/([a-z]+)$/.exec(path);
  if (m === null) return undefined;
  const resource = m[2] as KubeResource;
  if (!(resource in KUBE_RESOURCES)) return undefined;
  if (m[1] !== undefined && !KUBE_RESOURCES[resource].namespaced) return undefined;
  return { resource, namespace: m[1] };
}

/** fieldSelector (`a.b=v`, `a.b!=v`, comma-joined) and labelSelector (`k=v`, `k!=v`, `k`, `!k`). */
function selectorOf(q: URLSearchParams, namespace: string | undefined): (o: KubeObject) => boolean {
  const tests: ((o: KubeObject) => boolean)[] = [];
  if (namespace !== undefined) tests.push((o) => o.metadata.namespace === namespace);
  for (const term of splitTerms(q.get('fieldSelector'))) {
    const [path, op, value] = parseTerm(term);
    tests.push((o) => (fieldAt(o, path) === value) === (op === '='));
  }
  for (const term of splitTerms(q.get('labelSelector'))) {
    const [key, op, value] = parseTerm(term);
    tests.push((o) => {
      const labels = (o.metadata['labels'] ?? {}) as Record<string, string>;
      if (op === 'exists') return key in labels;
      if (op === '!exists') return !(key in labels);
      return (labels[key] === value) === (op === '=');
    });
  }
  return (o) => tests.every((t) => t(o));
}

function splitTerms(s: string | null): string[] {
  return s === null || s === '' ? [] : s.split(',');
}

function parseTerm(term: string): [string, '=' | '!=' | 'exists' | '!exists', string] {
  const ne = term.indexOf('!=');
  if (ne > 0) return [term.slice(0, ne), '!=', term.slice(ne + 2)];
  const eq = term.indexOf('=');
  if (eq > 0) return [term.slice(0, eq), '=', term.slice(term[eq + 1] === '=' ? eq + 2 : eq + 1)];
  return term.startsWith('!') ? [term.slice(1), '!exists', ''] : [term, 'exists', ''];
}

function fieldAt(o: KubeObject, path: string): string {
  let v: unknown = o;
  for (const part of path.split('.')) v = (v as Record<string, unknown> | undefined)?.[part];
  return typeof v === 'string' ? v : '';
}

function status(code: number, reason: string, message: string): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

function goneStatus(): Record<string, unknown> {
  return status(410, 'Expired', 'too old resource version');
}

function reply(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** A pod as the API returns it, with what k8sattributes reads. */
export function podObject(init: {
  name: string;
  namespace?: string;
  uid?: string;
  ip: string;
  node: string;
  owner?: { kind: string; name: string; uid: string };
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  containers?: { name: string; image: string }[];
  hostNetwork?: boolean;
}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: init.name,
      namespace: init.namespace ?? 'default',
      uid: init.uid ?? `uid-${init.name}`,
      creationTimestamp: '2026-12-04T10:00:00Z',
      labels: init.labels ?? {},
      annotations: init.annotations ?? {},
      ...(init.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', controller: true, ...init.owner }] } : {}),
    },
    spec: {
      nodeName: init.node,
      hostNetwork: init.hostNetwork ?? false,
      containers: init.containers ?? [{ name: 'app', image: 'ghcr.io/acme/app:1.2.3' }],
    },
    status: { phase: 'Running', podIP: init.ip, startTime: '2026-12-04T10:00:01Z' },
  };
}

/** A ReplicaSet owned by a Deployment. */
export function replicaSetObject(name: string, deployment: string, namespace = 'default'): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name,
      namespace,
      uid: `uid-rs-${name}`,
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: deployment,
          uid: `uid-deploy-${deployment}`,
          controller: true,
        },
      ],
    },
    spec: { replicas: 1 },
  };
}
