// Reads a `k8s render` spec: YAML with positions, the schema checked by the config validator, then
// the rules across fields (unique clusters and users). Every problem is reported at once, each with
// its YAML path and file:line:column, in the format `telegate validate` uses.
import { IssueList, type ConfigIssue } from '../config/issues.ts';
import { nodeAt, type ConfigNode } from '../config/node.ts';
import { validateConfig } from '../config/validate.ts';
import { parseYamlNode } from '../config/yaml-node.ts';
import { DNS_LABEL, edgeClientId, edgeNamespace, edgeUser, K8sSpecSchema, oidcOf, type K8sSpec } from './spec.ts';

/** The spec, or the problems that stop it from rendering. */
export type LoadedSpec = { readonly spec: K8sSpec } | { readonly issues: readonly ConfigIssue[] };

/** Parses and checks spec text; `file` names it in messages. */
export function parseSpec(text: string, file: string): LoadedSpec {
  const issues = new IssueList();
  const root = parseYamlNode(text, file, issues);
  if (root === undefined) return { issues: issues.items };
  const checked = validateConfig(K8sSpecSchema, root, '', { file, line: 1, column: 1 });
  issues.addAll(checked.issues);
  if (checked.value === undefined) return { issues: issues.items };
  const spec = checked.value as K8sSpec;
  crossFieldProblems(spec).forEach(([path, message, hint]) => {
    issues.error({ path, source: sourceAt(root, path), message, hint, code: 'TG_CONFIG_VALUE' });
  });
  return issues.errorCount() > 0 ? { issues: issues.items } : { spec };
}

function sourceAt(root: ConfigNode, path: string): ConfigNode['source'] {
  return nodeAt(root, path)?.source ?? root.source;
}

type Problem = [path: string, message: string, hint: string];

/** Rules the schema cannot say: each cluster is one directory, each user one htpasswd line. */
function crossFieldProblems(spec: K8sSpec): Problem[] {
  const out: Problem[] = [];
  const clusters = new Map<string, string>([[spec.gateway.cluster, 'gateway.cluster']]);
  const users = new Map<string, string>();
  spec.edges.forEach((edge, i) => {
    const at = `edges[${i}]`;
    const seen = clusters.get(edge.cluster);
    if (seen !== undefined)
      out.push([
        `${at}.cluster`,
        `cluster "${edge.cluster}" is also ${seen}`,
        'Each cluster renders to its own directory.',
      ]);
    clusters.set(edge.cluster, `${at}.cluster`);
    const user = edgeUser(edge);
    const other = users.get(user);
    if (other !== undefined)
      out.push([`${at}.user`, `user "${user}" is also the user of ${other}`, 'Give each edge its own user.']);
    users.set(user, at);
    if (/[:\s]/.test(user))
      out.push([`${at}.user`, 'a basicauth user name cannot contain ":" or white space', 'Use a DNS-like name.']);
    if (!new RegExp(DNS_LABEL).test(edgeNamespace(spec, edge)))
      out.push([`${at}.namespace`, 'not a valid namespace name', 'Use lower-case letters, digits and "-".']);
    if (/[\r\n]/.test(edge.password))
      out.push([`${at}.password`, 'the password cannot contain a line break', 'Use one line.']);
  });
  out.push(...authProblems(spec));
  const r = spec.gateway.replicas;
  if (r.min > r.max)
    out.push(['gateway.replicas.max', `max (${r.max}) is below min (${r.min})`, 'Raise max or lower min.']);
  return out;
}

// With oidc each edge is its own client at the provider; without it, client settings would be ignored.
function authProblems(spec: K8sSpec): Problem[] {
  const out: Problem[] = [];
  const oidc = oidcOf(spec) !== undefined;
  const ids = new Map<string, string>();
  spec.edges.forEach((edge, i) => {
    const at = `edges[${i}]`;
    if (!oidc) {
      for (const key of ['client_id', 'client_secret'] as const)
        if (edge[key] !== '')
          out.push([`${at}.${key}`, `${key} is used only with gateway.auth.oidc`, 'Add gateway.auth.oidc or drop it.']);
      return;
    }
    const id = edgeClientId(edge);
    const other = ids.get(id);
    if (other !== undefined)
      out.push([
        `${at}.client_id`,
        `client id "${id}" is also the client of ${other}`,
        'Give each edge its own client.',
      ]);
    ids.set(id, at);
  });
  return out;
}
