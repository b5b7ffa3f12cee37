// Per-request counts for the debug exporter's basic and normal output, read by hopping over length
// prefixes like count.ts: resource entries, scope entries, metrics and items (spans, data points, log
// records), as the Go debug exporter prints them ("resource spans", "spans", "metrics", "data points").
import type { Signal } from '../contracts/signal.ts';
import { WireReader, WIRE_LEN } from './wire.ts';
import { countItems } from './count.ts';

/** What a request holds. `metrics` is 0 for traces and logs. */
export interface RequestSummary {
  readonly resources: number;
  readonly scopes: number;
  readonly metrics: number;
  readonly items: number;
}

/** Counts the entries of an Export*ServiceRequest; throws WireError on malformed bytes. */
export function summarizeRequest(signal: Signal, bytes: Buffer): RequestSummary {
  const r = new WireReader(bytes);
  let resources = 0;
  let scopes = 0;
  let metrics = 0;
  forEach(r, bytes.length, 1, (rsEnd) => {
    resources++;
    forEach(r, rsEnd, 2, (ssEnd) => {
      scopes++;
      if (signal === 'metrics') {
        forEach(r, ssEnd, 2, () => {
          metrics++;
        });
      }
    });
  });
  return { resources, scopes, metrics, items: countItems(signal, bytes) };
}

/** Calls `each(end)` for every length-delimited field `field` in `[r.pos, end)`, then leaves r at `end`. */
function forEach(r: WireReader, end: number, field: number, each: (end: number) => void): void {
  const outer = r.end;
  r.end = end;
  while (r.pos < end) {
    const tag = r.tag();
    if (tag !== ((field << 3) | WIRE_LEN)) {
      r.skip(tag & 7);
      continue;
    }
    const fieldEnd = r.lenEnd();
    each(fieldEnd);
    r.pos = fieldEnd;
  }
  r.end = outer;
}
