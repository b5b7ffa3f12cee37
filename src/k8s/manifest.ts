// A rendered Kubernetes object as plain data (what is written as YAML), and the metadata helper
// every object builder uses so that names, namespaces and labels are written one way.
import { objectLabels } from './names.ts';

/** Object metadata as rendered. */
export interface Metadata {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** Any Kubernetes object. */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: Metadata;
  readonly [field: string]: unknown;
}

/** Metadata of a namespaced object of `component`. */
export function meta(
  name: string,
  namespace: string,
  component: string,
  annotations?: Record<string, string>,
): Metadata {
  return {
    name,
    namespace,
    labels: objectLabels(component),
    ...(annotations === undefined ? {} : { annotations }),
  };
}

/** Metadata of a cluster-wide object (Namespace, ClusterRole, ClusterIssuer). */
export function clusterMeta(name: string, component: string): Metadata {
  return { name, labels: objectLabels(component) };
}
