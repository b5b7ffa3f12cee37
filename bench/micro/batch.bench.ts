// Batch processor: cost of consume for 100-span requests gathered into 8,192-span batches (concatenation,
// timers, bookkeeping), with a downstream that accepts at once.
// Run: npx tsx bench/micro/batch.bench.ts   (figures are per 100-span request)
import { run, bench, do_not_optimize } from 'mitata';
import { encodeRequest, sampleTracesRequest } from '../../test/helpers/otlp-proto.ts';
import { BatchProcessor } from '../../src/components/processors/batch/batch-processor.ts';
import { SUCCESS } from '../../src/contracts/consumer.ts';
import { EMPTY_CONTEXT } from '../../src/contracts/payload.ts';
import { testSettings } from '../../test/helpers/fakes.ts';

const bytes = encodeRequest('traces', sampleTracesRequest(100));
const cfg = {
  timeout: 200,
  send_batch_size: 8192,
  send_batch_max_size: 0,
  metadata_keys: [],
  metadata_cardinality_limit: 1000,
};
const capped = { ...cfg, send_batch_max_size: 8192 };
let sent = 0;
const sink = { consume: () => ((sent += 1), Promise.resolve(SUCCESS)) };
const plain = new BatchProcessor(testSettings('processor', 'batch'), cfg, 'traces', sink);
const split = new BatchProcessor(testSettings('processor', 'batch/max'), capped, 'traces', sink);

bench('consume 100 spans (send_batch_size 8192)', async () => {
  do_not_optimize(await plain.consume({ signal: 'traces', bytes, items: 100, context: EMPTY_CONTEXT }));
});
bench('consume 100 spans (send_batch_max_size 8192: batches are split)', async () => {
  do_not_optimize(await split.consume({ signal: 'traces', bytes, items: 100, context: EMPTY_CONTEXT }));
});

await run();
await plain.shutdown();
await split.shutdown();
console.log(`batches sent: ${sent}`);
