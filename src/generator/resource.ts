// The Resource and InstrumentationScope every generated request carries: service.name from --service,
// overridden or extended by --otlp-attributes, as telemetrygen's GetAttributes does.
import { writeAttributes, type AttrValue } from './attributes.ts';
import type { GenOptions } from './options.ts';
import { TAG } from '../pdata/fields.ts';
import { ProtoWriter } from './proto-writer.ts';

/** The Resource message for `o`, with `service` as service.name unless --otlp-attributes sets it. */
export function resourceMessage(o: GenOptions, service = o.service): ProtoWriter {
  const attrs = new Map<string, AttrValue>([['service.name', service]]);
  for (const [k, v] of o.resourceAttributes) attrs.set(k, v);
  return writeAttributes(new ProtoWriter(), TAG.Resource.attributes, attrs);
}

/** The InstrumentationScope telemetrygen's SDK reports. */
export function scopeMessage(name = 'telemetrygen'): ProtoWriter {
  return new ProtoWriter().string(TAG.InstrumentationScope.name, name);
}
