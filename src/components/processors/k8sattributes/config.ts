// The `k8sattributes` processor's config, with the keys, defaults and validation messages of Go's
// processor/k8sattributesprocessor/config.go and internal/k8sconfig (auth_type).
import Type, { type Static } from 'typebox';
import { Duration } from '../../../config/blocks/primitives.ts';

/** Metadata keys Go extracts when `extract.metadata` is absent (its metadata.yaml, enabled: true). */
export const DEFAULT_METADATA: readonly string[] = [
  'k8s.namespace.name',
  'k8s.pod.name',
  'k8s.pod.uid',
  'k8s.pod.start_time',
  'k8s.deployment.name',
  'k8s.node.name',
  'container.image.name',
  'container.image.tag',
];

/** Every metadata key Go accepts in `extract.metadata`. */
export const SUPPORTED_METADATA: ReadonlySet<string> = new Set([
  ...DEFAULT_METADATA,
  'k8s.pod.hostname',
  'k8s.pod.ip',
  'k8s.deployment.uid',
  'k8s.replicaset.name',
  'k8s.replicaset.uid',
  'k8s.daemonset.name',
  'k8s.daemonset.uid',
  'k8s.statefulset.name',
  'k8s.statefulset.uid',
  'k8s.job.name',
  'k8s.job.uid',
  'k8s.cronjob.name',
  'k8s.node.uid',
  'k8s.container.name',
  'container.id',
]);

/** Go's limit on sources per association (kube.PodIdentifierMaxLength). */
export const MAX_ASSOCIATION_SOURCES = 4;

const FieldExtract = Type.Object(
  {
    tag_name: Type.String({
      default: '',
      description:
        'Resource attribute to write; default k8s.<from>.labels.<key> or k8s.<from>.annotations.<key>. With key_regex, $1 / $name refer to its groups.',
    }),
    key: Type.String({ default: '', description: 'The exact label or annotation name.' }),
    key_regex: Type.String({
      default: '',
      description: 'A regular expression every matching label or annotation name must match whole; not with key.',
    }),
    from: Type.String({
      default: 'pod',
      description: 'Where the label or annotation is read: pod (default), namespace or node.',
    }),
  },
  { additionalProperties: false },
);

const FieldFilter = Type.Object(
  {
    key: Type.String({ default: '', description: 'The field path (fields) or label name (labels).' }),
    value: Type.String({ default: '', description: 'The value compared with.' }),
    op: Type.String({
      default: 'equals',
      description: 'equals (default) or not-equals; labels also take exists and does-not-exist.',
    }),
  },
  { additionalProperties: false },
);

const AssociationSource = Type.Object(
  {
    from: Type.String({
      description:
        'resource_attribute (a Resource attribute names the pod) or connection (the client address of the request).',
    }),
    name: Type.String({
      default: '',
      description: 'The Resource attribute read when from is resource_attribute: k8s.pod.ip, k8s.pod.uid, host.name, …',
    }),
  },
  { additionalProperties: false },
);

/** The config schema. */
export const K8sAttributesConfigSchema = Type.Object(
  {
    auth_type: Type.String({
      default: 'serviceAccount',
      description:
        'How to reach the API server: serviceAccount (in-cluster token, CA and KUBERNETES_SERVICE_HOST/PORT), kubeConfig (the kubeconfig file, or KUBECONFIG) or none.',
    }),
    context: Type.String({
      default: '',
      description: 'With kubeConfig: the context to use instead of the current one.',
    }),
    passthrough: Type.Boolean({
      default: false,
      description:
        'Only stamp the client address of the connection as k8s.pod.ip, with no API access: for a gateway behind agents that tag.',
    }),
    extract: Type.Object(
      {
        metadata: Type.Array(Type.String(), {
          default: [...DEFAULT_METADATA],
          description: `Pod metadata to add as Resource attributes. Default: ${DEFAULT_METADATA.join(', ')}.`,
        }),
        labels: Type.Array(FieldExtract, { default: [], description: 'Labels to add as Resource attributes.' }),
        annotations: Type.Array(FieldExtract, {
          default: [],
          description: 'Annotations to add as Resource attributes.',
        }),
      },
      { default: {}, additionalProperties: false, description: 'What to add to the data of a known pod.' },
    ),
    filter: Type.Object(
      {
        node: Type.String({ default: '', description: 'Watch only the pods of this node.' }),
        node_from_env_var: Type.String({
          default: '',
          description:
            'Watch only the pods of the node named by this environment variable (a DaemonSet: spec.nodeName).',
        }),
        namespace: Type.String({ default: '', description: 'Watch only the pods of this namespace.' }),
        fields: Type.Array(FieldFilter, { default: [], description: 'Field selectors the pods must match.' }),
        labels: Type.Array(FieldFilter, { default: [], description: 'Label selectors the pods must match.' }),
      },
      {
        default: {},
        additionalProperties: false,
        description: 'Which pods are watched; sent to the API server as selectors.',
      },
    ),
    pod_association: Type.Array(
      Type.Object(
        {
          sources: Type.Array(AssociationSource, {
            default: [],
            description: `How to identify the pod; all sources must resolve (at most ${MAX_ASSOCIATION_SOURCES}).`,
          }),
        },
        { additionalProperties: false },
      ),
      {
        default: [],
        description:
          "Rules tried in order to find the pod of each Resource. Default (none given): k8s.pod.ip, then ip, then the connection's address, then host.name if it is an IP.",
      },
    ),
    exclude: Type.Object(
      {
        pods: Type.Array(
          Type.Object(
            { name: Type.String({ description: 'A pod name (a regular expression matched whole).' }) },
            { additionalProperties: false },
          ),
          { default: [{ name: 'jaeger-agent' }, { name: 'jaeger-collector' }], description: 'Pods never tagged.' },
        ),
      },
      { default: {}, additionalProperties: false, description: 'Pods whose data is never tagged.' },
    ),
    wait_for_metadata: Type.Boolean({
      default: false,
      description: 'Fail at start unless the pod list arrives within wait_for_metadata_timeout.',
    }),
    wait_for_metadata_timeout: Duration({
      default: '10s',
      description: 'How long start waits for the pod list when wait_for_metadata is on.',
    }),
  },
  { additionalProperties: false },
);

/** The validated config. */
export type K8sAttributesConfig = Static<typeof K8sAttributesConfigSchema>;

type Problem = [string, string];

/** Go's Validate rules, with its messages, each at its path. */
export function validateK8sAttributesConfig(cfg: K8sAttributesConfig): Problem[] {
  const out: Problem[] = [];
  if (!['serviceAccount', 'kubeConfig', 'none'].includes(cfg.auth_type))
    out.push(['auth_type', `invalid authType for kubernetes: ${cfg.auth_type}`]);
  cfg.pod_association.forEach((a, i) => {
    if (a.sources.length > MAX_ASSOCIATION_SOURCES)
      out.push([`pod_association[${i}]`, `too many association sources. limit is ${MAX_ASSOCIATION_SOURCES}`]);
    a.sources.forEach((s, j) => {
      if (s.from !== 'connection' && s.from !== 'resource_attribute')
        out.push([`pod_association[${i}].sources[${j}].from`, `"${s.from}" is not a valid association source`]);
    });
  });
  checkExtracts('labels', cfg.extract.labels, out);
  checkExtracts('annotations', cfg.extract.annotations, out);
  cfg.extract.metadata.forEach((m, i) => {
    if (!SUPPORTED_METADATA.has(m)) out.push([`extract.metadata[${i}]`, `"${m}" is not a supported metadata field`]);
  });
  checkFilters('labels', cfg.filter.labels, ['equals', 'not-equals', 'exists', 'does-not-exist'], out);
  checkFilters('fields', cfg.filter.fields, ['equals', 'not-equals'], out);
  // Go also refuses, at validation, a node_from_env_var that is not set. telegate checks it at start
  // (nodeFilterProblem): `telegate validate` of a DaemonSet's config must pass outside the cluster too.
  return out;
}

function checkExtracts(kind: string, rules: K8sAttributesConfig['extract']['labels'], out: Problem[]): void {
  rules.forEach((f, i) => {
    const path = `extract.${kind}[${i}]`;
    if (f.key !== '' && f.key_regex !== '')
      out.push([
        path,
        `Out of Key or KeyRegex only one option is expected to be configured at a time, currently Key:${f.key} and KeyRegex:${f.key_regex}`,
      ]);
    if (!['pod', 'namespace', 'node'].includes(f.from))
      out.push([`${path}.from`, `${f.from} is not a valid choice for From. Must be one of: pod, namespace, node`]);
    if (f.key_regex !== '') {
      try {
        new RegExp(`^(?:${f.key_regex})$`);
      } catch (err) {
        out.push([`${path}.key_regex`, err instanceof Error ? err.message : String(err)]);
      }
    }
  });
}

function checkFilters(
  kind: string,
  filters: K8sAttributesConfig['filter']['labels'],
  ops: readonly string[],
  out: Problem[],
): void {
  filters.forEach((f, i) => {
    if (!ops.includes(f.op))
      out.push([
        `filter.${kind}[${i}].op`,
        `'${f.op}' is not a valid label filter operation for key=${f.key}, value=${f.value}`,
      ]);
  });
}

/** Go's FilterConfig.Validate message when the node's environment variable is missing, or undefined. */
export function nodeFilterProblem(cfg: K8sAttributesConfig, env: NodeJS.ProcessEnv): string | undefined {
  const name = cfg.filter.node_from_env_var;
  if (name === '' || env[name] !== undefined) return undefined;
  return `\`node_from_env_var\` is configured but envvar "${name}" is not set`;
}
