// Jaeger's /api/dependencies: a call from service A to B for each span of B whose parent is a span of A,
// computed once per trace and span count, then counted over the traces in the time window.
import { TAG } from '../../../pdata/fields.ts';
import { WireReader } from '../../../pdata/wire.ts';
import type { DependencyLink } from '../trace-store.ts';
import type { Catalog } from './catalog.ts';
import { SpanRecords, type Trace } from './trace-entry.ts';

/** Service id pairs are counted under parent · EDGE_SHIFT + child. */
const EDGE_SHIFT = 2 ** 24;
const NO_EDGES: number[] = [];
const T_SPAN_ID = TAG.Span.spanId;
const T_PARENT_ID = TAG.Span.parentSpanId;

/** Calls between services of the live traces in `traces[from…]` that overlap `[fromUs, toUs]`. */
export function countDependencies(
  traces: readonly Trace[],
  from: number,
  catalog: Catalog,
  fromUs: number,
  toUs: number,
): DependencyLink[] {
  const counts = new Map<number, number>();
  for (let i = from; i < traces.length; i++) {
    const t = traces[i] as Trace;
    if (t.dead || t.startMax < fromUs || t.startMin > toUs) continue;
    if (t.edgesSpans !== t.spanCount) {
      t.edges = edgesOf(t, catalog);
      t.edgesSpans = t.spanCount;
    }
    const edges = t.edges;
    for (let k = 0; k < edges.length; k += 2) {
      const key = (edges[k] as number) * EDGE_SHIFT + (edges[k + 1] as number);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  const out: DependencyLink[] = [];
  for (const [key, callCount] of counts) {
    const parent = catalog.services.get(Math.floor(key / EDGE_SHIFT))?.key;
    const child = catalog.services.get(key % EDGE_SHIFT)?.key;
    if (parent !== undefined && child !== undefined) out.push({ parent, child, callCount });
  }
  return out;
}

/** A trace's calls between services: [parent service, child service] pairs, one per child span. */
function edgesOf(t: Trace, catalog: Catalog): number[] {
  const spanService = new Map<string, number>();
  const parents: [string, number][] = [];
  const records = new SpanRecords(t);
  while (records.next()) {
    const serviceId = catalog.resources.at(records.resourceId).serviceId;
    const [spanId, parentId] = spanIds(records.buf, records.start, records.end);
    spanService.set(spanId, serviceId);
    if (parentId !== '') parents.push([parentId, serviceId]);
  }
  const edges: number[] = [];
  for (const [parentId, child] of parents) {
    const parent = spanService.get(parentId);
    if (parent !== undefined && parent !== child) edges.push(parent, child);
  }
  return edges.length === 0 ? NO_EDGES : edges;
}

/** A span's span_id and parent_span_id as latin1 keys ('' when absent or not 8 bytes). */
function spanIds(buf: Buffer, start: number, end: number): [string, string] {
  const r = new WireReader(buf, start, end);
  let id = '';
  let parent = '';
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === T_SPAN_ID || tag === T_PARENT_ID) {
      const e = r.lenEnd();
      if (e - r.pos === 8) {
        if (tag === T_SPAN_ID) id = buf.toString('latin1', r.pos, e);
        else parent = buf.toString('latin1', r.pos, e);
      }
      r.pos = e;
    } else r.skip(tag & 7);
  }
  return [id, parent];
}
