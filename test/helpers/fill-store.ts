// Fills a trace store fast for tests of query bounds: the generator's encoder (a telemetrygen template,
// ids and times patched in place) straight into writeTraces, no network. 100,000 traces of 3 spans take
// about a second.
import { defaultsFor } from '../../src/generator/options.ts';
import { Patcher, type Template } from '../../src/generator/template.ts';
import { buildTraceTemplate } from '../../src/generator/traces.ts';
import type { TraceStore } from '../../src/backend/store/trace-store.ts';

/** Traces per request written. */
const TRACES_PER_REQUEST = 500;

/** Writes `traces` traces of `service` (3 spans each) ending before now, spread over the last `spreadMs`. */
export function fillStore(store: TraceStore, traces: number, service = 'loaded', spreadMs = 600_000): number {
  const o = { ...defaultsFor('traces'), service, childSpans: 2 };
  const template: Template = buildTraceTemplate(o, TRACES_PER_REQUEST);
  const patcher = new Patcher();
  const requests = Math.ceil(traces / TRACES_PER_REQUEST);
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  let spans = 0;
  for (let r = 0; r < requests; r++) {
    const bytes = Buffer.from(template.bytes);
    const baseNs = nowNs - BigInt(Math.floor(((requests - r) / requests) * spreadMs)) * 1_000_000n;
    patcher.patch(new DataView(bytes.buffer, bytes.byteOffset, bytes.length), template, baseNs);
    spans += store.writeTraces(bytes);
  }
  return spans;
}
