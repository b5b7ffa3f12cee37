// Hot path: see bench/micro/attributes-edit.bench.ts.
// A KeyValue read lazily from the wire: only its key is decoded up front; the value is decoded on
// first use. Attribute actions mostly look at keys (delete, insert, the key of an upsert), so most
// values are never decoded and are written back from their original bytes (`raw`).
import { EMPTY_VALUE, decodeAnyValue, type AnyValue, type KeyValue } from './attributes.ts';
import { TAG } from './fields.ts';
import { WireReader } from './wire.ts';

/** A KeyValue whose value is decoded on demand; equal to `decodeKeyValue` of the same bytes. */
export class LazyKeyValue implements KeyValue {
  readonly key: string;
  private readonly buf: Buffer;
  private readonly start: number;
  private readonly end: number;
  private readonly valueStart: number;
  private readonly valueEnd: number;
  private decoded: AnyValue | undefined = undefined;
  private rawView: Buffer | undefined = undefined;

  /** Reads the KeyValue body `buf[start, end)` (reuses `r` as its cursor). */
  constructor(r: WireReader, buf: Buffer, start: number, end: number) {
    this.buf = buf;
    this.start = start;
    this.end = end;
    r.buf = buf;
    r.pos = start;
    r.end = end;
    let key = '';
    let valueStart = -1;
    let valueEnd = -1;
    while (r.pos < end) {
      const tag = r.tag();
      if (tag === TAG.KeyValue.key) key = r.string();
      else if (tag === TAG.KeyValue.value) {
        // Protobuf merges a repeated message field; OTLP writers never repeat it, and the last one
        // wins for the oneof inside, which decodeAnyValue over the last range gives.
        valueEnd = r.lenEnd();
        valueStart = r.pos;
        r.pos = valueEnd;
      } else r.skip(tag & 7);
    }
    this.key = key;
    this.valueStart = valueStart;
    this.valueEnd = valueEnd;
  }

  get value(): AnyValue {
    this.decoded ??= this.valueStart < 0 ? EMPTY_VALUE : decodeAnyValue(this.buf, this.valueStart, this.valueEnd);
    return this.decoded;
  }

  get raw(): Buffer {
    this.rawView ??= this.buf.subarray(this.start, this.end);
    return this.rawView;
  }
}

/** Reads every `tag` field (a repeated KeyValue) of the message body `buf[start, end)`, lazily. */
export function readKeyValuesLazy(buf: Buffer, start: number, end: number, tag: number): KeyValue[] {
  const r = new WireReader(buf, start, end);
  const kvReader = new WireReader(buf);
  const out: KeyValue[] = [];
  while (r.pos < r.end) {
    const t = r.tag();
    if (t === tag) {
      const kvEnd = r.lenEnd();
      out.push(new LazyKeyValue(kvReader, buf, r.pos, kvEnd));
      r.pos = kvEnd;
    } else r.skip(t & 7);
  }
  return out;
}
