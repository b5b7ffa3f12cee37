// Validate vs a byte-read loop vs count vs protobufjs decode on a realistic 1,000-span
// ExportTraceServiceRequest (~300 B/span, as in docs/perf-lab.md), plus the same spans with the
// shapes that leave validate's in-order fast path (an array attribute, a 300-byte value, flags, a link).
// Run: npx tsx bench/micro/validate.bench.ts. Figures are per request: divide by 1,000 for ns/span.
// The machine is shared and noisy: compare validate with the byte-read loop of the same run.
import { run, bench, summary, do_not_optimize } from 'mitata';
import { encodeRequest, sampleTracesRequest, ExportTraceServiceRequest } from '../../test/helpers/otlp-proto.ts';
import { validateRequest } from '../../src/pdata/validate.ts';
import { countItems } from '../../src/pdata/count.ts';

const payload = encodeRequest('traces', sampleTracesRequest(1000));
const varied = encodeRequest('traces', variedSpans(sampleTracesRequest(1000)));
console.log(`payload: ${payload.length} bytes, ${(payload.length / 1000).toFixed(1)} B/span`);
console.log(`varied payload: ${varied.length} bytes, ${(varied.length / 1000).toFixed(1)} B/span`);
if (validateRequest('traces', payload) !== 1000) throw new Error('validate miscounts');
if (validateRequest('traces', varied) !== 1000) throw new Error('validate miscounts the varied payload');

/** Adds to every span an array attribute (first), a 300-byte string attribute, flags and a link. */
function variedSpans(request: Record<string, unknown>): Record<string, unknown> {
  const scope = (request.resourceSpans as { scopeSpans: { spans: Record<string, unknown>[] }[] }[])[0]?.scopeSpans[0];
  for (const span of scope?.spans ?? []) {
    const attributes = span.attributes as unknown[];
    attributes.unshift({ key: 'tags', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '2' }] } } });
    attributes.push({ key: 'db.statement', value: { stringValue: 'SELECT '.padEnd(300, 'x') } });
    span.flags = 0x101;
    span.links = [
      {
        traceId: Buffer.alloc(16, 1),
        spanId: Buffer.alloc(8, 2),
        attributes: [{ key: 'k', value: { stringValue: 'v' } }],
      },
    ];
  }
  return request;
}

/** The floor for anything that looks at every byte: one typed-array read per byte. */
function readEveryByte(bytes: Uint8Array): number {
  let sum = 0;
  const n = bytes.length;
  for (let i = 0; i < n; i++) sum = (sum + (bytes[i] as number)) | 0;
  return sum;
}

summary(() => {
  bench('validateRequest (full walk)', () => {
    do_not_optimize(validateRequest('traces', payload));
  });
  bench('validateRequest, varied spans (2.3x bytes)', () => {
    do_not_optimize(validateRequest('traces', varied));
  });
  bench('byte-read loop (baseline)', () => {
    do_not_optimize(readEveryByte(payload));
  });
  bench('countItems (bodies skipped)', () => {
    do_not_optimize(countItems('traces', payload));
  });
  bench('protobufjs decode (reference)', () => {
    do_not_optimize(ExportTraceServiceRequest.decode(payload));
  }).gc('inner');
});

await run();
