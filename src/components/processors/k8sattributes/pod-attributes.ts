// The Resource attributes of one pod, computed as Go's extractPodAttributes does: names, uid, start
// time, node, the owner workloads (the Deployment through the ReplicaSet's owner), labels and
// annotations by rule. Container attributes are kept apart: they apply only to data that names its
// container (k8s.container.name or container.id), as in Go's addContainerAttributes.
import type { KeyValue } from '../../../pdata/attributes.ts';
import { parseImage, type PodFields } from './kube-objects.ts';
import { extractFields, type CompiledRules } from './rules.ts';

/** The owner of a ReplicaSet that is a Deployment, by ReplicaSet uid. */
export interface DeploymentRef {
  readonly name: string;
  readonly uid: string;
}

/** What one container adds. */
export interface ContainerTags {
  readonly name: string;
  readonly tags: readonly KeyValue[];
}

/** A string attribute. */
export function stringKv(key: string, value: string): KeyValue {
  return { key, value: { type: 'string', value } };
}

/** Tags of a pod as key → value, in Go's order of extraction. */
export function podTags(
  pod: PodFields,
  rules: CompiledRules,
  deploymentOf: (replicaSetUid: string) => DeploymentRef | undefined,
): KeyValue[] {
  const m = rules.metadata;
  const out = new Map<string, string>();
  const meta = pod.meta;
  if (m.has('k8s.pod.name')) out.set('k8s.pod.name', meta.name);
  if (m.has('k8s.pod.hostname')) out.set('k8s.pod.hostname', pod.hostname);
  if (m.has('k8s.pod.ip')) out.set('k8s.pod.ip', pod.ip);
  if (m.has('k8s.namespace.name')) out.set('k8s.namespace.name', meta.namespace);
  if (m.has('k8s.pod.start_time') && meta.creationTimestamp !== '')
    out.set('k8s.pod.start_time', meta.creationTimestamp);
  if (m.has('k8s.pod.uid')) out.set('k8s.pod.uid', meta.uid);
  ownerTags(pod, m, deploymentOf, out);
  if (m.has('k8s.node.name')) out.set('k8s.node.name', pod.nodeName);
  extractFields(rules.podLabels, 'labels', meta.labels, out);
  extractFields(rules.podAnnotations, 'annotations', meta.annotations, out);
  const tags: KeyValue[] = [];
  for (const [k, v] of out) if (v !== '') tags.push(stringKv(k, v));
  return tags;
}

// A CronJob's Job is named <cronjob>-<digits> (Go's cronJobRegex).
const CRONJOB_JOB = /^(.*)-\d+$/;

function ownerTags(
  pod: PodFields,
  m: ReadonlySet<string>,
  deploymentOf: (replicaSetUid: string) => DeploymentRef | undefined,
  out: Map<string, string>,
): void {
  for (const ref of pod.meta.owners) {
    const kind = ref.kind.toLowerCase();
    if (kind === 'replicaset') {
      if (m.has('k8s.replicaset.uid')) out.set('k8s.replicaset.uid', ref.uid);
      if (m.has('k8s.replicaset.name')) out.set('k8s.replicaset.name', ref.name);
      const deployment = deploymentOf(ref.uid);
      if (deployment !== undefined && m.has('k8s.deployment.name')) out.set('k8s.deployment.name', deployment.name);
      if (deployment !== undefined && m.has('k8s.deployment.uid')) out.set('k8s.deployment.uid', deployment.uid);
    } else if (kind === 'daemonset' || kind === 'statefulset' || kind === 'job') {
      if (m.has(`k8s.${kind}.uid`)) out.set(`k8s.${kind}.uid`, ref.uid);
      if (m.has(`k8s.${kind}.name`)) out.set(`k8s.${kind}.name`, ref.name);
      const cron = kind === 'job' ? CRONJOB_JOB.exec(ref.name) : null;
      if (cron !== null && m.has('k8s.cronjob.name')) out.set('k8s.cronjob.name', cron[1] ?? '');
    }
  }
}

/** Container attributes by container name and by container id, when the rules ask for any. */
export function containerTags(
  pod: PodFields,
  rules: CompiledRules,
): { byName: Map<string, ContainerTags>; byId: Map<string, ContainerTags> } | undefined {
  const m = rules.metadata;
  const wantName = m.has('k8s.container.name');
  const wantImage = m.has('container.image.name') || m.has('container.image.tag');
  if (!wantName && !wantImage && !m.has('container.id')) return undefined;
  const byName = new Map<string, ContainerTags>();
  const byId = new Map<string, ContainerTags>();
  for (const c of pod.containers) {
    const tags: KeyValue[] = [];
    if (wantName && c.name !== '') tags.push(stringKv('k8s.container.name', c.name));
    const image = parseImage(c.image);
    if (m.has('container.image.name') && image.name !== '') tags.push(stringKv('container.image.name', image.name));
    if (m.has('container.image.tag') && image.tag !== '') tags.push(stringKv('container.image.tag', image.tag));
    if (m.has('container.id') && c.containerId !== '') tags.push(stringKv('container.id', c.containerId));
    const entry = { name: c.name, tags };
    byName.set(c.name, entry);
    if (c.containerId !== '') byId.set(c.containerId, entry);
  }
  return { byName, byId };
}
