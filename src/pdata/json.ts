// OTLP/JSON ⇄ protobuf (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding), driven by
// schema.ts. Output: lowerCamelCase keys, trace/span ids as hex, enums as integers, 64-bit integers as
// decimal strings, other bytes as base64. Input also takes what the Go collector's pdata unmarshaler
// takes: snake_case keys, enum names, numbers for 64-bit integers, numeric strings for numbers; unknown
// keys and nulls are ignored.
import type { Signal } from '../contracts/signal.ts';
import { ENUMS, message, REQUEST, type FieldSpec, type MessageSpec } from './schema.ts';
import { decodeRequest, type PMessage, type PValue } from './decode.ts';
import { encodeMessage } from './encode.ts';
import { BigNumber, JsonError, parseJson, type JsonValue } from './json-parse.ts';
import { MAX_NESTING } from './validate.ts';

export { JsonError } from './json-parse.ts';
export { encodeExportResponse, exportResponseJson } from './response.ts';

/** Converts an OTLP/JSON Export*ServiceRequest to protobuf bytes; throws JsonError naming the JSON path. */
export function jsonToProtobuf(signal: Signal, text: string | Buffer): Buffer {
  const value = parseJson(typeof text === 'string' ? text : text.toString('utf8'));
  return encodeMessage(REQUEST[signal], fromJsonMessage(message(REQUEST[signal]), value, '$', 0));
}

/** Converts protobuf Export*ServiceRequest bytes to OTLP/JSON text; throws WireError on malformed bytes. */
export function protobufToJson(signal: Signal, bytes: Buffer): string {
  return JSON.stringify(toJsonMessage(message(REQUEST[signal]), decodeRequest(signal, bytes)));
}

// ---- protobuf objects → JSON ----

/** The OTLP/JSON form of a decoded message (see decode.ts), fields in declaration order. */
function toJsonMessage(spec: MessageSpec, obj: PMessage): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of spec.fields) {
    const v = obj[f.json];
    if (v === undefined) continue;
    out[f.json] = Array.isArray(v) ? v.map((el: PValue) => toJsonValue(f, el)) : toJsonValue(f, v);
  }
  return out;
}

function toJsonValue(f: FieldSpec, v: PValue): unknown {
  if (f.kind === 'message') return toJsonMessage(message(f.ref), v as PMessage);
  if (Buffer.isBuffer(v)) return f.idLength !== 0 ? v.toString('hex') : v.toString('base64');
  if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  return v;
}

// ---- JSON → protobuf objects ----

function fromJsonMessage(spec: MessageSpec, value: JsonValue, path: string, depth: number): PMessage {
  if (depth > MAX_NESTING) throw new JsonError(`${path}: nested deeper than ${MAX_NESTING} messages`);
  if (value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value) || value instanceof BigNumber) {
    throw new JsonError(`${path}: expected an object for ${spec.name}`);
  }
  const out: PMessage = {};
  for (const [key, v] of Object.entries(value)) {
    const f = spec.byJsonKey.get(key);
    if (f === undefined || v === null) continue;
    const at = `${path}.${key}`;
    if (!f.repeated) {
      if (f.oneof !== '') for (const s of spec.fields) if (s.oneof === f.oneof) Reflect.deleteProperty(out, s.json);
      out[f.json] = fromJsonValue(f, v, at, depth);
    } else if (!Array.isArray(v)) throw new JsonError(`${at}: expected an array`);
    else out[f.json] = v.map((el, i) => fromJsonValue(f, el, `${at}[${i}]`, depth));
  }
  return out;
}

function fromJsonValue(f: FieldSpec, v: JsonValue, path: string, depth: number): PValue {
  switch (f.kind) {
    case 'message':
      return fromJsonMessage(message(f.ref), v, path, depth + 1);
    case 'string':
      return v === null ? '' : typeof v === 'string' ? v : bad(path, 'a string', v);
    case 'bool':
      return v === null ? false : typeof v === 'boolean' ? v : bad(path, 'true or false', v);
    case 'bytes':
      return f.idLength !== 0 ? hexId(f.idLength, v, path) : base64(v, path);
    case 'double':
    case 'float':
      return float(v, path);
    case 'enum':
      return typeof v === 'string' && !/^-?\d+$/.test(v) ? enumValue(f, v, path) : Number(integer(v, path, I32));
    case 'int32':
    case 'sint32':
    case 'sfixed32':
      return Number(integer(v, path, I32));
    case 'uint32':
    case 'fixed32':
      return Number(integer(v, path, U32));
    case 'uint64':
    case 'fixed64':
      return integer(v, path, U64).toString();
    default:
      return integer(v, path, I64).toString();
  }
}

function bad(path: string, expected: string, v: JsonValue): never {
  const got = v instanceof BigNumber ? v.text : JSON.stringify(v);
  throw new JsonError(`${path}: expected ${expected}, got ${got.length > 40 ? `${got.slice(0, 40)}…` : got}`);
}

const I32 = [-(2n ** 31n), 2n ** 31n] as const;
const U32 = [0n, 2n ** 32n] as const;
const I64 = [-(2n ** 63n), 2n ** 63n] as const;
const U64 = [0n, 2n ** 64n] as const;

/** A number, a BigNumber or a decimal string, integral and within `[min, max)`. */
function integer(v: JsonValue, path: string, [min, max]: readonly [bigint, bigint]): bigint {
  let n: bigint | undefined;
  if (typeof v === 'number' && Number.isInteger(v)) n = BigInt(v);
  else if (v instanceof BigNumber) n = BigInt(v.text);
  else if (typeof v === 'string' && /^-?\d+$/.test(v)) n = BigInt(v);
  if (n === undefined || n < min || n >= max) return bad(path, `an integer in [${min}, ${max})`, v);
  return n;
}

function float(v: JsonValue, path: string): number {
  if (typeof v === 'number') return v;
  if (v instanceof BigNumber) return Number(v.text);
  if (typeof v === 'string') {
    const special = SPECIAL_FLOATS[v.toLowerCase()];
    if (special !== undefined) return special;
    if (/^\s*$/.test(v) || Number.isNaN(Number(v))) bad(path, 'a number', v);
    return Number(v);
  }
  return bad(path, 'a number', v);
}

const SPECIAL_FLOATS: Record<string, number> = {
  nan: NaN,
  infinity: Infinity,
  '+infinity': Infinity,
  '-infinity': -Infinity,
  inf: Infinity,
  '+inf': Infinity,
  '-inf': -Infinity,
};

function enumValue(f: FieldSpec, v: string, path: string): number {
  const n = ENUMS[f.ref]?.[v];
  if (n === undefined) throw new JsonError(`${path}: unknown ${f.ref} value ${JSON.stringify(v)}`);
  return n;
}

function hexId(size: number, v: JsonValue, path: string): Buffer {
  if (typeof v !== 'string') return bad(path, `a hex id of ${size} bytes`, v);
  if (v === '') return Buffer.alloc(0);
  if (v.length !== size * 2 || !/^[0-9a-fA-F]*$/.test(v)) bad(path, `a hex id of ${size} bytes`, v);
  return Buffer.from(v, 'hex');
}

/** Standard or URL-safe base64, padding optional (the protobuf JSON mapping accepts both). */
function base64(v: JsonValue, path: string): Buffer {
  if (typeof v !== 'string') return bad(path, 'base64 text', v);
  const body = v.replace(/={1,2}$/, '');
  if (!/^[A-Za-z0-9+/_-]*$/.test(body) || body.length % 4 === 1) bad(path, 'base64 text', v);
  return Buffer.from(body, 'base64');
}
