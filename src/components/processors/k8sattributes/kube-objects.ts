// Reading the few fields k8sattributes needs from Kubernetes objects, whether they come from a list
// (client-node's generated models: Date timestamps) or a watch stream (plain JSON: strings). Every
// read tolerates absent fields: the API server is a peer, not a trusted type.

/** An object's owner, as in metadata.ownerReferences. */
export interface OwnerRef {
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
}

/** The metadata every indexed object has. */
export interface ObjectMeta {
  readonly name: string;
  readonly namespace: string;
  readonly uid: string;
  readonly labels: Readonly<Record<string, string>> | undefined;
  readonly annotations: Readonly<Record<string, string>> | undefined;
  readonly owners: readonly OwnerRef[];
  /** RFC 3339, as Go's metav1.Time marshals it; '' when absent. */
  readonly creationTimestamp: string;
}

type Json = Record<string, unknown>;

function obj(v: unknown): Json {
  return typeof v === 'object' && v !== null ? (v as Json) : {};
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** A timestamp as RFC 3339 without fractional seconds (Go's metav1.Time). */
export function rfc3339(v: unknown): string {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return str(v);
}

function stringMap(v: unknown): Record<string, string> | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

/** The metadata of any object. */
export function metaOf(o: unknown): ObjectMeta {
  const m = obj(obj(o)['metadata']);
  const refs = Array.isArray(m['ownerReferences']) ? (m['ownerReferences'] as unknown[]) : [];
  return {
    name: str(m['name']),
    namespace: str(m['namespace']),
    uid: str(m['uid']),
    labels: stringMap(m['labels']),
    annotations: stringMap(m['annotations']),
    owners: refs.map((r) => {
      const x = obj(r);
      return { kind: str(x['kind']), name: str(x['name']), uid: str(x['uid']) };
    }),
    creationTimestamp: rfc3339(m['creationTimestamp']),
  };
}

/** One container of a pod spec with its status, when known. */
export interface PodContainer {
  readonly name: string;
  readonly image: string;
  /** The runtime's id without its `containerd://` scheme, as Go's container.id. */
  readonly containerId: string;
}

/** What a pod adds to its metadata. */
export interface PodFields {
  readonly meta: ObjectMeta;
  readonly ip: string;
  readonly hostNetwork: boolean;
  readonly nodeName: string;
  readonly hostname: string;
  /** status.startTime: decides which of two pods with one IP wins (Go's addOrUpdatePod). */
  readonly startTime: string;
  readonly containers: readonly PodContainer[];
}

/** Reads a pod. */
export function podOf(o: unknown): PodFields {
  const spec = obj(obj(o)['spec']);
  const status = obj(obj(o)['status']);
  const ids = new Map<string, string>();
  for (const list of [status['containerStatuses'], status['initContainerStatuses']]) {
    if (!Array.isArray(list)) continue;
    for (const s of list as unknown[]) ids.set(str(obj(s)['name']), stripScheme(str(obj(s)['containerID'])));
  }
  const containers: PodContainer[] = [];
  for (const list of [spec['containers'], spec['initContainers']]) {
    if (!Array.isArray(list)) continue;
    for (const c of list as unknown[]) {
      const name = str(obj(c)['name']);
      containers.push({ name, image: str(obj(c)['image']), containerId: ids.get(name) ?? '' });
    }
  }
  return {
    meta: metaOf(o),
    ip: str(status['podIP']),
    hostNetwork: spec['hostNetwork'] === true,
    nodeName: str(spec['nodeName']),
    hostname: str(spec['hostname']),
    startTime: rfc3339(status['startTime']),
    containers,
  };
}

function stripScheme(id: string): string {
  const i = id.indexOf('://');
  return i < 0 ? id : id.slice(i + 3);
}

/** An image reference split as Go's docker reference parsing does: name, and tag (`latest` if none). */
export function parseImage(image: string): { name: string; tag: string } {
  const at = image.indexOf('@');
  const ref = at < 0 ? image : image.slice(0, at);
  const colon = ref.lastIndexOf(':');
  if (colon > ref.lastIndexOf('/')) return { name: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { name: ref, tag: at < 0 ? 'latest' : '' };
}
