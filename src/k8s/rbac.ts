// The edge's ServiceAccount and the ClusterRole its k8sattributes extraction needs — derived from the
// rendered config by the processor's own rule list (k8sattributes/rbac.ts), so a change of what the
// edge extracts changes the role, and the role never grants more than the extraction reads.
import { K8sAttributesConfigSchema, type K8sAttributesConfig } from '../components/processors/k8sattributes/config.ts';
import { rbacNeeds } from '../components/processors/k8sattributes/rbac.ts';
import { compileRules } from '../components/processors/k8sattributes/rules.ts';
import { fromPlain } from '../config/node.ts';
import { validateConfig } from '../config/validate.ts';
import { clusterMeta, meta, type K8sObject } from './manifest.ts';
import { NAMES } from './names.ts';
import type { CollectorConfig } from './runtime.ts';

/** The verbs a list+watch informer uses. */
const VERBS = ['get', 'list', 'watch'];

/** ClusterRole rules for every k8sattributes processor of `config`, grouped by API group. */
export function k8sAttributesRules(config: CollectorConfig): Record<string, unknown>[] {
  const processors = (config['processors'] ?? {}) as Record<string, unknown>;
  const byGroup = new Map<string, Set<string>>();
  for (const [id, raw] of Object.entries(processors)) {
    if (id !== 'k8sattributes' && !id.startsWith('k8sattributes/')) continue;
    const cfg = typedConfig(raw);
    for (const need of rbacNeeds(compileRules(cfg, {}), cfg.passthrough)) {
      const set = byGroup.get(need.apiGroup) ?? new Set<string>();
      set.add(need.resource);
      byGroup.set(need.apiGroup, set);
    }
  }
  return [...byGroup].map(([group, resources]) => ({ apiGroups: [group], resources: [...resources], verbs: VERBS }));
}

// The processor's config with its defaults, through the same validator `telegate validate` uses.
function typedConfig(raw: unknown): K8sAttributesConfig {
  const checked = validateConfig(K8sAttributesConfigSchema, fromPlain(raw, undefined), 'k8sattributes', undefined);
  if (checked.value === undefined) throw new Error('k8sattributes config of a rendered edge is invalid');
  return checked.value as K8sAttributesConfig;
}

/** ServiceAccount, ClusterRole and ClusterRoleBinding of an edge. */
export function edgeRbac(namespace: string, config: CollectorConfig): K8sObject[] {
  // The role is cluster-wide: its name carries the namespace so that two edges in one cluster differ.
  const role = `${NAMES.edgeRole}-${namespace}`;
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(NAMES.edge, namespace, 'edge') },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: clusterMeta(role, 'edge'),
      rules: k8sAttributesRules(config),
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: clusterMeta(role, 'edge'),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
      subjects: [{ kind: 'ServiceAccount', name: NAMES.edge, namespace }],
    },
  ];
}
