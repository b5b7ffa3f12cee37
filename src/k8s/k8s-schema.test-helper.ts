// Test helper: checks rendered objects against the Kubernetes OpenAPI schemas (kubernetes-models'
// validators, and cert-manager's) and, because those accept unknown keys, against
// @kubernetes/client-node's typed models for keys Kubernetes would drop or refuse (a misspelled field).
import * as k8s from '@kubernetes/client-node';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Secret } from 'kubernetes-models/v1/Secret';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { ClusterIssuer } from '@kubernetes-models/cert-manager/cert-manager.io/v1/ClusterIssuer';

interface Validatable {
  validate(): void;
}
type ModelClass = new (data: never) => Validatable;

/** kubernetes-models class and client-node model name of each kind we render. */
const MODELS: Record<string, { model: ModelClass; typed?: string }> = {
  'v1/Namespace': { model: Namespace, typed: 'V1Namespace' },
  'v1/Secret': { model: Secret, typed: 'V1Secret' },
  'v1/ConfigMap': { model: ConfigMap, typed: 'V1ConfigMap' },
  'v1/Service': { model: Service, typed: 'V1Service' },
  'v1/ServiceAccount': { model: ServiceAccount, typed: 'V1ServiceAccount' },
  'apps/v1/Deployment': { model: Deployment, typed: 'V1Deployment' },
  'apps/v1/DaemonSet': { model: DaemonSet, typed: 'V1DaemonSet' },
  'policy/v1/PodDisruptionBudget': { model: PodDisruptionBudget, typed: 'V1PodDisruptionBudget' },
  'autoscaling/v2/HorizontalPodAutoscaler': { model: HorizontalPodAutoscaler, typed: 'V2HorizontalPodAutoscaler' },
  'networking.k8s.io/v1/Ingress': { model: Ingress, typed: 'V1Ingress' },
  'rbac.authorization.k8s.io/v1/ClusterRole': { model: ClusterRole, typed: 'V1ClusterRole' },
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': { model: ClusterRoleBinding, typed: 'V1ClusterRoleBinding' },
  'cert-manager.io/v1/ClusterIssuer': { model: ClusterIssuer },
};

/** The problems of one object: schema violations and unknown keys; [] when it is valid. */
export function schemaProblems(obj: { apiVersion: string; kind: string }): string[] {
  const entry = MODELS[`${obj.apiVersion}/${obj.kind}`];
  if (entry === undefined) return [`no schema known for ${obj.apiVersion} ${obj.kind}`];
  const problems: string[] = [];
  try {
    new entry.model(obj as never).validate();
  } catch (err) {
    problems.push(String(err));
  }
  if (entry.typed !== undefined) problems.push(...unknownKeys(obj, entry.typed, ''));
  return problems;
}

/** Whether a kind has a schema here. */
export function hasSchema(apiVersion: string, kind: string): boolean {
  return MODELS[`${apiVersion}/${kind}`] !== undefined;
}

type Attr = { name: string; baseName: string; type: string };
const models = k8s as unknown as Record<string, { attributeTypeMap?: Attr[] } | undefined>;

// Walks `value` along client-node's typed models; a key no model declares is reported with its path.
function unknownKeys(value: unknown, type: string, path: string): string[] {
  const list = /^Array<(.+)>$/.exec(type);
  if (list !== null && Array.isArray(value))
    return value.flatMap((v, i) => unknownKeys(v, list[1] ?? '', `${path}[${i}]`));
  const attrs = models[type]?.attributeTypeMap;
  if (attrs === undefined || value === null || typeof value !== 'object') return [];
  const out: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    const attr = attrs.find((a) => a.baseName === key);
    if (attr === undefined) out.push(`${path}.${key}: not a field of ${type}`);
    else out.push(...unknownKeys(v, attr.type, `${path}.${key}`));
  }
  return out;
}
