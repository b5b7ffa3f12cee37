// Which RBAC rules the configured extraction needs, said by `telegate validate` and named in the
// error when the API server answers 403 (Go's README "Role-based access control").
import type { CompiledRules } from './rules.ts';
import { needsReplicaSets } from './rules.ts';

/** One rule a ClusterRole must grant. */
export interface RbacNeed {
  readonly apiGroup: '' | 'apps';
  readonly resource: 'pods' | 'replicasets' | 'namespaces' | 'nodes';
  readonly why: string;
}

/** The rules needed, pods first; none in passthrough mode. */
export function rbacNeeds(rules: CompiledRules, passthrough: boolean): RbacNeed[] {
  if (passthrough) return [];
  const out: RbacNeed[] = [{ apiGroup: '', resource: 'pods', why: 'pod metadata' }];
  if (needsReplicaSets(rules))
    out.push({ apiGroup: 'apps', resource: 'replicasets', why: "deployment names (the ReplicaSet's owner)" });
  if (rules.namespaceRules.length > 0)
    out.push({ apiGroup: '', resource: 'namespaces', why: 'namespace labels/annotations' });
  if (rules.nodeRules.length > 0 || rules.metadata.has('k8s.node.uid'))
    out.push({ apiGroup: '', resource: 'nodes', why: 'node labels/annotations/uid' });
  return out;
}

/** A rule as a ClusterRole writes it, on one line. */
export function formatRule(n: { readonly apiGroup: string; readonly resource: string }): string {
  return `apiGroups: ["${n.apiGroup}"], resources: ["${n.resource}"], verbs: ["get", "list", "watch"]`;
}

/** The `telegate validate` note listing the rules. */
export function rbacNote(needs: readonly RbacNeed[]): string | undefined {
  if (needs.length === 0) return undefined;
  const lines = needs.map((n) => `  - ${formatRule(n)}   # ${n.why}`);
  return `needs a ServiceAccount whose ClusterRole grants:\n${lines.join('\n')}`;
}
