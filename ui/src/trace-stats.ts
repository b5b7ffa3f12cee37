// Trace statistics (Jaeger UI's "Trace Statistics" view), without a DOM: each span's self time (its
// duration minus the time covered by its children) and the figures per service and per operation.
import type { SpanNode, TraceTree } from './trace-model.ts';

/** Each span's self time in µs: its duration less the union of its children's time within it. */
export function selfTimes(tree: TraceTree): Map<string, number> {
  const out = new Map<string, number>();
  for (const node of tree.ordered) out.set(node.span.spanID, selfTime(node));
  return out;
}

function selfTime(node: SpanNode): number {
  const start = node.span.startTime;
  const end = start + node.span.duration;
  const kids = node.children
    .map((k) => [Math.max(start, k.span.startTime), Math.min(end, k.span.startTime + k.span.duration)] as const)
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  let covered = 0;
  let cursor = start;
  for (const [a, b] of kids) {
    const from = Math.max(a, cursor);
    if (b > from) covered += b - from;
    cursor = Math.max(cursor, b);
  }
  return node.span.duration - covered;
}

/** Figures for one group of spans (a service, or an operation of a service). */
export interface StatRow {
  readonly service: string;
  /** '' for a service's own row. */
  readonly operation: string;
  count: number;
  errors: number;
  totalUs: number;
  minUs: number;
  maxUs: number;
  selfTotalUs: number;
  selfMinUs: number;
  selfMaxUs: number;
}

/** Per-service rows, each followed by its operations' rows; services and operations by self time, most first. */
export function traceStats(tree: TraceTree): StatRow[] {
  const self = selfTimes(tree);
  const services = new Map<string, { row: StatRow; ops: Map<string, StatRow> }>();
  for (const node of tree.ordered) {
    let svc = services.get(node.service);
    if (!svc) {
      svc = { row: emptyRow(node.service, ''), ops: new Map() };
      services.set(node.service, svc);
    }
    let op = svc.ops.get(node.span.operationName);
    if (!op) {
      op = emptyRow(node.service, node.span.operationName);
      svc.ops.set(node.span.operationName, op);
    }
    const own = self.get(node.span.spanID) ?? 0;
    add(svc.row, node, own);
    add(op, node, own);
  }
  const bySelf = (a: StatRow, b: StatRow): number =>
    b.selfTotalUs - a.selfTotalUs || a.operation.localeCompare(b.operation);
  const out: StatRow[] = [];
  for (const { row, ops } of [...services.values()].sort((a, b) => bySelf(a.row, b.row))) {
    out.push(row, ...[...ops.values()].sort(bySelf));
  }
  return out;
}

function emptyRow(service: string, operation: string): StatRow {
  return {
    service,
    operation,
    count: 0,
    errors: 0,
    totalUs: 0,
    minUs: Infinity,
    maxUs: 0,
    selfTotalUs: 0,
    selfMinUs: Infinity,
    selfMaxUs: 0,
  };
}

function add(row: StatRow, node: SpanNode, selfUs: number): void {
  const d = node.span.duration;
  row.count++;
  if (node.isError) row.errors++;
  row.totalUs += d;
  row.minUs = Math.min(row.minUs, d);
  row.maxUs = Math.max(row.maxUs, d);
  row.selfTotalUs += selfUs;
  row.selfMinUs = Math.min(row.selfMinUs, selfUs);
  row.selfMaxUs = Math.max(row.selfMaxUs, selfUs);
}
