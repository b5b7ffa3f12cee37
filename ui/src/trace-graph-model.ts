// The trace graph without a DOM (Jaeger UI's trace graph): spans aggregated into nodes by their path of
// (service, operation) from the root, so repeated calls become one node with a count. Given two trees
// it aggregates both into one graph with a count per trace, which the trace comparison view colours.
import type { TraceTree } from './trace-model.ts';

/** One aggregated node; arrays are indexed by the tree it came from. */
export interface GraphNode {
  readonly key: string;
  readonly parentKey: string | undefined;
  readonly service: string;
  readonly operation: string;
  readonly depth: number;
  readonly color: string;
  readonly counts: number[];
  readonly errors: number[];
  readonly durationUs: number[];
  /** The first span of each tree that landed here ('' when none). */
  readonly firstSpan: string[];
}

/** Nodes in depth-first order (a parent before its children), at most `maxNodes` of them. */
export interface TraceGraph {
  readonly nodes: readonly GraphNode[];
  /** Nodes left out because of `maxNodes`. */
  readonly dropped: number;
}

/** Aggregates one or more trees into one graph. */
export function aggregateGraph(trees: readonly TraceTree[], maxNodes = 600): TraceGraph {
  const byKey = new Map<string, GraphNode>();
  let dropped = 0;
  trees.forEach((tree, t) => {
    const keyOf = new Map<string, string>();
    for (const n of tree.ordered) {
      const parentKey = n.parentId === undefined ? undefined : keyOf.get(n.parentId);
      if (n.parentId !== undefined && parentKey === undefined) continue; // under a dropped node
      const key = `${parentKey ?? ''}\u0000${n.service}\u0001${n.span.operationName}`;
      let node = byKey.get(key);
      if (!node) {
        if (byKey.size >= maxNodes) {
          dropped++;
          continue;
        }
        node = newNode(key, parentKey, n.service, n.span.operationName, n.depth, n.color, trees.length);
        byKey.set(key, node);
      }
      keyOf.set(n.span.spanID, key);
      node.counts[t] = (node.counts[t] ?? 0) + 1;
      if (n.isError) node.errors[t] = (node.errors[t] ?? 0) + 1;
      node.durationUs[t] = (node.durationUs[t] ?? 0) + n.span.duration;
      if (node.firstSpan[t] === '') node.firstSpan[t] = n.span.spanID;
    }
  });
  return { nodes: depthFirst([...byKey.values()]), dropped };
}

function newNode(
  key: string,
  parentKey: string | undefined,
  service: string,
  operation: string,
  depth: number,
  color: string,
  n: number,
): GraphNode {
  const zeros = (): number[] => new Array<number>(n).fill(0);
  return {
    key,
    parentKey,
    service,
    operation,
    depth,
    color,
    counts: zeros(),
    errors: zeros(),
    durationUs: zeros(),
    firstSpan: new Array<string>(n).fill(''),
  };
}

/** Orders nodes so each parent comes right before its subtree (nodes of a second tree join in place). */
function depthFirst(nodes: readonly GraphNode[]): GraphNode[] {
  const kids = new Map<string | undefined, GraphNode[]>();
  for (const n of nodes) {
    const list = kids.get(n.parentKey);
    if (list) list.push(n);
    else kids.set(n.parentKey, [n]);
  }
  const out: GraphNode[] = [];
  const stack = [...(kids.get(undefined) ?? [])].reverse();
  while (stack.length > 0) {
    const n = stack.pop() as GraphNode;
    out.push(n);
    const list = kids.get(n.key) ?? [];
    for (let i = list.length - 1; i >= 0; i--) stack.push(list[i] as GraphNode);
  }
  return out;
}

/** How a node of a two-trace graph changed from trace A to trace B. */
export type DiffKind = 'same' | 'more' | 'less' | 'added' | 'removed';

/** The change of a node's span count from the first tree to the second. */
export function diffKind(node: GraphNode): DiffKind {
  const a = node.counts[0] ?? 0;
  const b = node.counts[1] ?? 0;
  if (a === 0) return 'added';
  if (b === 0) return 'removed';
  return a === b ? 'same' : b > a ? 'more' : 'less';
}
