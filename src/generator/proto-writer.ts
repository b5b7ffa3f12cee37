// A tiny protobuf writer for building request templates once, at start-up: fields are appended in
// order, nested messages are written child-first, and "marks" remember where ids and timestamps sit
// so the worker can patch them in place on every request (template.ts) without re-encoding.
import { varintSize, writeVarint, WIRE_I64, WIRE_LEN, WIRE_VARINT } from '../pdata/wire.ts';

/** What a patch point holds: a trace id (16 bytes), a span id (8 bytes), a fixed64 time, or an sfixed64 counter. */
export type MarkKind = 'trace' | 'span' | 'time' | 'counter';

/** One patch point: `offset` in the message; `key` says which trace/span (ids) or the ns offset (time). */
export interface Mark {
  readonly kind: MarkKind;
  offset: number;
  readonly key: number;
}

/** Accumulates one message's bytes and marks. */
export class ProtoWriter {
  private readonly parts: Buffer[] = [];
  private length = 0;
  readonly marks: Mark[] = [];

  get size(): number {
    return this.length;
  }

  varint(field: number, n: number): this {
    const b = Buffer.allocUnsafe(varintSize(field << 3) + varintSize(n));
    writeVarint(b, writeVarint(b, 0, (field << 3) | WIRE_VARINT), n);
    return this.push(b);
  }

  string(field: number, s: string): this {
    return this.bytes(field, Buffer.from(s, 'utf8'));
  }

  bytes(field: number, value: Buffer): this {
    this.push(header(field, WIRE_LEN, value.length));
    return this.push(value);
  }

  double(field: number, v: number): this {
    const b = Buffer.allocUnsafe(8);
    b.writeDoubleLE(v, 0);
    return this.push(header(field, WIRE_I64)).push(b);
  }

  /** A fixed64 holding an integer below 2^53 (counts), written once. */
  fixed64(field: number, n: number): this {
    const b = Buffer.alloc(8);
    b.writeUInt32LE(n % 0x1_0000_0000, 0);
    b.writeUInt32LE(Math.floor(n / 0x1_0000_0000), 4);
    return this.push(header(field, WIRE_I64)).push(b);
  }

  /** A raw tag (already shifted) followed by raw bytes (a pre-encoded varint). */
  bytesRaw(tag: number, raw: Buffer): this {
    const b = Buffer.allocUnsafe(varintSize(tag));
    writeVarint(b, 0, tag);
    return this.push(b).push(raw);
  }

  /** A bytes field of `width` zero bytes whose value the patcher fills (ids), or an 8-byte time/counter. */
  mark(field: number, kind: MarkKind, key: number): this {
    const width = kind === 'trace' ? 16 : 8;
    this.push(kind === 'trace' || kind === 'span' ? header(field, WIRE_LEN, width) : header(field, WIRE_I64));
    this.marks.push({ kind, offset: this.length, key });
    return this.push(Buffer.alloc(width));
  }

  /** Appends `child` as a length-delimited message field, moving its marks along. */
  message(field: number, child: ProtoWriter): this {
    this.push(header(field, WIRE_LEN, child.length));
    for (const m of child.marks) this.marks.push({ kind: m.kind, offset: m.offset + this.length, key: m.key });
    for (const p of child.parts) this.push(p);
    return this;
  }

  /** Appends the fields of `other` (already encoded as this message's fields), moving its marks along. */
  append(other: ProtoWriter): this {
    for (const m of other.marks) this.marks.push({ kind: m.kind, offset: m.offset + this.length, key: m.key });
    for (const p of other.parts) this.push(p);
    return this;
  }

  /** The message's bytes in one buffer. */
  finish(): Buffer {
    return Buffer.concat(this.parts, this.length);
  }

  private push(b: Buffer): this {
    this.parts.push(b);
    this.length += b.length;
    return this;
  }
}

function header(field: number, wireType: number, len?: number): Buffer {
  const tag = (field << 3) | wireType;
  const b = Buffer.allocUnsafe(varintSize(tag) + (len === undefined ? 0 : varintSize(len)));
  const pos = writeVarint(b, 0, tag);
  if (len !== undefined) writeVarint(b, pos, len);
  return b;
}
