// google.rpc.Status with an optional google.rpc.RetryInfo detail, as carried (binary protobuf) in the
// gRPC `grpc-status-details-bin` trailer and in OTLP/HTTP error bodies. The OTLP spec tells servers to
// put RetryInfo there when the client should back off (https://opentelemetry.io/docs/specs/otlp/#failures).

import {
  WIRE_LEN,
  WIRE_VARINT,
  WireReader,
  lenFieldSize,
  varintSize,
  writeLenHeader,
  writeVarint,
} from '../pdata/wire.ts';

/** The `Any.type_url` of a RetryInfo detail. */
export const RETRY_INFO_TYPE_URL = 'type.googleapis.com/google.rpc.RetryInfo';

/** A decoded google.rpc.Status (only the parts telegate uses). */
export interface StatusDetails {
  readonly code: number;
  readonly message: string;
  /** From the first RetryInfo detail, in milliseconds; absent when there is none. */
  readonly retryAfterMs?: number;
}

/**
 * Encodes google.rpc.Status{code, message, details: [Any(RetryInfo{retry_delay})]}; the RetryInfo
 * detail is added only when `retryAfterMs` is given (≥ 0).
 */
export function encodeStatusDetails(code: number, message: string, retryAfterMs?: number): Buffer {
  const msgBytes = Buffer.from(message, 'utf8');
  const any = retryAfterMs !== undefined && retryAfterMs >= 0 ? encodeRetryInfoAny(retryAfterMs) : undefined;
  const codeSize = code !== 0 ? 1 + varintSize(code >>> 0) : 0;
  const size =
    codeSize + (msgBytes.length > 0 ? lenFieldSize(2, msgBytes.length) : 0) + (any ? lenFieldSize(3, any.length) : 0);
  const out = Buffer.allocUnsafe(size);
  let pos = 0;
  if (code !== 0) {
    out[pos++] = (1 << 3) | WIRE_VARINT;
    pos = writeVarint(out, pos, code >>> 0);
  }
  if (msgBytes.length > 0) {
    pos = writeLenHeader(out, pos, 2, msgBytes.length);
    pos += msgBytes.copy(out, pos);
  }
  if (any) {
    pos = writeLenHeader(out, pos, 3, any.length);
    any.copy(out, pos);
  }
  return out;
}

/** Any{type_url: RetryInfo, value: RetryInfo{retry_delay: Duration{seconds, nanos}}}. */
function encodeRetryInfoAny(retryAfterMs: number): Buffer {
  const ms = Math.floor(retryAfterMs);
  const seconds = Math.floor(ms / 1000);
  const nanos = (ms % 1000) * 1_000_000;
  const durSize = (seconds > 0 ? 1 + varintSize(seconds) : 0) + (nanos > 0 ? 1 + varintSize(nanos) : 0);
  const retryInfoSize = lenFieldSize(1, durSize);
  const urlLen = Buffer.byteLength(RETRY_INFO_TYPE_URL);
  const out = Buffer.allocUnsafe(lenFieldSize(1, urlLen) + lenFieldSize(2, retryInfoSize));
  let pos = writeLenHeader(out, 0, 1, urlLen);
  pos += out.write(RETRY_INFO_TYPE_URL, pos, 'utf8');
  pos = writeLenHeader(out, pos, 2, retryInfoSize);
  pos = writeLenHeader(out, pos, 1, durSize);
  if (seconds > 0) {
    out[pos++] = (1 << 3) | WIRE_VARINT;
    pos = writeVarint(out, pos, seconds);
  }
  if (nanos > 0) {
    out[pos++] = (2 << 3) | WIRE_VARINT;
    writeVarint(out, pos, nanos);
  }
  return out;
}

/** Decodes a google.rpc.Status; throws WireError on malformed bytes. */
export function decodeStatusDetails(bin: Buffer): StatusDetails {
  const r = new WireReader(bin);
  let code = 0;
  let message = '';
  let retryAfterMs: number | undefined;
  while (r.hasMore()) {
    const tag = r.tag();
    if (tag === ((1 << 3) | WIRE_VARINT)) code = r.uint32() | 0;
    else if (tag === ((2 << 3) | WIRE_LEN)) message = r.string();
    else if (tag === ((3 << 3) | WIRE_LEN)) {
      const ms = readRetryInfoAny(r.bytes());
      if (retryAfterMs === undefined && ms !== undefined) retryAfterMs = ms;
    } else r.skip(tag & 7);
  }
  return retryAfterMs === undefined ? { code, message } : { code, message, retryAfterMs };
}

/**
 * The RetryInfo delay (ms) in a `grpc-status-details-bin` value, or undefined when there is none or the
 * bytes are malformed (a bad trailer must never turn a retryable failure into a crash).
 */
export function decodeRetryAfterMs(detailsBin: Buffer): number | undefined {
  try {
    return decodeStatusDetails(detailsBin).retryAfterMs;
  } catch {
    return undefined;
  }
}

function readRetryInfoAny(any: Buffer): number | undefined {
  const r = new WireReader(any);
  let url = '';
  let value: Buffer | undefined;
  while (r.hasMore()) {
    const tag = r.tag();
    if (tag === ((1 << 3) | WIRE_LEN)) url = r.string();
    else if (tag === ((2 << 3) | WIRE_LEN)) value = r.bytes();
    else r.skip(tag & 7);
  }
  if (url !== RETRY_INFO_TYPE_URL && !url.endsWith('/google.rpc.RetryInfo')) return undefined;
  if (value === undefined) return 0;
  const ri = new WireReader(value);
  let ms = 0;
  while (ri.hasMore()) {
    const tag = ri.tag();
    if (tag === ((1 << 3) | WIRE_LEN)) ms = readDurationMs(ri.bytes());
    else ri.skip(tag & 7);
  }
  return ms;
}

function readDurationMs(dur: Buffer): number {
  const r = new WireReader(dur);
  let seconds = 0;
  let nanos = 0;
  while (r.hasMore()) {
    const tag = r.tag();
    if (tag === ((1 << 3) | WIRE_VARINT)) seconds = r.uint64Number();
    else if (tag === ((2 << 3) | WIRE_VARINT)) nanos = r.uint32() | 0;
    else r.skip(tag & 7);
  }
  // Negative durations (two's complement varints) are not meaningful delays: treat as no wait.
  if (seconds >= 2 ** 53 || nanos < 0) return 0;
  return seconds * 1000 + Math.floor(nanos / 1_000_000);
}

/**
 * The same Status as protojson (OTLP/HTTP JSON error bodies):
 * `{"code":14,"message":"…","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"2.500s"}]}`.
 */
export function statusDetailsJson(code: number, message: string, retryAfterMs?: number): string {
  const status: Record<string, unknown> = {};
  if (code !== 0) status['code'] = code;
  if (message !== '') status['message'] = message;
  if (retryAfterMs !== undefined && retryAfterMs >= 0) {
    status['details'] = [{ '@type': RETRY_INFO_TYPE_URL, retryDelay: protoJsonDuration(retryAfterMs) }];
  }
  return JSON.stringify(status);
}

/** protojson's Duration text: whole seconds, or 3 fractional digits for milliseconds. */
function protoJsonDuration(ms: number): string {
  const whole = Math.floor(ms);
  const seconds = Math.floor(whole / 1000);
  const frac = whole % 1000;
  return frac === 0 ? `${seconds}s` : `${seconds}.${String(frac).padStart(3, '0')}s`;
}
