// Hot path: see bench/micro/attributes-edit.bench.ts.
// A KeyValue read lazily from the wire: only its key is decoded up front; the value is decoded on
// first use. Attribute actions mostly look at keys (delete, insert, the key of an upsert), so most
// values are never decoded, and an untouched attribute is written back from its source bytes
// (`fieldStart`..`end`, tag and length included) without a Buffer view per attribute.
import { decodeAnyValue, type AnyValue, type KeyValue } from './attributes.ts';
import { TAG } from './fields.ts';
import type { KeyInterner } from './key-intern.ts';
import { WireReader } from './wire.ts';

/**
 * A KeyValue whose value is decoded on demand; equal to `decodeKeyValue` of the same bytes. Kept to
 * five fields (measured: the object is the main allocation of an attribute edit).
 */
export class LazyKeyValue implements KeyValue {
  readonly key: string;
  /** The source, and the whole repeated-field entry in it (tag and length included). */
  readonly src: Buffer;
  readonly fieldStart: number;
  readonly end: number;
  private decoded: AnyValue | undefined = undefined;

  constructor(src: Buffer, fieldStart: number, end: number, key: string) {
    this.src = src;
    this.fieldStart = fieldStart;
    this.end = end;
    this.key = key;
  }

  get value(): AnyValue {
    this.decoded ??= this.decodeValue();
    return this.decoded;
  }

  /** The KeyValue body, as `decodeKeyValue` keeps it. */
  get raw(): Buffer {
    const r = new WireReader(this.src, this.fieldStart, this.end);
    r.tag();
    return this.src.subarray(this.end - r.uint32(), this.end);
  }

  private decodeValue(): AnyValue {
    const body = this.raw;
    const r = new WireReader(body);
    let value: AnyValue = EMPTY_VALUE;
    while (r.pos < r.end) {
      const tag = r.tag();
      if (tag !== TAG.KeyValue.value) {
        r.skip(tag & 7);
        continue;
      }
      // Protobuf merges a repeated message field; writers never repeat it, and for the oneof inside
      // the last one wins, which decoding the last range gives.
      const end = r.lenEnd();
      value = decodeAnyValue(body, r.pos, end);
      r.pos = end;
    }
    return value;
  }
}

/** An AnyValue with no value set, as decodeAnyValue reads an absent one. */
const EMPTY_VALUE: AnyValue = Object.freeze({ type: 'empty' });

/** Reusable state of a reader: a cursor and the key table. */
export interface LazyReadState {
  readonly r: WireReader;
  readonly keys: KeyInterner;
}

/**
 * Reads every `tag` field (a repeated KeyValue) of the message body `buf[start, end)` into `out`, and
 * the [start, end) ranges those fields cover into `ranges` (adjacent fields merged).
 */
export function readKeyValuesLazy(
  st: LazyReadState,
  buf: Buffer,
  start: number,
  end: number,
  tag: number,
  out: KeyValue[],
  ranges: number[],
): void {
  const r = st.r;
  r.buf = buf;
  r.pos = start;
  r.end = end;
  while (r.pos < end) {
    const fieldStart = r.pos;
    const t = r.tag();
    if (t !== tag) {
      r.skip(t & 7);
      continue;
    }
    const kvEnd = r.lenEnd();
    const kvStart = r.pos;
    out.push(readOne(st, buf, fieldStart, kvStart, kvEnd));
    // Adjacent fields make one range (the usual case: a single run of attributes).
    if (ranges.length > 0 && ranges[ranges.length - 1] === fieldStart) ranges[ranges.length - 1] = kvEnd;
    else ranges.push(fieldStart, kvEnd);
    r.pos = kvEnd;
    r.end = end;
  }
}

/** One KeyValue body: the common layout (key, then value, short lengths) is read without the cursor. */
function readOne(st: LazyReadState, buf: Buffer, fieldStart: number, start: number, end: number): LazyKeyValue {
  const keyLen = end - start >= 4 ? (buf[start + 1] as number) : 0x80;
  const keyEnd = start + 2 + keyLen;
  if (keyLen < 0x80 && buf[start] === TAG.KeyValue.key && keyEnd + 2 <= end && buf[keyEnd] === TAG.KeyValue.value) {
    const valueLen = buf[keyEnd + 1] as number;
    if (valueLen < 0x80 && keyEnd + 2 + valueLen === end) {
      return new LazyKeyValue(buf, fieldStart, end, st.keys.keyAt(buf, start + 2, keyEnd));
    }
  }
  return readGeneral(st, buf, fieldStart, start, end);
}

function readGeneral(st: LazyReadState, buf: Buffer, fieldStart: number, start: number, end: number): LazyKeyValue {
  const r = st.r;
  r.pos = start;
  r.end = end;
  let key = '';
  while (r.pos < end) {
    const tag = r.tag();
    if (tag !== TAG.KeyValue.key) {
      r.skip(tag & 7);
      continue;
    }
    const keyEnd = r.lenEnd();
    key = st.keys.keyAt(buf, r.pos, keyEnd);
    r.pos = keyEnd;
  }
  return new LazyKeyValue(buf, fieldStart, end, key);
}
