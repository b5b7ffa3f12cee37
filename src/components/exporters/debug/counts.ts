// The counts of the basic line, read from the bytes without decoding (basic is the default verbosity,
// so it must stay cheap): resources are field 1 of the request; metrics are field 2 of field 2 below them.
import type { Signal } from '../../../contracts/signal.ts';
import { WIRE_LEN, WireReader } from '../../../pdata/wire.ts';

/** Counts the length-delimited fields along `path` (field numbers, outermost first) in `bytes`. */
function countAt(bytes: Buffer, path: readonly number[], depth = 0): number {
  const r = new WireReader(bytes);
  const want = ((path[depth] ?? 0) << 3) | WIRE_LEN;
  let n = 0;
  while (r.hasMore()) {
    const tag = r.tag();
    if (tag !== want) {
      r.skip(tag & 7);
      continue;
    }
    const inner = r.bytes();
    n += depth + 1 === path.length ? 1 : countAt(inner, path, depth + 1);
  }
  return n;
}

/** Resources in the request; throws WireError on malformed bytes. */
export function countResources(bytes: Buffer): number {
  return countAt(bytes, [1]);
}

/** Metrics (not data points) in a metrics request. */
export function countMetrics(bytes: Buffer): number {
  return countAt(bytes, [1, 2, 2]);
}

/** The fields of Go's basic line for a signal. */
export function basicFields(signal: Signal, bytes: Buffer, items: number): Record<string, number> {
  const resources = countResources(bytes);
  if (signal === 'traces') return { 'resource spans': resources, spans: items };
  if (signal === 'logs') return { 'resource logs': resources, 'log records': items };
  return { 'resource metrics': resources, metrics: countMetrics(bytes), 'data points': items };
}
