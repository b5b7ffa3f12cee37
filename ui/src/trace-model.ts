// Derived views of a Jaeger trace: the span tree in display order, per-trace summaries for result lists,
// span status, and the critical path (the chain of work that decided the trace's end-to-end latency).
import type { KeyValue, Span, Trace } from './api.ts';
import { assignColors } from './colors.ts';

/** A span placed in the tree. */
export interface SpanNode {
  readonly span: Span;
  readonly service: string;
  readonly depth: number;
  readonly children: SpanNode[];
  readonly parentId: string | undefined;
  readonly isError: boolean;
  /** The service's colour, distinct from every other service of the trace. */
  readonly color: string;
}

/** The trace as a tree, with spans in depth-first display order. */
export interface TraceTree {
  readonly trace: Trace;
  readonly roots: readonly SpanNode[];
  /** Depth-first, children by start time: the order rows are shown in. */
  readonly ordered: readonly SpanNode[];
  readonly byId: ReadonlyMap<string, SpanNode>;
  readonly startUs: number;
  readonly endUs: number;
  readonly maxDepth: number;
  /** Colour per service name, all different within the trace. */
  readonly colors: ReadonlyMap<string, string>;
}

/** The value of a tag, if present. */
export function tagValue(tags: readonly KeyValue[] | null | undefined, key: string): unknown {
  return tags?.find((t) => t.key === key)?.value;
}

/** Whether a span failed: OTel status ERROR (as the Jaeger translator writes it) or `error=true`. */
export function isErrorSpan(span: Span): boolean {
  const err = tagValue(span.tags, 'error');
  return err === true || err === 'true' || tagValue(span.tags, 'otel.status_code') === 'ERROR';
}

/**
 * The span this one nests under: its first CHILD_OF reference to a span of the trace, else (as Jaeger
 * UI does for a span whose only tie is a link) its first FOLLOWS_FROM reference to one. `has` says
 * whether a span id is in the trace; without it every reference within the trace id counts.
 */
export function parentIdOf(span: Span, has: (id: string) => boolean = () => true): string | undefined {
  const refs = span.references ?? [];
  const inTrace = (r: (typeof refs)[number]): boolean =>
    r.traceID === span.traceID && r.spanID !== span.spanID && has(r.spanID);
  const ref = refs.find((r) => r.refType === 'CHILD_OF' && inTrace(r)) ?? refs.find((r) => inTrace(r));
  return ref?.spanID;
}

/** Builds the span tree; spans whose parent is missing become roots. */
export function buildTree(trace: Trace): TraceTree {
  const byId = new Map<string, SpanNode>();
  let startUs = Infinity;
  let endUs = -Infinity;
  for (const span of trace.spans) {
    startUs = Math.min(startUs, span.startTime);
    endUs = Math.max(endUs, span.startTime + span.duration);
  }
  const ids = new Set(trace.spans.map((s) => s.spanID));
  const has = (id: string): boolean => ids.has(id);
  const parentOf = new Map<string, string | undefined>();
  for (const span of trace.spans) parentOf.set(span.spanID, parentIdOf(span, has));
  const childrenOf = new Map<string | undefined, Span[]>();
  for (const span of trace.spans) {
    const p = parentOf.get(span.spanID);
    const key = p !== undefined && parentOf.has(p) && p !== span.spanID ? p : undefined;
    const list = childrenOf.get(key);
    if (list) list.push(span);
    else childrenOf.set(key, [span]);
  }
  for (const list of childrenOf.values()) list.sort((a, b) => a.startTime - b.startTime);
  const ordered: SpanNode[] = [];
  const roots: SpanNode[] = [];
  let maxDepth = 0;
  const colors = assignColors(trace.spans.map((sp) => serviceOf(trace, sp)));
  // Iterative depth-first walk: a 10,000-deep chain must not overflow the stack.
  const stack: { span: Span; depth: number; parent: SpanNode | undefined }[] = [];
  const rootSpans = childrenOf.get(undefined) ?? [];
  for (let i = rootSpans.length - 1; i >= 0; i--)
    stack.push({ span: rootSpans[i] as Span, depth: 0, parent: undefined });
  // Spans whose references form a cycle (links can) are reached from no root: each starts one.
  let next = 0;
  while (stack.length > 0 || next < trace.spans.length) {
    if (stack.length === 0) {
      const span = trace.spans[next++] as Span;
      if (!byId.has(span.spanID)) stack.push({ span, depth: 0, parent: undefined });
      continue;
    }
    const { span, depth, parent } = stack.pop() as (typeof stack)[number];
    if (byId.has(span.spanID)) continue;
    const service = serviceOf(trace, span);
    const node: SpanNode = {
      span,
      service,
      color: colors.get(service) ?? '#1f77b4',
      depth,
      children: [],
      parentId: parent?.span.spanID,
      isError: isErrorSpan(span),
    };
    byId.set(span.spanID, node);
    ordered.push(node);
    if (parent) parent.children.push(node);
    else roots.push(node);
    maxDepth = Math.max(maxDepth, depth);
    const kids = childrenOf.get(span.spanID) ?? [];
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ span: kids[i] as Span, depth: depth + 1, parent: node });
  }
  if (!Number.isFinite(startUs)) startUs = endUs = 0;
  return { trace, roots, ordered, byId, startUs, endUs, maxDepth, colors };
}

/** The service name of a span (its process's), or the process id when the process is missing. */
export function serviceOf(trace: Trace, span: Span): string {
  return trace.processes[span.processID]?.serviceName ?? span.processID;
}

/** What a result list shows for a trace. */
export interface TraceSummary {
  readonly traceID: string;
  readonly name: string;
  readonly rootService: string;
  readonly startUs: number;
  readonly durationUs: number;
  readonly spanCount: number;
  readonly errorCount: number;
  /** Spans per service, most spans first. */
  readonly services: readonly { readonly name: string; readonly count: number; readonly errors: number }[];
}

/** Summarises a trace without building its tree (cheap for long result lists). */
export function summarize(trace: Trace): TraceSummary {
  const ids = new Set(trace.spans.map((s) => s.spanID));
  let root: Span | undefined;
  let start = Infinity;
  let end = -Infinity;
  let errors = 0;
  const services = new Map<string, { name: string; count: number; errors: number }>();
  for (const span of trace.spans) {
    start = Math.min(start, span.startTime);
    end = Math.max(end, span.startTime + span.duration);
    const isRoot = parentIdOf(span, (id) => ids.has(id)) === undefined;
    if (isRoot && (!root || span.startTime < root.startTime)) root = span;
    const name = trace.processes[span.processID]?.serviceName ?? span.processID;
    const entry = services.get(name) ?? { name, count: 0, errors: 0 };
    entry.count++;
    if (isErrorSpan(span)) {
      entry.errors++;
      errors++;
    }
    services.set(name, entry);
  }
  const rootService = root ? (trace.processes[root.processID]?.serviceName ?? root.processID) : '';
  return {
    traceID: trace.traceID,
    name: root ? `${rootService}: ${root.operationName}` : '(no root span)',
    rootService,
    startUs: Number.isFinite(start) ? start : 0,
    durationUs: Number.isFinite(start) ? end - start : 0,
    spanCount: trace.spans.length,
    errorCount: errors,
    services: [...services.values()].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)),
  };
}

/** Time ranges (µs) of each span that lie on the critical path, keyed by span id. */
export type CriticalPath = ReadonlyMap<string, readonly (readonly [number, number])[]>;

/**
 * The critical path: from the end of each root, walk back through the child that finished last before
 * the current point; time not covered by such a child is the span's own. Iterative, bounded by span count.
 */
export function criticalPath(tree: TraceTree): CriticalPath {
  const out = new Map<string, [number, number][]>();
  const add = (id: string, from: number, to: number): void => {
    if (to <= from) return;
    const list = out.get(id);
    if (list) list.push([from, to]);
    else out.set(id, [[from, to]]);
  };
  const work: { node: SpanNode; bound: number }[] = tree.roots.map((node) => ({ node, bound: Infinity }));
  let budget = tree.ordered.length * 4 + 16;
  while (work.length > 0 && budget-- > 0) {
    const { node, bound } = work.pop() as (typeof work)[number];
    const { startTime: start, duration } = node.span;
    let cursor = Math.min(start + duration, bound);
    const kids = [...node.children].sort((a, b) => end(b) - end(a));
    for (const kid of kids) {
      if (cursor <= start) break;
      if (kid.span.startTime >= cursor || end(kid) <= start) continue;
      const kidEnd = Math.min(end(kid), cursor);
      add(node.span.spanID, kidEnd, cursor);
      work.push({ node: kid, bound: kidEnd });
      cursor = Math.max(kid.span.startTime, start);
    }
    add(node.span.spanID, start, cursor);
  }
  return out;
}

function end(n: SpanNode): number {
  return n.span.startTime + n.span.duration;
}
