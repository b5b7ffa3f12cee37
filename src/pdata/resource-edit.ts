// Hot path: see bench/micro/resource-edit.bench.ts.
// Rewrites only the Resource of each ResourceSpans / ResourceMetrics / ResourceLogs entry of an OTLP
// Export*ServiceRequest and copies every other byte untouched (DESIGN.md §2). Cost is per resource
// entry: the scopes and items inside an entry are skipped by their length prefix, never parsed.
import { decodeKeyValue, keyValuesFieldSize, writeKeyValuesField, type KeyValue } from './attributes.ts';
import { SIGNAL_TAGS, TAG } from './fields.ts';
import type { Payload } from '../contracts/payload.ts';
import { WireReader, tagLenFieldSize, writeTagLenHeader } from './wire.ts';
import { PartsPayload } from './payload-bytes.ts';

/**
 * Edits the attributes of one Resource in place (the list may be reordered, grown or shrunk) and
 * returns true when it changed anything. A Resource that is absent reads as an empty list.
 */
export type ResourceAttributesEdit = (attrs: KeyValue[]) => boolean;

// A request's resource entries and an entry's Resource have the same tags in every signal
// (fields.test.ts), so one walk serves all three without being told the signal.
const ENTRY = SIGNAL_TAGS.traces.requestEntry;
const RESOURCE = SIGNAL_TAGS.traces.entryResource;
const ATTRIBUTES = TAG.Resource.attributes;

/** One entry whose Resource changed, with everything needed to write it without decoding again. */
interface EntryEdit {
  /** Offset of the entry's tag in the request. */
  readonly start: number;
  readonly bodyStart: number;
  readonly bodyEnd: number;
  /** [tagStart, end) pairs of every Resource field of the entry (protobuf merges repeats). */
  readonly resourceRanges: readonly number[];
  /** [start, end) pairs of the Resource fields other than attributes, copied as they are. */
  readonly otherRanges: readonly number[];
  readonly attrs: readonly KeyValue[];
  readonly resourceBodySize: number;
  readonly entryBodySize: number;
}

/**
 * Applies `edit` to the Resource attributes of every entry of `bytes` (an Export*ServiceRequest of
 * any signal). Returns null when no edit changed anything, else the edited request as chunks laid
 * end to end: views of `bytes` for everything untouched and, per edited entry, one small new Buffer
 * with the entry's header and its rewritten Resource. Nothing the size of the request is allocated
 * or copied: under load a whole-request copy per edit doubled the external memory allocated per
 * request, and with it the rate of full GCs (bench/k8sattributes). Throws WireError on malformed input.
 */
export function editResourceChunks(bytes: Buffer, edit: ResourceAttributesEdit): Buffer[] | null {
  let edits: EntryEdit[] | null = null;
  const r = new WireReader(bytes);
  while (r.pos < r.end) {
    const start = r.pos;
    const tag = r.tag();
    if (tag !== ENTRY) {
      r.skip(tag & 7);
      continue;
    }
    const end = r.lenEnd();
    const e = editEntry(bytes, start, r.pos, end, edit);
    r.pos = end;
    if (e !== null) (edits ??= []).push(e);
  }
  return edits === null ? null : chunksOf(bytes, edits);
}

/** {@link editResourceChunks} as one contiguous Buffer; `bytes` itself when nothing changed. */
export function editResources(bytes: Buffer, edit: ResourceAttributesEdit): Buffer {
  const chunks = editResourceChunks(bytes, edit);
  return chunks === null ? bytes : Buffer.concat(chunks);
}

/**
 * The payload with `edit` applied to its Resources: the payload itself when nothing changed, else a
 * payload made of the edited request's chunks (see {@link editResourceChunks}).
 */
export function editPayloadResources(payload: Payload, edit: ResourceAttributesEdit): Payload {
  const chunks = editResourceChunks(payload.bytes, edit);
  if (chunks === null) return payload;
  let byteLength = 0;
  for (const c of chunks) byteLength += c.length;
  return new PartsPayload(payload.signal, chunks, byteLength, payload.items, payload.context);
}

function editEntry(
  buf: Buffer,
  start: number,
  bodyStart: number,
  bodyEnd: number,
  edit: ResourceAttributesEdit,
): EntryEdit | null {
  const resourceRanges: number[] = [];
  const otherRanges: number[] = [];
  const attrs: KeyValue[] = [];
  const r = new WireReader(buf, bodyStart, bodyEnd);
  while (r.pos < r.end) {
    const tagStart = r.pos;
    const tag = r.tag();
    if (tag !== RESOURCE) {
      r.skip(tag & 7);
      continue;
    }
    const end = r.lenEnd();
    readResource(buf, r.pos, end, attrs, otherRanges);
    resourceRanges.push(tagStart, end);
    r.pos = end;
  }
  if (!edit(attrs)) return null;
  let resourceBodySize = keyValuesFieldSize(attrs, ATTRIBUTES);
  for (let i = 0; i < otherRanges.length; i += 2)
    resourceBodySize += (otherRanges[i + 1] as number) - (otherRanges[i] as number);
  let entryBodySize = bodyEnd - bodyStart + tagLenFieldSize(RESOURCE, resourceBodySize);
  for (let i = 0; i < resourceRanges.length; i += 2)
    entryBodySize -= (resourceRanges[i + 1] as number) - (resourceRanges[i] as number);
  return { start, bodyStart, bodyEnd, resourceRanges, otherRanges, attrs, resourceBodySize, entryBodySize };
}

/** Splits a Resource body into its attributes (decoded) and its other fields (byte ranges). */
function readResource(buf: Buffer, start: number, end: number, attrs: KeyValue[], otherRanges: number[]): void {
  const r = new WireReader(buf, start, end);
  while (r.pos < r.end) {
    const fieldStart = r.pos;
    const tag = r.tag();
    if (tag === ATTRIBUTES) {
      const kvEnd = r.lenEnd();
      attrs.push(decodeKeyValue(buf, r.pos, kvEnd));
      r.pos = kvEnd;
    } else {
      r.skip(tag & 7);
      otherRanges.push(fieldStart, r.pos);
    }
  }
}

function chunksOf(src: Buffer, edits: readonly EntryEdit[]): Buffer[] {
  const out: Buffer[] = [];
  let cursor = 0;
  for (const e of edits) {
    if (e.start > cursor) out.push(src.subarray(cursor, e.start));
    // The merged Resource takes the place of the first Resource field (or leads the entry when it
    // had none); later Resource fields are dropped.
    const ranges = e.resourceRanges;
    const first = ranges.length === 0 ? e.bodyStart : (ranges[0] as number);
    const head = Buffer.allocUnsafe(
      tagLenFieldSize(ENTRY, e.entryBodySize) -
        e.entryBodySize +
        (first - e.bodyStart) +
        tagLenFieldSize(RESOURCE, e.resourceBodySize),
    );
    let pos = writeTagLenHeader(head, 0, ENTRY, e.entryBodySize);
    pos += src.copy(head, pos, e.bodyStart, first);
    writeResource(src, head, pos, e);
    out.push(head);
    let c = ranges.length === 0 ? e.bodyStart : (ranges[1] as number);
    for (let i = 2; i < ranges.length; i += 2) {
      if ((ranges[i] as number) > c) out.push(src.subarray(c, ranges[i]));
      c = ranges[i + 1] as number;
    }
    if (e.bodyEnd > c) out.push(src.subarray(c, e.bodyEnd));
    cursor = e.bodyEnd;
  }
  if (src.length > cursor) out.push(src.subarray(cursor));
  return out;
}

function writeResource(src: Buffer, out: Buffer, pos: number, e: EntryEdit): number {
  pos = writeTagLenHeader(out, pos, RESOURCE, e.resourceBodySize);
  pos = writeKeyValuesField(out, pos, e.attrs, ATTRIBUTES);
  const others = e.otherRanges;
  for (let i = 0; i < others.length; i += 2) pos += src.copy(out, pos, others[i], others[i + 1]);
  return pos;
}
