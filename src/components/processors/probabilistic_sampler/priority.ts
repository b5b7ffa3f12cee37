// The `sampling.priority` span attribute (OpenTracing's semantic convention) as Go's
// parseSpanSamplingPriority reads it: an int, double, or a string Go's strconv.ParseFloat accepts;
// 0 forces a drop, a positive value forces a keep, anything else defers to the sampler.
import { TAG } from '../../../pdata/fields.ts';
import { WireReader } from '../../../pdata/wire.ts';
import { PRIORITY_DEFER, PRIORITY_DO_NOT_SAMPLE, PRIORITY_MUST_SAMPLE, type Priority } from './span-decision.ts';

const KEY = Buffer.from('sampling.priority');
const KV_KEY = TAG.KeyValue.key;
const KV_VALUE = TAG.KeyValue.value;

/**
 * If the KeyValue body `buf[start, end)` is `sampling.priority`, its priority; otherwise undefined
 * (Go reads the first attribute with that key, so the caller stops at the first answer). `r` is a
 * reader the caller reuses: this runs for every attribute of every span.
 */
export function priorityOfAttribute(r: WireReader, buf: Buffer, start: number, end: number): Priority | undefined {
  r.buf = buf;
  r.pos = start;
  r.end = end;
  let isKey = false;
  let valueStart = -1;
  let valueEnd = -1;
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag === KV_KEY) {
      const keyEnd = r.lenEnd();
      isKey = keyEnd - r.pos === KEY.length && buf.compare(KEY, 0, KEY.length, r.pos, keyEnd) === 0;
      // Most attributes are some other key, and the key usually comes first: stop reading at once.
      if (!isKey) return undefined;
      r.pos = keyEnd;
    } else if (tag === KV_VALUE) {
      valueEnd = r.lenEnd();
      valueStart = r.pos;
      r.pos = valueEnd;
    } else r.skip(tag & 7);
  }
  if (!isKey) return undefined;
  return valueStart < 0 ? PRIORITY_DEFER : priorityOfValue(buf, valueStart, valueEnd);
}

/** The priority an AnyValue body gives (last oneof member wins, as protobuf decoding does). */
function priorityOfValue(buf: Buffer, start: number, end: number): Priority {
  const r = new WireReader(buf, start, end);
  let value = Number.NaN;
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag === TAG.AnyValue.intValue) value = Number(BigInt.asIntN(64, r.uint64()));
    else if (tag === TAG.AnyValue.doubleValue) value = r.double();
    else if (tag === TAG.AnyValue.stringValue) value = parseGoFloat(r.string());
    else {
      // Another type (bool, bytes, array, …): Go defers.
      value = Number.NaN;
      r.skip(tag & 7);
    }
  }
  if (value === 0) return PRIORITY_DO_NOT_SAMPLE;
  return value > 0 ? PRIORITY_MUST_SAMPLE : PRIORITY_DEFER;
}

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const HEX_FLOAT = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)$/;
const SPECIAL = /^([+-]?)(?:inf|infinity|nan)$/i;

/**
 * Go's strconv.ParseFloat(s, 64) as far as its sign and zero-ness go; NaN where Go returns an error
 * (bad syntax, or a finite literal beyond the float64 range), which makes the caller defer.
 */
export function parseGoFloat(s: string): number {
  const special = SPECIAL.exec(s);
  if (special) return /nan/i.test(s) ? Number.NaN : special[1] === '-' ? -Infinity : Infinity;
  const v = DECIMAL.test(s) ? Number(s) : parseHexFloat(s);
  return Number.isFinite(v) ? v : Number.NaN;
}

function parseHexFloat(s: string): number {
  const m = HEX_FLOAT.exec(s);
  if (!m) return Number.NaN;
  const int = m[2] ?? '';
  const frac = m[3] ?? '';
  if (int === '' && frac === '') return Number.NaN;
  const mantissa = parseInt(`${int}${frac}` || '0', 16) / 16 ** frac.length;
  const v = mantissa * 2 ** Number(m[4]);
  return m[1] === '-' ? -v : v;
}
