// Splits an OTLP Export*ServiceRequest into parts of at most N items (spans, metric data points, log
// records), as Go's batch processor splitTraces/splitMetrics/splitLogs do: whole resource entries
// while they fit; an entry too big is cut at scope, then item (for metrics: metric, then data point)
// boundaries. Only the enclosing messages of a cut are rewritten (their other fields — resource,
// scope, schema_url, metric name, temporality… — are copied into every piece); all else is copied.
import type { Signal } from '../contracts/signal.ts';
import { DATA_POINTS_TAG, SIGNAL_TAGS, isMetricDataTag, type SignalTags } from './fields.ts';
import { writeNodes, type WireMessage, type WireNode, type WireRange } from './rewrite-tree.ts';
import { WireReader } from './wire.ts';

/** One part of a split request. */
export interface RequestPart {
  readonly bytes: Buffer;
  readonly items: number;
}

/** A nesting level: which fields of its body are children, and what a child is (null: one item). */
interface Level {
  readonly isChild: (tag: number) => boolean;
  readonly next: Level | null;
}

const isTag =
  (tag: number) =>
  (t: number): boolean =>
    t === tag;

// A Metric's children are its data members, each holding its data points (the items).
const METRIC_DATA: Level = { isChild: isTag(DATA_POINTS_TAG), next: null };
const METRIC: Level = { isChild: isMetricDataTag, next: METRIC_DATA };

/** The levels of a request: resource entries, scope entries, then items (or metrics, for `item`). */
function requestLevel(tags: SignalTags, item: Level | null): Level {
  const scope: Level = { isChild: isTag(tags.scopeItems), next: item };
  const entry: Level = { isChild: isTag(tags.entryScopes), next: scope };
  return { isChild: isTag(tags.requestEntry), next: entry };
}

const REQUEST: Record<Signal, Level> = {
  traces: requestLevel(SIGNAL_TAGS.traces, null),
  logs: requestLevel(SIGNAL_TAGS.logs, null),
  metrics: requestLevel(SIGNAL_TAGS.metrics, METRIC),
};

/**
 * Splits `bytes` into parts of at most `maxItems` items each, in order; their concatenation holds
 * the same items under the same resources and scopes. Returns `[bytes]` itself when it fits (or
 * `maxItems` ≤ 0). Throws WireError on malformed input.
 */
export function splitRequest(signal: Signal, bytes: Buffer, maxItems: number): RequestPart[] {
  const level = REQUEST[signal];
  const total = countBody(bytes, 0, bytes.length, level);
  if (maxItems <= 0 || total <= maxItems) return [{ bytes, items: total }];
  const s = new Splitter(bytes, maxItems);
  s.walk(0, bytes.length, level);
  s.flush();
  return s.parts;
}

/** Items under a message body of the given level. */
function countBody(buf: Buffer, start: number, end: number, level: Level): number {
  const r = new WireReader(buf, start, end);
  const next = level.next;
  let n = 0;
  while (r.pos < r.end) {
    const tag = r.tag();
    if (!level.isChild(tag)) {
      r.skip(tag & 7);
      continue;
    }
    const childEnd = r.lenEnd();
    n += next === null ? 1 : countBody(buf, r.pos, childEnd, next);
    r.pos = childEnd;
  }
  return n;
}

/** A message being cut: its non-child fields, and its rebuilt copy in the current part (if any yet). */
interface OpenLevel {
  readonly tag: number;
  readonly shared: readonly WireRange[];
  node: WireMessage | null;
}

class Splitter {
  readonly parts: RequestPart[] = [];
  private readonly buf: Buffer;
  private readonly max: number;
  private top: WireNode[] = [];
  private count = 0;
  private readonly open: OpenLevel[] = [];

  constructor(buf: Buffer, max: number) {
    this.buf = buf;
    this.max = max;
  }

  /** Places every field of the body: children whole or cut, other fields into the current part. */
  walk(start: number, end: number, level: Level): void {
    const r = new WireReader(this.buf, start, end);
    const isTop = this.open.length === 0;
    while (r.pos < r.end) {
      const fieldStart = r.pos;
      const tag = r.tag();
      if (!level.isChild(tag)) {
        r.skip(tag & 7);
        // Inside a cut message, non-child fields are already in `shared`; at the top (unknown fields of
        // the request) they go to the current part.
        if (isTop) this.target().push({ start: fieldStart, end: r.pos });
        continue;
      }
      const bodyEnd = r.lenEnd();
      this.place(tag, fieldStart, r.pos, bodyEnd, level.next);
      r.pos = bodyEnd;
    }
  }

  private place(tag: number, start: number, bodyStart: number, end: number, next: Level | null): void {
    const n = next === null ? 1 : countBody(this.buf, bodyStart, end, next);
    if (n > 0 && this.count >= this.max) this.flush();
    if (next === null || this.count + n <= this.max) {
      this.target().push({ start, end });
      this.count += n;
      return;
    }
    this.open.push({ tag, shared: sharedFields(this.buf, bodyStart, end, next), node: null });
    this.walk(bodyStart, end, next);
    this.open.pop();
  }

  /** The child list of the innermost open message in the current part, rebuilding the chain if needed. */
  private target(): WireNode[] {
    let list = this.top;
    for (const lv of this.open) {
      if (lv.node === null) {
        lv.node = { tag: lv.tag, children: [...lv.shared], size: -1 };
        list.push(lv.node);
      }
      list = lv.node.children;
    }
    return list;
  }

  /** Ends the current part (if it holds anything). */
  flush(): void {
    if (this.top.length === 0) return;
    this.parts.push({ bytes: writeNodes(this.buf, this.top), items: this.count });
    this.top = [];
    this.count = 0;
    for (const lv of this.open) lv.node = null;
  }
}

/** The fields of a message body that are not children of `level`, as byte ranges. */
function sharedFields(buf: Buffer, start: number, end: number, level: Level): WireRange[] {
  const out: WireRange[] = [];
  const r = new WireReader(buf, start, end);
  while (r.pos < r.end) {
    const fieldStart = r.pos;
    const tag = r.tag();
    r.skip(tag & 7);
    if (!level.isChild(tag)) out.push({ start: fieldStart, end: r.pos });
  }
  return out;
}
