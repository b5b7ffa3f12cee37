// Unions (TypeBox `anyOf`) in the config validator: the first branch that accepts the value wins;
// when none does, the problems of the branch that fits the value's shape are reported, so a user
// reads "expected a string" or "unknown key", never "must match a schema in anyOf".
import type { ConfigNode } from './node.ts';
import { IssueList } from './issues.ts';
import type { SchemaView } from './schema-view.ts';
import { INVALID, typeError, type CheckAt, type Checked } from './validate-scalar.ts';

type CheckFn = (schema: SchemaView, node: ConfigNode, at: CheckAt) => Checked;

/** Checks `node` against each branch in turn. */
export function checkUnion(
  schema: SchemaView,
  branches: readonly SchemaView[],
  node: ConfigNode,
  at: CheckAt,
  check: CheckFn,
): Checked {
  const attempts = branches.map((branch) => {
    const issues = new IssueList();
    const value = check(branch, node, { path: at.path, issues });
    return { branch, value, issues };
  });
  const good = attempts.find((a) => a.value !== INVALID && a.issues.errorCount() === 0);
  if (good !== undefined) {
    at.issues.addAll(good.issues.items);
    return good.value;
  }
  const fitting = attempts.find((a) => fits(a.branch, node));
  if (fitting === undefined) return typeError(schema, node, at);
  at.issues.addAll(fitting.issues.items);
  return INVALID;
}

// Whether a branch is for values of this node's shape (a map branch for a map, and so on).
function fits(branch: SchemaView, node: ConfigNode): boolean {
  const type = branch.type;
  if (node.kind === 'map') return type === 'object' || branch['x-tg'] === 'secretMap' || branch['x-tg'] === 'optional';
  if (node.kind === 'list') return type === 'array';
  const v = node.value;
  if (branch['x-tg'] === 'duration' || branch['x-tg'] === 'bytes')
    return typeof v === 'string' || typeof v === 'number';
  if (typeof v === 'string') return type === 'string' || branch.const !== undefined || branch.enum !== undefined;
  if (typeof v === 'number') return type === 'number' || type === 'integer';
  if (typeof v === 'boolean') return type === 'boolean';
  return false;
}
