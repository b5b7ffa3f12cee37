// A tiny protobuf writer for building request templates once, at start-up: fields are appended in
// order, nested messages are written child-first, and "marks" remember where ids and timestamps sit
// so the worker can patch them in place on every request (template.ts) without re-encoding. Fields are
// named by their pdata/fields.ts tag (`TAG.Span.name`); a tag of the wrong wire type for the method is
// a programming error, thrown while the template is built.
import { wireTypeOf } from '../pdata/fields.ts';
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

  varint(tag: number, n: number): this {
    expectWireType(tag, WIRE_VARINT);
    const b = Buffer.allocUnsafe(varintSize(tag) + varintSize(n));
    writeVarint(b, writeVarint(b, 0, tag), n);
    return this.push(b);
  }

  string(tag: number, s: string): this {
    return this.bytes(tag, Buffer.from(s, 'utf8'));
  }

  bytes(tag: number, value: Buffer): this {
    expectWireType(tag, WIRE_LEN);
    this.push(header(tag, value.length));
    return this.push(value);
  }

  double(tag: number, v: number): this {
    expectWireType(tag, WIRE_I64);
    const b = Buffer.allocUnsafe(8);
    b.writeDoubleLE(v, 0);
    return this.push(header(tag)).push(b);
  }

  /** A fixed64 holding an integer below 2^53 (counts), written once. */
  fixed64(tag: number, n: number): this {
    expectWireType(tag, WIRE_I64);
    const b = Buffer.alloc(8);
    b.writeUInt32LE(n % 0x1_0000_0000, 0);
    b.writeUInt32LE(Math.floor(n / 0x1_0000_0000), 4);
    return this.push(header(tag)).push(b);
  }

  /** A tag followed by raw bytes already encoded for its wire type (a ten-byte negative int64 varint). */
  bytesRaw(tag: number, raw: Buffer): this {
    return this.push(header(tag)).push(raw);
  }

  /** A bytes field of `width` zero bytes whose value the patcher fills (ids), or an 8-byte time/counter. */
  mark(tag: number, kind: MarkKind, key: number): this {
    const isId = kind === 'trace' || kind === 'span';
    expectWireType(tag, isId ? WIRE_LEN : WIRE_I64);
    const width = kind === 'trace' ? 16 : 8;
    this.push(isId ? header(tag, width) : header(tag));
    this.marks.push({ kind, offset: this.length, key });
    return this.push(Buffer.alloc(width));
  }

  /** Appends `child` as a length-delimited message field, moving its marks along. */
  message(tag: number, child: ProtoWriter): this {
    expectWireType(tag, WIRE_LEN);
    this.push(header(tag, child.length));
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

/** A tag, then a length prefix when `len` is given. */
function header(tag: number, len?: number): Buffer {
  const b = Buffer.allocUnsafe(varintSize(tag) + (len === undefined ? 0 : varintSize(len)));
  const pos = writeVarint(b, 0, tag);
  if (len !== undefined) writeVarint(b, pos, len);
  return b;
}

function expectWireType(tag: number, wireType: number): void {
  if (wireTypeOf(tag) !== wireType) throw new Error(`proto-writer: tag ${tag} is not of wire type ${wireType}`);
}
