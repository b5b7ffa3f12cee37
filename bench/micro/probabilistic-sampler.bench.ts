// probabilistic_sampler at 10 % beside the plain forward path, on the same realistic 1,000-span
// ExportTraceServiceRequest (~300 B/span, distinct random trace ids, no tracestate). The forward path
// is what every request pays without the processor: validateRequest at the receiver. The sampler runs
// on top of it: scan each span, decide, copy the kept 10 % with their new tracestate.
// Run: npx tsx bench/micro/probabilistic-sampler.bench.ts   (mitata figures are per 1,000-span request)
import { run, bench, summary, do_not_optimize } from 'mitata';
import { createHash } from 'node:crypto';
import { encodeRequest, sampleTracesRequest } from '../../test/helpers/otlp-proto.ts';
import { validateRequest } from '../../src/pdata/validate.ts';
import { ProbabilisticSamplerProcessor } from '../../src/components/processors/probabilistic_sampler/probabilistic-sampler.ts';
import type { ProbabilisticSamplerConfig } from '../../src/components/processors/probabilistic_sampler/config.ts';
import { SUCCESS, type ConsumeResult } from '../../src/contracts/consumer.ts';
import { EMPTY_CONTEXT, type Payload } from '../../src/contracts/payload.ts';
import { MemoryTelemetry, RecordingLogger } from '../../test/helpers/fakes.ts';

const SPANS = 1000;
const request = sampleTracesRequest(SPANS) as { resourceSpans: { scopeSpans: { spans: { traceId: Buffer }[] }[] }[] };
let n = 0;
for (const span of request.resourceSpans[0]!.scopeSpans[0]!.spans)
  span.traceId = createHash('sha256').update(String(n++)).digest().subarray(0, 16);
const bytes = encodeRequest('traces', request);
console.log(`payload: ${bytes.length} bytes, ${(bytes.length / SPANS).toFixed(1)} B/span`);

let keptSpans = 0;
const sink = {
  consume: (p: Payload): Promise<ConsumeResult> => ((keptSpans += p.items), Promise.resolve(SUCCESS)),
};
const base: ProbabilisticSamplerConfig = {
  sampling_percentage: 10,
  hash_seed: 22,
  fail_closed: true,
  sampling_precision: 4,
  attribute_source: 'traceID',
  from_attribute: '',
  sampling_priority: '',
};
const make = (cfg: ProbabilisticSamplerConfig) =>
  new ProbabilisticSamplerProcessor(cfg, sink, new RecordingLogger(), new MemoryTelemetry(), 'probabilistic_sampler');
const hashSeed = make(base);
const proportional = make({ ...base, hash_seed: 0, mode: 'proportional' });
const payload = (): Payload => ({ signal: 'traces', bytes, items: SPANS, context: EMPTY_CONTEXT });

const forward = () => validateRequest('traces', bytes);
const sampleHash = () => (validateRequest('traces', bytes), hashSeed.consume(payload()));
const sampleProportional = () => (validateRequest('traces', bytes), proportional.consume(payload()));

/** Spans per CPU-second of `fn` over `iterations` requests (user + system CPU time of this process). */
async function spansPerCpuSecond(fn: () => unknown, iterations: number): Promise<number> {
  for (let i = 0; i < 50; i++) await fn();
  const start = process.cpuUsage();
  for (let i = 0; i < iterations; i++) await fn();
  const used = process.cpuUsage(start);
  return (iterations * SPANS) / ((used.user + used.system) / 1e6);
}

keptSpans = 0;
await sampleHash();
console.log(`kept at 10 % (hash_seed 22): ${keptSpans} of ${SPANS}`);
for (const [name, fn] of [
  ['forward path (validateRequest)', forward],
  ['forward + probabilistic_sampler 10 % hash_seed', sampleHash],
  ['forward + probabilistic_sampler 10 % proportional', sampleProportional],
] as const) {
  const rate = await spansPerCpuSecond(fn, 400);
  console.log(`${name}: ${(rate / 1e6).toFixed(2)} M spans per CPU-second`);
}

summary(() => {
  bench('forward path: validateRequest', () => {
    do_not_optimize(forward());
  });
  bench('probabilistic_sampler 10 % hash_seed (consume only)', async () => {
    do_not_optimize(await hashSeed.consume(payload()));
  });
  bench('probabilistic_sampler 10 % proportional (consume only)', async () => {
    do_not_optimize(await proportional.consume(payload()));
  });
});

await run();
