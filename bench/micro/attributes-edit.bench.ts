// The attributes processor (one upsert and one delete per span) beside the plain forward path and a
// full protobufjs decode + edit + re-encode, on the same 1,000-span ExportTraceServiceRequest (10
// attributes per span, ~300 B/span). The plain path is what every request costs in the receiver
// (validateRequest; the exporter then sends the bytes as they are); the processor adds its edit to it.
// Run: npx tsx bench/micro/attributes-edit.bench.ts   (figures are per request; divide by 1,000 for ns/span)
import { run, bench, summary, do_not_optimize } from 'mitata';
import { encodeRequest, sampleTracesRequest, ExportTraceServiceRequest } from '../../test/helpers/otlp-proto.ts';
import { RecordingConsumer, testSettings } from '../../test/helpers/fakes.ts';
import { validateRequest } from '../../src/pdata/validate.ts';
import { editItemAttributes, type ItemAttributesEditor } from '../../src/pdata/item-edit.ts';
import { attributesFactory } from '../../src/components/processors/attributes/factory.ts';
import type { AttributesConfig } from '../../src/components/processors/attributes/config.ts';

const payload = encodeRequest('traces', sampleTracesRequest(1000));
console.log(`payload: ${payload.length} bytes, ${(payload.length / 1000).toFixed(1)} B/span`);

function editor(cfg: AttributesConfig): ItemAttributesEditor {
  // The processor is the editor of its own requests (attributes-processor.ts).
  return attributesFactory.create(
    testSettings('processor', 'attributes'),
    cfg,
    'traces',
    new RecordingConsumer(),
  ) as unknown as ItemAttributesEditor;
}
const actions: AttributesConfig['actions'] = [
  { key: 'deployment.environment', value: 'staging', action: 'upsert' },
  { key: 'user_agent', action: 'delete' },
];
const all = editor({ actions });
const tenth = editor({ include: { match_type: 'strict', span_names: ['GET /o/7'] }, actions });
if (editItemAttributes(payload, 'traces', all) === payload) throw new Error('the edit changed nothing');

interface ProtoSpan {
  attributes: { key: string; value: unknown }[];
}
type ProtoRequest = { resourceSpans: { scopeSpans: { spans: ProtoSpan[] }[] }[] };

/** The same edit on decoded objects, for the reference. */
function decodeEditEncode(bytes: Buffer): Uint8Array {
  const msg = ExportTraceServiceRequest.decode(bytes) as unknown as ProtoRequest;
  for (const rs of msg.resourceSpans)
    for (const ss of rs.scopeSpans)
      for (const span of ss.spans) {
        const a = span.attributes;
        const i = a.findIndex((kv) => kv.key === 'deployment.environment');
        const kv = { key: 'deployment.environment', value: { stringValue: 'staging' } };
        if (i < 0) a.push(kv);
        else a[i] = kv;
        const d = a.findIndex((x) => x.key === 'user_agent');
        if (d >= 0) a.splice(d, 1);
      }
  return ExportTraceServiceRequest.encode(msg).finish();
}

summary(() => {
  bench('plain forward path (validateRequest)', () => {
    do_not_optimize(validateRequest('traces', payload));
  });
  bench('attributes: validate + upsert + delete on every span', () => {
    validateRequest('traces', payload);
    do_not_optimize(editItemAttributes(payload, 'traces', all));
  });
  bench('attributes: validate + the same, include selects 1 span in 100', () => {
    validateRequest('traces', payload);
    do_not_optimize(editItemAttributes(payload, 'traces', tenth));
  });
  bench('validate + protobufjs decode + edit + encode (reference)', () => {
    validateRequest('traces', payload);
    do_not_optimize(decodeEditEncode(payload));
  }).gc('inner');
});

await run();
