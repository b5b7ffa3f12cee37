// What the list/watch worker posts for one API object: only the fields kube-objects.ts reads, in the
// API's own JSON shape (so the store reads it as it reads a watch event), with no managedFields,
// conditions or volumes to clone across threads.
import { metaOf, podOf, type ObjectMeta } from './kube-objects.ts';

function rawMeta(m: ObjectMeta): Record<string, unknown> {
  return {
    name: m.name,
    namespace: m.namespace,
    uid: m.uid,
    labels: m.labels,
    annotations: m.annotations,
    ownerReferences: m.owners,
    creationTimestamp: m.creationTimestamp,
  };
}

/** The object reduced to what the store reads, as plain JSON. */
export function slimObject(resource: string, o: unknown): unknown {
  if (resource !== 'pods') return { metadata: rawMeta(metaOf(o)) };
  const p = podOf(o);
  return {
    metadata: rawMeta(p.meta),
    spec: {
      nodeName: p.nodeName,
      hostname: p.hostname,
      hostNetwork: p.hostNetwork,
      containers: p.containers.map((c) => ({ name: c.name, image: c.image })),
    },
    status: {
      podIP: p.ip,
      startTime: p.startTime,
      containerStatuses: p.containers.map((c) => ({ name: c.name, containerID: c.containerId })),
    },
  };
}
