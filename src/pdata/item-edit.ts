// Hot path: see bench/micro/attributes-edit.bench.ts.
// Rewrites the attributes of the items of an OTLP Export*ServiceRequest — spans, log records, metric
// data points — and copies every other byte untouched (DESIGN.md §2). An editor first selects an item
// from byte ranges (its resource, scope and body), so the attributes of unselected items are never
// decoded; for a changed item only its attributes field(s) are rewritten, and the sizes of the
// enclosing scope and resource entries are recomputed. Throws WireError on malformed input.
import type { Signal } from '../contracts/signal.ts';
import type { KeyValue } from './attributes.ts';
import { SIGNAL_TAGS, TAG, type SignalTags } from './fields.ts';
import { KeyInterner } from './key-intern.ts';
import { Splice, attributesSize, containerSize, writeBody } from './item-splice.ts';
import { readKeyValuesLazy, type LazyReadState } from './lazy-key-value.ts';
import { WireReader } from './wire.ts';

/** Where an item is, as body ranges of `buf`; a start of -1 means the message is absent. */
export interface ItemView {
  buf: Buffer;
  signal: Signal;
  /** The Resource of the item's entry. */
  resourceStart: number;
  resourceEnd: number;
  /** The InstrumentationScope of the item's scope list. */
  scopeStart: number;
  scopeEnd: number;
  /** The span, log record or (for metrics) the Metric whose data points are edited. */
  itemStart: number;
  itemEnd: number;
}

/** What to do with each item. */
export interface ItemAttributesEditor {
  /** False leaves the item (a metric: all its data points) untouched and its attributes unread. */
  selects(view: ItemView): boolean;
  /** Edits one attribute list in place (reorder, grow, shrink); true when it changed anything. */
  edit(attrs: KeyValue[]): boolean;
}

/** The attributes field of each metric data member's data points. */
const DATA_POINT_ATTRS: Readonly<Record<number, number>> = {
  [TAG.Metric.gauge]: TAG.NumberDataPoint.attributes,
  [TAG.Metric.sum]: TAG.NumberDataPoint.attributes,
  [TAG.Metric.histogram]: TAG.HistogramDataPoint.attributes,
  [TAG.Metric.exponentialHistogram]: TAG.ExponentialHistogramDataPoint.attributes,
  [TAG.Metric.summary]: TAG.SummaryDataPoint.attributes,
};

interface Walk {
  readonly view: ItemView;
  readonly editor: ItemAttributesEditor;
  readonly tags: SignalTags;
  readonly r: WireReader;
  readonly lazy: LazyReadState;
  /** The attributes field of the data points being read (metrics). */
  attrTag: number;
}

// Attribute keys repeat across requests: one table for the process (bounded, see key-intern.ts).
const KEYS = new KeyInterner();

/** Applies `editor` to every item of `bytes`; returns `bytes` itself when nothing changed. */
export function editItemAttributes(bytes: Buffer, signal: Signal, editor: ItemAttributesEditor): Buffer {
  const view: ItemView = {
    buf: bytes,
    signal,
    resourceStart: -1,
    resourceEnd: -1,
    scopeStart: -1,
    scopeEnd: -1,
    itemStart: -1,
    itemEnd: -1,
  };
  const w: Walk = {
    view,
    editor,
    tags: SIGNAL_TAGS[signal],
    r: new WireReader(bytes),
    lazy: { r: new WireReader(bytes), keys: KEYS },
    attrTag: 0,
  };
  const kids = editFields(w, 0, bytes.length, w.tags.requestEntry, editEntry);
  if (kids === null) return bytes;
  const out = Buffer.allocUnsafe(containerSize(0, bytes.length, kids));
  writeBody(bytes, out, 0, 0, bytes.length, kids);
  return out;
}

type EditField = (w: Walk, tag: number, start: number, bodyStart: number, end: number) => Splice | null;

/** Edits every `want` field of the body `[start, end)`; the changed ones, or null. */
function editFields(w: Walk, start: number, end: number, want: number, edit: EditField): Splice[] | null {
  let kids: Splice[] | null = null;
  let pos = start;
  const r = w.r;
  while (pos < end) {
    r.pos = pos;
    r.end = end;
    const tag = r.tag();
    if (tag !== want) {
      r.skip(tag & 7);
      pos = r.pos;
      continue;
    }
    const fieldEnd = r.lenEnd();
    const s = edit(w, tag, pos, r.pos, fieldEnd);
    if (s !== null) (kids ??= []).push(s);
    pos = fieldEnd;
  }
  return kids;
}

/** The body range of the last `want` field of `[start, end)`, as [start, end], or [-1, -1]. */
function findField(r: WireReader, start: number, end: number, want: number, out: [number, number]): void {
  out[0] = -1;
  out[1] = -1;
  r.pos = start;
  r.end = end;
  while (r.pos < end) {
    const tag = r.tag();
    if (tag !== want) {
      r.skip(tag & 7);
      continue;
    }
    const fieldEnd = r.lenEnd();
    out[0] = r.pos;
    out[1] = fieldEnd;
    r.pos = fieldEnd;
  }
}

const found: [number, number] = [-1, -1];

function container(tag: number, start: number, bodyStart: number, end: number, kids: Splice[] | null): Splice | null {
  if (kids === null) return null;
  const s = new Splice(tag, start, bodyStart, end);
  s.kids = kids;
  s.size = containerSize(bodyStart, end, kids);
  return s;
}

function editEntry(w: Walk, tag: number, start: number, bodyStart: number, end: number): Splice | null {
  // The Resource may come after the scope lists (any field order is valid protobuf): find it first.
  findField(w.r, bodyStart, end, w.tags.entryResource, found);
  w.view.resourceStart = found[0];
  w.view.resourceEnd = found[1];
  return container(tag, start, bodyStart, end, editFields(w, bodyStart, end, w.tags.entryScopes, editScope));
}

function editScope(w: Walk, tag: number, start: number, bodyStart: number, end: number): Splice | null {
  findField(w.r, bodyStart, end, w.tags.scope, found);
  w.view.scopeStart = found[0];
  w.view.scopeEnd = found[1];
  const editItem = w.view.signal === 'metrics' ? editMetric : editLeafItem;
  return container(tag, start, bodyStart, end, editFields(w, bodyStart, end, w.tags.scopeItems, editItem));
}

function selects(w: Walk, bodyStart: number, end: number): boolean {
  w.view.itemStart = bodyStart;
  w.view.itemEnd = end;
  return w.editor.selects(w.view);
}

function editLeafItem(w: Walk, tag: number, start: number, bodyStart: number, end: number): Splice | null {
  if (!selects(w, bodyStart, end)) return null;
  const attrTag = w.view.signal === 'traces' ? TAG.Span.attributes : TAG.LogRecord.attributes;
  return editAttributes(w, tag, start, bodyStart, end, attrTag);
}

function editMetric(w: Walk, tag: number, start: number, bodyStart: number, end: number): Splice | null {
  if (!selects(w, bodyStart, end)) return null;
  // One pass over the Metric: its data member is whichever of the five is set.
  let kids: Splice[] | null = null;
  let pos = bodyStart;
  const r = w.r;
  while (pos < end) {
    r.pos = pos;
    r.end = end;
    const t = r.tag();
    const attrTag = DATA_POINT_ATTRS[t];
    if (attrTag === undefined) {
      r.skip(t & 7);
      pos = r.pos;
      continue;
    }
    const fieldEnd = r.lenEnd();
    const memberStart = r.pos;
    w.attrTag = attrTag;
    const points = editFields(w, memberStart, fieldEnd, TAG.Gauge.dataPoints, editDataPoint);
    const s = container(t, pos, memberStart, fieldEnd, points);
    if (s !== null) (kids ??= []).push(s);
    pos = fieldEnd;
  }
  return container(tag, start, bodyStart, end, kids);
}

function editDataPoint(w: Walk, tag: number, start: number, bodyStart: number, end: number): Splice | null {
  return editAttributes(w, tag, start, bodyStart, end, w.attrTag);
}

/** Decodes the attributes of one item, lets the editor change them, and plans the rewrite. */
function editAttributes(
  w: Walk,
  tag: number,
  start: number,
  bodyStart: number,
  end: number,
  attrTag: number,
): Splice | null {
  const buf = w.view.buf;
  const attrs: KeyValue[] = [];
  const ranges: number[] = [];
  readKeyValuesLazy(w.lazy, buf, bodyStart, end, attrTag, attrs, ranges);
  if (!w.editor.edit(attrs)) return null;
  const s = new Splice(tag, start, bodyStart, end);
  s.attrs = attrs;
  s.attrTag = attrTag;
  s.attrRanges = ranges;
  let size = end - bodyStart + attributesSize(buf, attrs, attrTag);
  for (let i = 0; i < ranges.length; i += 2) size -= (ranges[i + 1] as number) - (ranges[i] as number);
  s.size = size;
  return s;
}
