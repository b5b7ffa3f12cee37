// Resource processor wire edit vs a full protobufjs decode/encode, and request splitting, on a realistic
// 1,000-span ExportTraceServiceRequest (1 resource with 8 attributes, ~300 B/span).
// Run: npx tsx bench/micro/resource-edit.bench.ts   (figures are per request; divide by 1,000 for ns/span)
import { run, bench, summary, do_not_optimize } from 'mitata';
import { encodeRequest, sampleTracesRequest, ExportTraceServiceRequest } from '../../test/helpers/otlp-proto.ts';
import { editResourceChunks } from '../../src/pdata/resource-edit.ts';
import { splitRequest } from '../../src/pdata/split.ts';
import { applyActions } from '../../src/components/attraction/apply.ts';
import { compileActions } from '../../src/components/attraction/compile.ts';
import type { RequestContext } from '../../src/contracts/payload.ts';

const payload = encodeRequest('traces', sampleTracesRequest(1000));
console.log(`payload: ${payload.length} bytes, ${(payload.length / 1000).toFixed(1)} B/span`);

function compile(configs: Parameters<typeof compileActions>[0]) {
  const r = compileActions(configs);
  if (!r.ok) throw new Error('bad actions');
  return r.actions;
}
const stamp = compile([
  { key: 'user', action: 'upsert', from_context: 'auth.username' },
  { key: 'deployment.environment', action: 'upsert', value: 'staging' },
  { key: 'host.name', action: 'delete' },
]);
const noop = compile([{ key: 'absent', action: 'update', value: 'x' }]);
const ctx: RequestContext = { auth: { username: 'alice' } };
// What the processors run: the edited request as chunks (views of the input + the new Resource bytes).
if (editResourceChunks(payload, (a) => applyActions(noop, a, ctx)) !== null) throw new Error('no-op edit copied');

summary(() => {
  bench('editResourceChunks: upsert from auth + upsert + delete', () => {
    do_not_optimize(editResourceChunks(payload, (a) => applyActions(stamp, a, ctx)));
  });
  bench('editResourceChunks: no action applies (null)', () => {
    do_not_optimize(editResourceChunks(payload, (a) => applyActions(noop, a, ctx)));
  });
  bench('protobufjs decode + edit + encode (reference)', () => {
    const msg = ExportTraceServiceRequest.decode(payload) as unknown as {
      resourceSpans: { resource: { attributes: unknown[] } }[];
    };
    msg.resourceSpans[0]!.resource.attributes.push({ key: 'user', value: { stringValue: 'alice' } });
    do_not_optimize(ExportTraceServiceRequest.encode(msg).finish());
  }).gc('inner');
});

summary(() => {
  bench('splitRequest 1,000 spans into parts of 256', () => {
    do_not_optimize(splitRequest('traces', payload, 256));
  });
  bench('splitRequest, fits (count only)', () => {
    do_not_optimize(splitRequest('traces', payload, 1000));
  });
});

await run();
