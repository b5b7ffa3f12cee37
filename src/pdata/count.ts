// Hot path: see bench/micro/validate.bench.ts.
// Counts the items of an Export*ServiceRequest by hopping over length prefixes: it descends only
// Resource* → Scope* (→ Metric → data) and skips each item's body. Meant for already-validated bytes
// (validateRequest returns the same count); malformed input still only throws WireError.
import type { Signal } from '../contracts/signal.ts';
import { WireReader, WIRE_LEN } from './wire.ts';

/** Spans, log records or metric data points (as the Go collector's DataPointCount) in `bytes`. */
export function countItems(signal: Signal, bytes: Buffer): number {
  const r = new WireReader(bytes);
  let count = 0;
  while (r.hasMore()) {
    const tag = r.tag();
    if (tag !== ((1 << 3) | WIRE_LEN)) r.skip(tag & 7);
    else count += eachChild(r, r.lenEnd(), 2, signal === 'metrics' ? countScopeMetrics : countLeaves);
  }
  return count;
}

type Counter = (r: WireReader, end: number) => number;

/** Sums `count` over each length-delimited field `field` in `[r.pos, end)`; leaves r at `end`. */
function eachChild(r: WireReader, end: number, field: number, count: Counter): number {
  const outer = r.end;
  r.end = end;
  let total = 0;
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === ((field << 3) | WIRE_LEN)) total += count(r, r.lenEnd());
    else r.skip(tag & 7);
  }
  r.end = outer;
  return total;
}

/** A Scope{Spans,Logs}: items are field 2, counted without reading their bodies. */
function countLeaves(r: WireReader, end: number): number {
  return eachChild(r, end, 2, skipOne);
}

function skipOne(r: WireReader, end: number): number {
  r.pos = end;
  return 1;
}

function countScopeMetrics(r: WireReader, end: number): number {
  return eachChild(r, end, 2, countMetric);
}

/** A Metric: the data points of its data oneof (gauge 5, sum 7, histogram 9, exp. histogram 10, summary 11); the last one set wins. */
function countMetric(r: WireReader, end: number): number {
  const outer = r.end;
  r.end = end;
  let points = 0;
  while (r.pos < end) {
    const tag = r.tag();
    const field = tag >>> 3;
    const isData = field === 5 || field === 7 || field === 9 || field === 10 || field === 11;
    if (isData && (tag & 7) === WIRE_LEN) points = eachChild(r, r.lenEnd(), 1, skipOne);
    else r.skip(tag & 7);
  }
  r.end = outer;
  return points;
}
