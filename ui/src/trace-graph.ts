// The trace graph view (SVG): aggregated nodes (trace-graph-model.ts) laid out as a tree, one column per
// depth and one row per node in depth-first order, with an edge from each node to its parent. Used for
// one trace (a click opens the node's first span in the timeline) and for comparing two traces.
import { h, s } from './dom.ts';
import { formatDuration } from './format.ts';
import { aggregateGraph, diffKind, type GraphNode, type TraceGraph } from './trace-graph-model.ts';
import type { TraceTree } from './trace-model.ts';

const COL_PX = 230;
const ROW_PX = 50;
const BOX_W = 200;
const BOX_H = 40;

/** The graph of one trace; `select` receives the first span id of a clicked node. */
export function renderTraceGraph(tree: TraceTree, select: (spanId: string) => void): HTMLElement {
  return drawGraph(
    aggregateGraph([tree]),
    (n) => [`${n.counts[0] ?? 0}× · ${formatDuration(n.durationUs[0] ?? 0)}`, ''],
    (n) => {
      const id = n.firstSpan[0];
      if (id) select(id);
    },
  );
}

/** The merged graph of two traces, nodes classed by how their span count changed from A to B. */
export function renderDiffGraph(graph: TraceGraph): HTMLElement {
  return drawGraph(graph, (n) => [`A ${n.counts[0] ?? 0} · B ${n.counts[1] ?? 0}`, `diff-${diffKind(n)}`], undefined);
}

function drawGraph(
  graph: TraceGraph,
  label: (n: GraphNode) => readonly [string, string],
  onClick: ((n: GraphNode) => void) | undefined,
): HTMLElement {
  const row = new Map<string, number>();
  graph.nodes.forEach((n, i) => row.set(n.key, i));
  const maxDepth = graph.nodes.reduce((m, n) => Math.max(m, n.depth), 0);
  const svg = s('svg', {
    class: 'trace-graph',
    width: (maxDepth + 1) * COL_PX + 20,
    height: graph.nodes.length * ROW_PX + 20,
    role: 'img',
    'aria-label': 'Trace graph',
  });
  for (const n of graph.nodes) {
    const p = n.parentKey === undefined ? undefined : row.get(n.parentKey);
    if (p === undefined) continue;
    const [x1, y1] = [10 + (n.depth - 1) * COL_PX + 14, 10 + p * ROW_PX + BOX_H];
    const [x2, y2] = [10 + n.depth * COL_PX, 10 + (row.get(n.key) ?? 0) * ROW_PX + BOX_H / 2];
    svg.append(s('path', { class: 'g-edge', d: `M${x1},${y1} V${y2} H${x2}` }));
  }
  graph.nodes.forEach((n, i) => {
    svg.append(nodeBox(n, i, label(n), onClick));
  });
  return h(
    'div',
    { class: 'panel-scroll graph-view' },
    graph.dropped > 0 ? h('p', { class: 'muted' }, `${graph.dropped} more nodes not drawn.`) : null,
    svg,
  );
}

function nodeBox(
  n: GraphNode,
  i: number,
  [text, cls]: readonly [string, string],
  onClick: ((n: GraphNode) => void) | undefined,
): SVGElement {
  const x = 10 + n.depth * COL_PX;
  const y = 10 + i * ROW_PX;
  const errs = n.errors.reduce((a, b) => a + b, 0);
  const g = s(
    'g',
    {
      class: `g-node ${cls}${errs > 0 ? ' err' : ''}`,
      'data-service': n.service,
      'data-operation': n.operation,
      transform: `translate(${x},${y})`,
      tabindex: onClick ? 0 : undefined,
    },
    s('title', {}, `${n.service}: ${n.operation}\n${text}${errs > 0 ? `\n${errs} errors` : ''}`),
    s('rect', { class: 'g-box', width: BOX_W, height: BOX_H, rx: 4 }),
    s('rect', { width: 5, height: BOX_H, rx: 2, fill: n.color }),
    s('text', { x: 12, y: 16, class: 'g-svc' }, clip(n.service, 26)),
    s('text', { x: 12, y: 32, class: 'g-op' }, `${clip(n.operation, 18)}  ${text}`),
  );
  if (onClick) {
    g.addEventListener('click', () => {
      onClick(n);
    });
    g.addEventListener('keydown', (e) => {
      if (e instanceof KeyboardEvent && e.key === 'Enter') onClick(n);
    });
  }
  return g;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
