// Per-request counts for the debug exporter's lines, read by hopping over length prefixes like count.ts:
// resource entries, scope entries, metrics and items (spans, data points, log records), as the Go debug
// exporter prints them ("resource spans", "spans", "metrics", "data points"). Not on the hot path: the
// debug exporter calls it only for lines its sampler lets through.
import type { Signal } from '../contracts/signal.ts';
import { countMetricPoints } from './count.ts';
import { SIGNAL_TAGS } from './fields.ts';
import { WireReader } from './wire.ts';

/** What a request holds. `metrics` is 0 for traces and logs. */
export interface RequestSummary {
  readonly resources: number;
  readonly scopes: number;
  readonly metrics: number;
  readonly items: number;
}

/** Counts the entries of an Export*ServiceRequest in one walk; throws WireError on malformed bytes. */
export function summarizeRequest(signal: Signal, bytes: Buffer): RequestSummary {
  const tags = SIGNAL_TAGS[signal];
  const isMetrics = signal === 'metrics';
  const r = new WireReader(bytes);
  let resources = 0;
  let scopes = 0;
  let metrics = 0;
  let items = 0;
  forEach(r, bytes.length, tags.requestEntry, (entryEnd) => {
    resources++;
    forEach(r, entryEnd, tags.entryScopes, (scopeEnd) => {
      scopes++;
      forEach(r, scopeEnd, tags.scopeItems, (itemEnd) => {
        if (!isMetrics) items++;
        else {
          metrics++;
          items += countMetricPoints(r, itemEnd);
        }
      });
    });
  });
  return { resources, scopes, metrics, items };
}

/** Calls `each(end)` for every length-delimited field tagged `want` in `[r.pos, end)`; leaves r at `end`. */
function forEach(r: WireReader, end: number, want: number, each: (end: number) => void): void {
  const outer = r.end;
  r.end = end;
  while (r.pos < end) {
    const tag = r.tag();
    if (tag !== want) {
      r.skip(tag & 7);
      continue;
    }
    const fieldEnd = r.lenEnd();
    each(fieldEnd);
    r.pos = fieldEnd;
  }
  r.end = outer;
}
