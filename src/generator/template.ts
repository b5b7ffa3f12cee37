// Hot path: see bench/gen (the generator's spans/s on one core).
// A request template: one encoded Export*ServiceRequest whose ids, timestamps and counters are patched
// in place for every request, so no span is encoded while running. Marks are flattened into typed
// arrays per kind once; patching is one to two 32-bit DataView writes per mark (DataView.setUint32
// measured ≈2.5 ns vs ≈13 ns for Buffer.writeUInt32LE on Node 20).
import { randomBytes } from 'node:crypto';
import type { Mark, MarkKind, ProtoWriter } from './proto-writer.ts';

const TWO_32 = 0x1_0000_0000;

/** Patch points of one kind: offsets in the request and their keys. */
export interface MarkSet {
  readonly offsets: Uint32Array;
  /** Trace/span key, item index (counters) or ns after the request's base time (times). */
  readonly keys: Float64Array;
}

/** A built request: its bytes, how many items (spans, points, records) and traces it holds, and its patch points. */
export interface Template {
  readonly bytes: Buffer;
  readonly items: number;
  /** Distinct trace keys (0 for metrics and logs). */
  readonly traces: number;
  /** Distinct span keys. */
  readonly spans: number;
  readonly trace: MarkSet;
  readonly span: MarkSet;
  readonly time: MarkSet;
  readonly counter: MarkSet;
}

function markSet(marks: readonly Mark[], kind: MarkKind): MarkSet {
  const chosen = marks.filter((m) => m.kind === kind);
  return { offsets: Uint32Array.from(chosen, (m) => m.offset), keys: Float64Array.from(chosen, (m) => m.key) };
}

/** Flattens a finished writer into a template (ids are written by the Patcher for each request). */
export function toTemplate(w: ProtoWriter, items: number): Template {
  const bytes = w.finish();
  const t: Template = {
    bytes,
    items,
    traces: 0,
    spans: 0,
    trace: markSet(w.marks, 'trace'),
    span: markSet(w.marks, 'span'),
    time: markSet(w.marks, 'time'),
    counter: markSet(w.marks, 'counter'),
  };
  return { ...t, traces: maxKey(t.trace) + 1, spans: maxKey(t.span) + 1 };
}

function maxKey(s: MarkSet): number {
  let max = -1;
  for (const k of s.keys) max = Math.max(max, k);
  return max;
}

/**
 * xorshift128 seeded from the OS: ids must be random in every byte, as the W3C Trace Context spec
 * asks and as samplers that read the low bytes of a trace id expect (a counter there would make every
 * ratio sampler under test keep or drop whole runs), but a crypto draw per id costs more than the
 * span's own patching. ~2 ns per 32 bits.
 */
class IdRandom {
  private readonly s = new Uint32Array(4);

  constructor() {
    const seed = randomBytes(16);
    for (let i = 0; i < 4; i++) this.s[i] = seed.readUInt32LE(i * 4) | 1;
  }

  /** Fills `out` with random 32-bit words. */
  fill(out: Uint32Array): void {
    const s = this.s;
    for (let i = 0; i < out.length; i++) {
      let t = s[3] as number;
      const x = s[0] as number;
      s[3] = s[2] as number;
      s[2] = s[1] as number;
      s[1] = x;
      t ^= t << 11;
      t ^= t >>> 8;
      s[0] = t ^ x ^ (x >>> 19);
      out[i] = s[0];
    }
  }
}

/** The random words of one request's ids: 4 per trace key, 2 per span key. */
export interface IdWords {
  readonly trace: Uint32Array;
  readonly span: Uint32Array;
}

/** The run's random ids and counter state, shared by every worker (one thread: no races). */
export class Patcher {
  private readonly random = new IdRandom();
  private traceWords = new Uint32Array(64);
  private spanWords = new Uint32Array(64);
  private counter = 0;

  /** Patches `view` (over a copy of `t.bytes`) with fresh ids, times from `baseNs` (epoch ns), and counters. */
  patch(view: DataView, t: Template, baseNs: bigint): void {
    if (this.traceWords.length < t.traces * 4) this.traceWords = new Uint32Array(t.traces * 4);
    if (this.spanWords.length < t.spans * 2) this.spanWords = new Uint32Array(t.spans * 2);
    this.random.fill(this.traceWords);
    this.random.fill(this.spanWords);
    this.patchWith(view, t, baseNs, { trace: this.traceWords, span: this.spanWords });
  }

  /** Fresh ids for `traces` trace keys and `spans` span keys, kept by the caller across the parts of a trace. */
  newIds(traces: number, spans: number): IdWords {
    const ids = { trace: new Uint32Array(traces * 4), span: new Uint32Array(spans * 2) };
    this.random.fill(ids.trace);
    this.random.fill(ids.span);
    return ids;
  }

  /** Patches `view` with the given ids (a part of a trace split over requests), times and counters. */
  patchWith(view: DataView, t: Template, baseNs: bigint, ids: IdWords): void {
    const baseHi = Number(baseNs / 4294967296n);
    const baseLo = Number(baseNs % 4294967296n);
    patchIds(view, t.trace, ids.trace, 4);
    patchIds(view, t.span, ids.span, 2);
    patchTimes(view, t.time, baseHi, baseLo);
    patchCounters(view, t.counter, this.counter);
    this.counter += t.items;
  }
}

/** Writes id `keys[i]` (`words` 32-bit words of `random`) at each mark; never all zero (an invalid id). */
function patchIds(view: DataView, s: MarkSet, random: Uint32Array, words: number): void {
  const { offsets, keys } = s;
  for (let i = 0; i < offsets.length; i++) {
    const off = offsets[i] as number;
    const base = (keys[i] as number) * words;
    const last = words - 1;
    for (let w = 0; w < last; w++) view.setUint32(off + w * 4, random[base + w] as number);
    // The last word is odd, so the id is never all zero bytes (invalid); this costs one bit.
    view.setUint32(off + last * 4, (random[base + last] as number) | 1);
  }
}

function patchTimes(view: DataView, s: MarkSet, baseHi: number, baseLo: number): void {
  const { offsets, keys } = s;
  for (let i = 0; i < offsets.length; i++) {
    const off = offsets[i] as number;
    const lo = baseLo + (keys[i] as number);
    const carry = Math.floor(lo / TWO_32);
    view.setUint32(off, lo - carry * TWO_32, true);
    view.setUint32(off + 4, baseHi + carry, true);
  }
}

function patchCounters(view: DataView, s: MarkSet, base: number): void {
  const { offsets, keys } = s;
  for (let i = 0; i < offsets.length; i++) {
    const n = base + (keys[i] as number);
    view.setUint32(offsets[i] as number, n % TWO_32, true);
    view.setUint32((offsets[i] as number) + 4, n / TWO_32, true);
  }
}

/** Now as epoch nanoseconds, from a monotonic clock anchored to the wall clock once. */
export function nowNs(): bigint {
  return ANCHOR_NS + (process.hrtime.bigint() - ANCHOR_HR);
}
const ANCHOR_HR = process.hrtime.bigint();
const ANCHOR_NS = BigInt(Date.now()) * 1_000_000n;
