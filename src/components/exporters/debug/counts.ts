// The counts of the basic line, as Go's debug exporter names them, from pdata's summary of the bytes
// (no decode: basic is the default verbosity, so it must stay cheap).
import type { Signal } from '../../../contracts/signal.ts';
import { summarizeRequest } from '../../../pdata/summary.ts';

/** The fields of Go's basic line for a signal; throws WireError on malformed bytes. */
export function basicFields(signal: Signal, bytes: Buffer): Record<string, number> {
  const s = summarizeRequest(signal, bytes);
  if (signal === 'traces') return { 'resource spans': s.resources, spans: s.items };
  if (signal === 'logs') return { 'resource logs': s.resources, 'log records': s.items };
  return { 'resource metrics': s.resources, metrics: s.metrics, 'data points': s.items };
}
