// The indexes the data path reads: pods by identifier (IP, uid, or what the associations name),
// ReplicaSets by uid (→ Deployment), namespaces and nodes by name. Filled by the watch client, read
// per Resource entry. Bounded: pods beyond `maxPods` are not indexed and counted. A deleted pod stays
// findable for a grace period (Go: 120 s) so data sent just before it died is still tagged, unless a
// newer pod takes its identifiers.
import type { KeyValue } from '../../../pdata/attributes.ts';
import { metaOf, podOf, type OwnerRef, type PodContainer, type PodFields } from './kube-objects.ts';
import { containerTags, podTags, stringKv, type ContainerTags, type DeploymentRef } from './pod-attributes.ts';
import { extractFields, needsOwners, type CompiledRules } from './rules.ts';
import { identifiersOfPod } from './association.ts';
import { InternPool } from './intern-pool.ts';

/** Shared values at most (namespaces, nodes, owners, container lists, tags): bounded, see InternPool. */
const MAX_SHARED = 50_000;
/** Tags that differ per pod: pooling them would only fill the pool. */
const PER_POD_TAGS: ReadonlySet<string> = new Set([
  'k8s.pod.name',
  'k8s.pod.uid',
  'k8s.pod.start_time',
  'k8s.pod.ip',
  'k8s.pod.hostname',
]);
const NO_CONTAINERS: readonly PodContainer[] = [];
const NO_OWNERS: readonly OwnerRef[] = [];

/** One indexed pod. `tags` are computed on first use and again after a ReplicaSet changes. */
export interface PodRecord {
  readonly uid: string;
  readonly fields: PodFields;
  readonly ignore: boolean;
  tags: readonly KeyValue[] | undefined;
  tagsVersion: number;
  containers: { byName: Map<string, ContainerTags>; byId: Map<string, ContainerTags> } | undefined;
}

interface PendingDelete {
  readonly key: string;
  readonly uid: string;
  readonly atMs: number;
}

/** Options of the store. */
export interface MetadataStoreOptions {
  readonly maxPods: number;
  readonly deleteGraceMs: number;
  readonly now?: () => number;
}

/** The pod, namespace, node and ReplicaSet indexes of one processor. */
export class MetadataStore {
  /** Identifier key → pod (several keys per pod). */
  readonly pods = new Map<string, PodRecord>();
  /** Live pods by uid, for the bound and for replacing a pod's keys on update. */
  readonly podsByUid = new Map<string, { record: PodRecord; keys: readonly string[] }>();
  /** Pods not indexed because the index was full. */
  droppedPods = 0;
  private readonly replicaSets = new Map<string, DeploymentRef>();
  private readonly namespaces = new Map<string, readonly KeyValue[]>();
  private readonly nodes = new Map<string, readonly KeyValue[]>();
  private readonly deleteQueue: PendingDelete[] = [];
  private readonly rules: CompiledRules;
  private readonly opts: MetadataStoreOptions;
  private version = 0;
  private readonly pool = new InternPool(MAX_SHARED);

  constructor(rules: CompiledRules, opts: MetadataStoreOptions) {
    this.rules = rules;
    this.opts = opts;
  }

  /** Adds or replaces a pod from an API object. */
  upsertPod(o: unknown): void {
    const fields = this.slim(podOf(o));
    const uid = fields.meta.uid;
    if (uid === '') return;
    const old = this.podsByUid.get(uid);
    if (old === undefined && this.podsByUid.size >= this.opts.maxPods) {
      this.droppedPods++;
      return;
    }
    const ignore = this.rules.excludes.some((r) => r.test(fields.meta.name));
    const record: PodRecord = { uid, fields, ignore, tags: undefined, tagsVersion: -1, containers: undefined };
    if (old !== undefined) for (const k of old.keys) if (this.pods.get(k) === old.record) this.pods.delete(k);
    const keys = identifiersOfPod(fields, this.rules.associations);
    for (const k of keys) {
      const current = this.pods.get(k);
      // Go's addOrUpdatePod: a pod that started before the one holding this identifier (an IP
      // reused by a newer pod) does not take it back.
      if (current !== undefined && current.uid !== uid && fields.startTime < current.fields.startTime) continue;
      this.pods.set(k, record);
    }
    this.podsByUid.set(uid, { record, keys });
  }

  /** Forgets a pod after the grace period (immediately with a grace of 0). */
  deletePod(o: unknown): void {
    const uid = metaOf(o).uid;
    const entry = this.podsByUid.get(uid);
    if (entry === undefined) return;
    this.podsByUid.delete(uid);
    const atMs = this.now() + this.opts.deleteGraceMs;
    for (const key of entry.keys) this.deleteQueue.push({ key, uid, atMs });
    this.expire();
  }

  /** Removes pods whose grace period ended, if no newer pod took their identifiers. */
  expire(): void {
    const now = this.now();
    let n = 0;
    while (n < this.deleteQueue.length && (this.deleteQueue[n] as PendingDelete).atMs <= now) {
      const d = this.deleteQueue[n] as PendingDelete;
      if (this.pods.get(d.key)?.uid === d.uid) this.pods.delete(d.key);
      n++;
    }
    if (n > 0) this.deleteQueue.splice(0, n);
  }

  /** Replaces every pod with a fresh list (after a relist), deleting the missing ones. */
  replacePods(items: readonly unknown[]): void {
    const seen = new Set<string>();
    for (const o of items) {
      this.upsertPod(o);
      seen.add(metaOf(o).uid);
    }
    for (const [uid, entry] of this.podsByUid)
      if (!seen.has(uid)) this.deletePod({ metadata: { uid: entry.record.uid } });
  }

  /** Replaces every object of a resource after a (re)list. */
  replace(resource: string, items: readonly unknown[]): void {
    if (resource === 'pods') this.replacePods(items);
    else if (resource === 'replicasets') this.replaceReplicaSets(items);
    else for (const o of items) this.upsert(resource, o);
  }

  /** An object added or modified. */
  upsert(resource: string, o: unknown): void {
    if (resource === 'pods') this.upsertPod(o);
    else if (resource === 'replicasets') this.upsertReplicaSet(o);
    else if (resource === 'namespaces') this.upsertNamespace(o);
    else this.upsertNode(o);
  }

  /** An object deleted. */
  remove(resource: string, o: unknown): void {
    if (resource === 'pods') this.deletePod(o);
    else if (resource === 'replicasets') this.deleteReplicaSet(o);
    else if (resource === 'namespaces') this.deleteNamespace(o);
    else this.deleteNode(o);
  }

  /** The pod for an identifier key, unless excluded. */
  pod(key: string): PodRecord | undefined {
    const p = this.pods.get(key);
    return p === undefined || p.ignore ? undefined : p;
  }

  /** The pod's tags, recomputed when a ReplicaSet changed since. */
  tagsOf(p: PodRecord): readonly KeyValue[] {
    if (p.tags === undefined || p.tagsVersion !== this.version) {
      p.tags = podTags(p.fields, this.rules, (uid) => this.replicaSets.get(uid)).map((kv) =>
        PER_POD_TAGS.has(kv.key) || kv.value.type !== 'string'
          ? kv
          : this.pool.shared(`t\0${kv.key}\0${kv.value.value}`, kv),
      );
      p.tagsVersion = this.version;
      p.containers ??= containerTags(p.fields, this.rules);
    }
    return p.tags;
  }

  upsertReplicaSet(o: unknown): void {
    const meta = metaOf(o);
    const owner = meta.owners.find((r) => r.kind === 'Deployment');
    this.replicaSets.set(meta.uid, { name: owner?.name ?? '', uid: owner?.uid ?? '' });
    this.version++;
  }

  deleteReplicaSet(o: unknown): void {
    this.replicaSets.delete(metaOf(o).uid);
  }

  replaceReplicaSets(items: readonly unknown[]): void {
    this.replicaSets.clear();
    for (const o of items) this.upsertReplicaSet(o);
    this.version++;
  }

  upsertNamespace(o: unknown): void {
    const meta = metaOf(o);
    this.namespaces.set(meta.name, this.objectTags(meta, this.rules.namespaceRules));
  }

  deleteNamespace(o: unknown): void {
    this.namespaces.delete(metaOf(o).name);
  }

  upsertNode(o: unknown): void {
    const meta = metaOf(o);
    const tags = [...this.objectTags(meta, this.rules.nodeRules)];
    if (this.rules.metadata.has('k8s.node.uid') && meta.uid !== '') tags.push(stringKv('k8s.node.uid', meta.uid));
    this.nodes.set(meta.name, tags);
  }

  deleteNode(o: unknown): void {
    this.nodes.delete(metaOf(o).name);
  }

  namespaceTags(name: string): readonly KeyValue[] | undefined {
    return this.namespaces.get(name);
  }

  nodeTags(name: string): readonly KeyValue[] | undefined {
    return this.nodes.get(name);
  }

  private objectTags(meta: ReturnType<typeof metaOf>, rules: CompiledRules['nodeRules']): KeyValue[] {
    const out = new Map<string, string>();
    extractFields(rules, 'labels', meta.labels, out);
    extractFields(rules, 'annotations', meta.annotations, out);
    return [...out].map(([k, v]) => stringKv(k, v));
  }

  // Keeps only what the rules read, sharing what pods repeat (InternPool): a pod is indexed for as
  // long as it lives, ×10,000 on a big node, and every full GC of the data path walks it.
  private slim(p: PodFields): PodFields {
    const r = this.rules;
    const m = p.meta;
    const pool = this.pool;
    const containers = [...r.metadata].some((k) => k.startsWith('container.') || k === 'k8s.container.name');
    return {
      ...p,
      nodeName: pool.string(p.nodeName),
      hostname: pool.string(p.hostname),
      meta: {
        ...m,
        namespace: pool.string(m.namespace),
        labels: r.podLabels.length > 0 ? m.labels : undefined,
        annotations: r.podAnnotations.length > 0 ? m.annotations : undefined,
        owners:
          needsOwners(r) && m.owners.length > 0 ? pool.shared(`o\0${JSON.stringify(m.owners)}`, m.owners) : NO_OWNERS,
      },
      containers: containers ? this.sharedContainers(p.containers) : NO_CONTAINERS,
    };
  }

  // Container lists are shared only without runtime ids (those differ per pod).
  private sharedContainers(list: readonly PodContainer[]): readonly PodContainer[] {
    if (list.length === 0) return NO_CONTAINERS;
    if (list.some((c) => c.containerId !== '')) return list;
    return this.pool.shared(`c\0${JSON.stringify(list)}`, list);
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }
}
