// Hot path: see bench/micro/validate.bench.ts.
// Counts the items of an Export*ServiceRequest by hopping over length prefixes: it descends only
// Resource* → Scope* (→ Metric → data) and skips each item's body. Meant for already-validated bytes
// (validateRequest returns the same count); malformed input still only throws WireError.
import type { Signal } from '../contracts/signal.ts';
import { DATA_POINTS_TAG, SIGNAL_TAGS, isMetricDataTag, type SignalTags } from './fields.ts';
import { WireReader } from './wire.ts';

/** Spans, log records or metric data points (as the Go collector's DataPointCount) in `bytes`. */
export function countItems(signal: Signal, bytes: Buffer): number {
  const tags = SIGNAL_TAGS[signal];
  const r = new WireReader(bytes);
  let count = 0;
  while (r.hasMore()) {
    const tag = r.tag();
    if (tag !== tags.requestEntry) r.skip(tag & 7);
    else
      count += eachChild(r, r.lenEnd(), tags.entryScopes, signal === 'metrics' ? countScopeMetrics : countLeaves, tags);
  }
  return count;
}

type Counter = (r: WireReader, end: number, tags: SignalTags) => number;

/** Sums `count` over each length-delimited field tagged `want` in `[r.pos, end)`; leaves r at `end`. */
function eachChild(r: WireReader, end: number, want: number, count: Counter, tags: SignalTags): number {
  const outer = r.end;
  r.end = end;
  let total = 0;
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === want) total += count(r, r.lenEnd(), tags);
    else r.skip(tag & 7);
  }
  r.end = outer;
  return total;
}

/** A Scope{Spans,Logs}: its items counted without reading their bodies. */
function countLeaves(r: WireReader, end: number, tags: SignalTags): number {
  return eachChild(r, end, tags.scopeItems, skipOne, tags);
}

function skipOne(r: WireReader, end: number): number {
  r.pos = end;
  return 1;
}

function countScopeMetrics(r: WireReader, end: number, tags: SignalTags): number {
  return eachChild(r, end, tags.scopeItems, countMetricPoints, tags);
}

/**
 * The data points of the Metric body `[r.pos, end)`: those of its data member (gauge, sum, histogram,
 * exponential histogram or summary); when several are set the last one wins. Leaves r at `end`.
 */
export function countMetricPoints(r: WireReader, end: number): number {
  const outer = r.end;
  r.end = end;
  let points = 0;
  while (r.pos < end) {
    const tag = r.tag();
    if (isMetricDataTag(tag)) points = eachChild(r, r.lenEnd(), DATA_POINTS_TAG, skipOne, SIGNAL_TAGS.metrics);
    else r.skip(tag & 7);
  }
  r.end = outer;
  return points;
}
