// The mutation corpus of the receiver fuzz test: protobuf bytes broken the ways a buggy or hostile
// client breaks them (truncation, bit flips, a field tag given another wire type, a length varint set
// huge, duplicated fields, splices) and messages nested past any sane depth. Works on raw bytes with its
// own small field scanner, so a mutation can hit any field at any depth.

/** One field found in a message: where its tag starts, where its value starts and ends. */
export interface FieldAt {
  readonly tagStart: number;
  /** Where the value starts (for LEN fields, the length varint). */
  readonly valueStart: number;
  readonly end: number;
  readonly wireType: number;
}

function readVarint(buf: Buffer, pos: number, end: number): [value: number, next: number] | undefined {
  let value = 0;
  let mul = 1;
  for (let i = 0; i < 10 && pos < end; i++) {
    const b = buf[pos++] as number;
    value += (b & 0x7f) * mul;
    mul *= 128;
    if (b < 0x80) return [value, pos];
  }
  return undefined;
}

/** Every field of `buf[start, end)` and, for LEN fields that parse as messages, of their contents. */
export function scanFields(buf: Buffer, start = 0, end = buf.length, out: FieldAt[] = [], depth = 0): boolean {
  let pos = start;
  const mark = out.length;
  while (pos < end) {
    const tag = readVarint(buf, pos, end);
    if (tag === undefined || tag[0] < 8) break;
    const wireType = tag[0] & 7;
    let next = tag[1];
    if (wireType === 0) next = readVarint(buf, next, end)?.[1] ?? end + 1;
    else if (wireType === 1) next += 8;
    else if (wireType === 5) next += 4;
    else if (wireType === 2) {
      const len = readVarint(buf, next, end);
      next = len === undefined ? end + 1 : len[1] + len[0];
    } else next = end + 1;
    if (next > end) break;
    out.push({ tagStart: pos, valueStart: tag[1], end: next, wireType });
    if (wireType === 2 && depth < 32) {
      const len = readVarint(buf, tag[1], end) as [number, number];
      scanFields(buf, len[1], next, out, depth + 1);
    }
    pos = next;
  }
  if (pos === end) return true;
  out.length = mark;
  return false;
}

/** Encodes `n` (a non-negative safe integer or a bigint up to 2^64 − 1) as a varint. */
export function varint(n: number | bigint): Buffer {
  let v = BigInt(n);
  const bytes: number[] = [];
  do {
    const low = Number(v & 0x7fn);
    v >>= 7n;
    bytes.push(v > 0n ? low | 0x80 : low);
  } while (v > 0n);
  return Buffer.from(bytes);
}

/** Length varints a decoder must refuse without allocating: over any limit, 64-bit, overlong, unterminated. */
export const HUGE_LENGTHS: readonly Buffer[] = [
  varint(2 ** 31),
  varint(2 ** 32 - 1),
  varint(2 ** 53),
  varint(2n ** 64n - 1n),
  Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]),
  Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80]),
];

/** A LEN field: tag (field, wire type 2), length, bytes. */
export function lenField(field: number, body: Buffer): Buffer {
  return Buffer.concat([varint(field * 8 + 2), varint(body.length), body]);
}

/** The mutations of the corpus; each takes its base and the random numbers fast-check drew. */
export type Mutation =
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'flip'; readonly bits: readonly number[] }
  | { readonly kind: 'wire-type'; readonly field: number; readonly wireType: number }
  | { readonly kind: 'huge-length'; readonly field: number; readonly length: number }
  | { readonly kind: 'duplicate'; readonly field: number; readonly times: number }
  | { readonly kind: 'splice'; readonly at: number; readonly other: number; readonly from: number }
  | { readonly kind: 'insert'; readonly at: number; readonly bytes: Uint8Array }
  | { readonly kind: 'delete'; readonly at: number; readonly count: number };

/** Applies `m` to `base` (`others` are the splice partners). Numbers are taken modulo what they index. */
export function mutate(base: Buffer, m: Mutation, others: readonly Buffer[]): Buffer {
  const at = (n: number, len = base.length): number => (len === 0 ? 0 : n % len);
  switch (m.kind) {
    case 'truncate':
      return base.subarray(0, at(m.at));
    case 'flip': {
      const out = Buffer.from(base);
      for (const bit of m.bits)
        if (out.length > 0) out[at(bit >>> 3)] = (out[at(bit >>> 3)] as number) ^ (1 << (bit & 7));
      return out;
    }
    case 'insert':
      return Buffer.concat([base.subarray(0, at(m.at)), m.bytes, base.subarray(at(m.at))]);
    case 'delete':
      return Buffer.concat([base.subarray(0, at(m.at)), base.subarray(at(m.at) + m.count)]);
    case 'splice': {
      const other = others[at(m.other, others.length)] ?? base;
      return Buffer.concat([base.subarray(0, at(m.at)), other.subarray(at(m.from, other.length))]);
    }
    default:
      return mutateField(base, m);
  }
}

const scans = new WeakMap<Buffer, FieldAt[]>();

function fieldsOf(base: Buffer): FieldAt[] {
  let fields = scans.get(base);
  if (fields === undefined) {
    fields = [];
    scanFields(base, 0, base.length, fields);
    scans.set(base, fields);
  }
  return fields;
}

function mutateField(base: Buffer, m: Extract<Mutation, { field: number }>): Buffer {
  const fields = fieldsOf(base);
  const lens = fields.filter((f) => f.wireType === 2);
  const pool = m.kind === 'huge-length' ? lens : fields;
  const f = pool[m.field % Math.max(1, pool.length)];
  if (f === undefined) return base;
  if (m.kind === 'wire-type') {
    // The tag's low 3 bits live in its first byte.
    const out = Buffer.from(base);
    out[f.tagStart] = ((out[f.tagStart] as number) & ~7) | (m.wireType & 7);
    return out;
  }
  if (m.kind === 'huge-length') {
    const len = readVarint(base, f.valueStart, base.length) as [number, number];
    const huge = HUGE_LENGTHS[m.length % HUGE_LENGTHS.length] as Buffer;
    return Buffer.concat([base.subarray(0, f.valueStart), huge, base.subarray(len[1])]);
  }
  const copy = base.subarray(f.tagStart, f.end);
  return Buffer.concat([base.subarray(0, f.end), ...Array<Buffer>(m.times).fill(copy), base.subarray(f.end)]);
}

/** AnyValue nested `depth` times through array_value / kvlist_value around a string. */
export function deepAnyValue(depth: number, viaKvlist: boolean): Buffer {
  let inner = lenField(1, Buffer.from('x'));
  for (let i = 0; i < depth; i++) {
    inner = viaKvlist
      ? lenField(6, lenField(1, Buffer.concat([lenField(1, Buffer.from('k')), lenField(2, inner)])))
      : lenField(5, lenField(1, inner));
  }
  return inner;
}

/**
 * A request of `signal`'s shape (field 1 = Resource* entries, whose field 1 is the Resource) whose resource
 * has one attribute with a value nested `depth` deep; for traces a span carries one as well.
 */
export function deepRequest(signal: 'traces' | 'metrics' | 'logs', depth: number, viaKvlist: boolean): Buffer {
  const kv = Buffer.concat([lenField(1, Buffer.from('deep')), lenField(2, deepAnyValue(depth, viaKvlist))]);
  const resource = lenField(1, lenField(1, kv));
  const span = Buffer.concat([lenField(1, Buffer.alloc(16, 1)), lenField(2, Buffer.alloc(8, 2)), lenField(9, kv)]);
  const scoped = signal === 'traces' ? lenField(2, lenField(2, span)) : Buffer.alloc(0);
  return lenField(1, Buffer.concat([resource, scoped]));
}

/** A request holding `n` empty items (2 bytes each): the count and edit paths walk every one. */
export function manyItemsRequest(signal: 'traces' | 'metrics' | 'logs', n: number): Buffer {
  // Items are field 2 of ScopeSpans (spans), ScopeMetrics (metrics) and ScopeLogs (log_records).
  const item = Buffer.from([0x12, 0x00]);
  return lenField(1, lenField(2, Buffer.concat(Array<Buffer>(n).fill(item))));
}
