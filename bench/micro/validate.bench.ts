// Validate vs count vs protobufjs decode on a realistic 1,000-span ExportTraceServiceRequest (~300 B/span,
// as in /work/shared/perf-lab.md). Run: npx tsx bench/micro/validate.bench.ts
// Figures are per request: divide by 1,000 for ns/span.
import { run, bench, summary, do_not_optimize } from 'mitata';
import { encodeRequest, sampleTracesRequest, ExportTraceServiceRequest } from '../../test/helpers/otlp-proto.ts';
import { validateRequest } from '../../src/pdata/validate.ts';
import { countItems } from '../../src/pdata/count.ts';

const payload = encodeRequest('traces', sampleTracesRequest(1000));
console.log(`payload: ${payload.length} bytes, ${(payload.length / 1000).toFixed(1)} B/span`);
if (validateRequest('traces', payload) !== 1000) throw new Error('validate miscounts');

summary(() => {
  bench('validateRequest (full walk)', () => {
    do_not_optimize(validateRequest('traces', payload));
  });
  bench('countItems (bodies skipped)', () => {
    do_not_optimize(countItems('traces', payload));
  });
  bench('protobufjs decode (reference)', () => {
    do_not_optimize(ExportTraceServiceRequest.decode(payload));
  }).gc('inner');
});

await run();
