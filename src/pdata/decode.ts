// Generic protobuf → plain-object decoder driven by schema.ts, for the few places that need objects
// (debug exporter's detailed output, OTLP/JSON). Not the hot path: pipelines carry bytes. The object
// model is described in README.md and is the same one encode.ts writes back.
import type { Signal } from '../contracts/signal.ts';
import { fieldOf, wireTypeOf } from './fields.ts';
import { MAX_NESTING } from './validate.ts';
import { message, REQUEST, type FieldSpec, type MessageSpec } from './schema.ts';
import { WireReader, WireError, WIRE_LEN } from './wire.ts';

/** A decoded message: JSON (lowerCamelCase) field names → values; absent fields are absent. */
export type PMessage = { [field: string]: PValue };
/** int64-family values are decimal strings, bytes are Buffers, enums and 32-bit ints are numbers. */
export type PValue = string | number | boolean | Buffer | PMessage | readonly PValue[];

/** Decodes an Export*ServiceRequest of `signal`. Throws WireError on malformed bytes. */
export function decodeRequest(signal: Signal, bytes: Buffer): PMessage {
  return decodeMessage(REQUEST[signal], bytes);
}

/** Decodes a message of the schema named `name` (e.g. 'ExportTraceServiceResponse', 'Span'). */
export function decodeMessage(name: string, bytes: Buffer): PMessage {
  const r = new WireReader(bytes);
  return decodeInto({}, message(name), r, bytes.length, 0);
}

function decodeInto(obj: PMessage, spec: MessageSpec, r: WireReader, end: number, depth: number): PMessage {
  if (depth > MAX_NESTING) throw new WireError(`messages nested deeper than ${MAX_NESTING} at offset ${r.pos}`);
  const outer = r.end;
  r.end = end;
  while (r.pos < end) {
    const start = r.pos;
    const tag = r.tag();
    const wt = wireTypeOf(tag);
    const f = spec.byNumber[fieldOf(tag)];
    if (f === undefined) r.skip(wt);
    else if (wt === f.wireType) readOne(obj, spec, f, r, depth);
    else if (wt === WIRE_LEN && f.repeated) readPacked(obj, f, r);
    else throw new WireError(`invalid ${spec.name}.${f.name} at offset ${start}: wrong wire type ${wt}`);
  }
  r.end = outer;
  return obj;
}

function readOne(obj: PMessage, spec: MessageSpec, f: FieldSpec, r: WireReader, depth: number): void {
  if (f.kind === 'message') {
    const end = r.lenEnd();
    const child = message(f.ref);
    if (f.repeated) push(obj, f, decodeInto({}, child, r, end, depth + 1));
    else {
      // A singular message seen twice is merged, as protobuf specifies; a oneof member replaces its siblings.
      const prev = obj[f.json];
      const target = prev !== undefined && typeof prev === 'object' && !Array.isArray(prev) && !Buffer.isBuffer(prev);
      set(obj, spec, f, decodeInto(target ? (prev as PMessage) : {}, child, r, end, depth + 1));
    }
    r.pos = end;
    return;
  }
  const v = readScalar(f, r);
  if (f.repeated) push(obj, f, v);
  else set(obj, spec, f, v);
}

function readPacked(obj: PMessage, f: FieldSpec, r: WireReader): void {
  const end = r.lenEnd();
  const outer = r.end;
  r.end = end;
  const list = (obj[f.json] ?? []) as PValue[];
  while (r.pos < end) list.push(readScalar(f, r));
  obj[f.json] = list;
  r.end = outer;
}

function push(obj: PMessage, f: FieldSpec, v: PValue): void {
  const list = obj[f.json] as PValue[] | undefined;
  if (list === undefined) obj[f.json] = [v];
  else list.push(v);
}

function set(obj: PMessage, spec: MessageSpec, f: FieldSpec, v: PValue): void {
  if (f.oneof !== '') {
    for (const sibling of spec.fields) {
      if (sibling.oneof === f.oneof && sibling !== f) Reflect.deleteProperty(obj, sibling.json);
    }
  }
  obj[f.json] = v;
}

function readScalar(f: FieldSpec, r: WireReader): PValue {
  switch (f.kind) {
    case 'string':
      return r.string();
    case 'bytes':
      return r.bytes();
    case 'bool':
      return r.uint64Number() !== 0;
    case 'double':
      return r.double();
    case 'float':
      F32_BITS[0] = r.fixed32();
      return F32[0] as number;
    case 'fixed32':
      return r.fixed32();
    case 'sfixed32':
      return r.fixed32() | 0;
    case 'fixed64':
      return r.fixed64().toString();
    case 'sfixed64':
      return BigInt.asIntN(64, r.fixed64()).toString();
    case 'uint64':
      return r.uint64().toString();
    case 'int64':
      return BigInt.asIntN(64, r.uint64()).toString();
    case 'sint64':
      return zigzag64(r.uint64()).toString();
    case 'sint32': {
      const n = r.uint32();
      return (n >>> 1) ^ -(n & 1);
    }
    case 'uint32':
      return r.uint32();
    default:
      // int32 and enum: the low 32 bits of the varint, signed.
      return r.uint32() | 0;
  }
}

const F32 = new Float32Array(1);
const F32_BITS = new Uint32Array(F32.buffer);

function zigzag64(n: bigint): bigint {
  return (n >> 1n) ^ -(n & 1n);
}
