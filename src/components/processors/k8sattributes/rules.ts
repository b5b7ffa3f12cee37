// The k8sattributes config compiled once into what the watch client and the data path read: which
// metadata to extract, label/annotation rules with their regular expressions, the pod associations
// and the selectors sent to the API server (Go: options.go, internal/kube/kube.go).
import type { K8sAttributesConfig } from './config.ts';

/** One compiled `extract.labels` / `extract.annotations` rule. */
export interface FieldRule {
  readonly kind: 'labels' | 'annotations';
  readonly tagName: string;
  readonly key: string;
  readonly keyRegex: RegExp | undefined;
  readonly from: 'pod' | 'namespace' | 'node';
}

/** One source of an association: a Resource attribute, or the connection's address. */
export interface AssociationSource {
  readonly from: 'connection' | 'resource_attribute';
  readonly name: string;
}

/** Everything derived from the config. */
export interface CompiledRules {
  readonly metadata: ReadonlySet<string>;
  readonly podLabels: readonly FieldRule[];
  readonly podAnnotations: readonly FieldRule[];
  readonly namespaceRules: readonly FieldRule[];
  readonly nodeRules: readonly FieldRule[];
  /** Empty: Go's default association (extractPodIDNoAssociations). */
  readonly associations: readonly (readonly AssociationSource[])[];
  readonly excludes: readonly RegExp[];
  readonly node: string;
  readonly namespace: string;
  readonly fieldSelector: string;
  readonly labelSelector: string;
}

/** The deployment name needs the ReplicaSet informer (Go resolves it through the ReplicaSet's owner). */
export function needsReplicaSets(r: CompiledRules): boolean {
  return r.metadata.has('k8s.deployment.name') || r.metadata.has('k8s.deployment.uid');
}

/** Whether owner references must be kept on each indexed pod. */
export function needsOwners(r: CompiledRules): boolean {
  for (const m of r.metadata)
    if (/^k8s\.(deployment|replicaset|daemonset|statefulset|job|cronjob)\./.test(m)) return true;
  return false;
}

/** Compiles a validated config; `env` gives `node_from_env_var`. */
export function compileRules(cfg: K8sAttributesConfig, env: NodeJS.ProcessEnv = process.env): CompiledRules {
  const labels = cfg.extract.labels.map((f) => compileField(f, 'labels'));
  const annotations = cfg.extract.annotations.map((f) => compileField(f, 'annotations'));
  const node = cfg.filter.node_from_env_var !== '' ? (env[cfg.filter.node_from_env_var] ?? '') : cfg.filter.node;
  return {
    metadata: new Set(cfg.extract.metadata),
    podLabels: labels.filter((f) => f.from === 'pod'),
    podAnnotations: annotations.filter((f) => f.from === 'pod'),
    namespaceRules: [...labels, ...annotations].filter((f) => f.from === 'namespace'),
    nodeRules: [...labels, ...annotations].filter((f) => f.from === 'node'),
    associations: cfg.pod_association
      .filter((a) => a.sources.length > 0)
      .map((a) => a.sources.map((s) => ({ from: s.from as AssociationSource['from'], name: s.name }))),
    excludes: cfg.exclude.pods.map((p) => new RegExp(`^(?:${p.name})$`)),
    node,
    namespace: cfg.filter.namespace,
    fieldSelector: fieldSelectorOf(cfg, node),
    labelSelector: labelSelectorOf(cfg),
  };
}

type Extract = K8sAttributesConfig['extract']['labels'][number];

// Without tag_name, a rule tags k8s.<from>.<labels|annotations>.<key>, as Go does.
function compileField(f: Extract, kind: FieldRule['kind']): FieldRule {
  const from = f.from as FieldRule['from'];
  const keyRegex = f.key_regex === '' ? undefined : new RegExp(`^(?:${f.key_regex})$`);
  const tagName = f.tag_name !== '' ? f.tag_name : keyRegex === undefined ? `k8s.${from}.${kind}.${f.key}` : '';
  return { tagName, key: f.key, keyRegex, from, kind };
}

/** Go's selectorsFromFilters: node and fields become the fieldSelector (`spec.nodeName=…`). */
function fieldSelectorOf(cfg: K8sAttributesConfig, node: string): string {
  const terms: string[] = [];
  if (node !== '') terms.push(`spec.nodeName=${node}`);
  for (const f of cfg.filter.fields) terms.push(`${f.key}${f.op === 'not-equals' ? '!=' : '='}${f.value}`);
  return terms.join(',');
}

function labelSelectorOf(cfg: K8sAttributesConfig): string {
  return cfg.filter.labels
    .map((f) => {
      switch (f.op) {
        case 'not-equals':
          return `${f.key}!=${f.value}`;
        case 'exists':
          return f.key;
        case 'does-not-exist':
          return `!${f.key}`;
        default:
          return `${f.key}=${f.value}`;
      }
    })
    .join(',');
}

/** Applies label/annotation rules to one object's map, writing tags into `out`. */
export function extractFields(
  rules: readonly FieldRule[],
  kind: 'labels' | 'annotations',
  values: Readonly<Record<string, string>> | undefined,
  out: Map<string, string>,
): void {
  if (values === undefined) return;
  for (const r of rules) {
    if (r.kind !== kind) continue;
    if (r.keyRegex === undefined) {
      const v = values[r.key];
      if (v !== undefined) out.set(r.tagName, v);
      continue;
    }
    for (const [k, v] of Object.entries(values)) {
      const m = r.keyRegex.exec(k);
      if (m === null) continue;
      out.set(r.tagName === '' ? `k8s.${r.from}.${kind}.${k}` : expandGroups(r.tagName, m), v);
    }
  }
}

// Go's regexp.Expand: $1, ${1}, $name, ${name}; `$$` is a literal dollar.
function expandGroups(template: string, m: RegExpExecArray): string {
  return template.replace(/\$(\$|\{(\w+)\}|(\w+))/g, (all, _g: string, braced?: string, bare?: string) => {
    if (all === '$$') return '$';
    const name = braced ?? bare ?? '';
    const v = /^\d+$/.test(name) ? m[Number(name)] : m.groups?.[name];
    return v ?? '';
  });
}
