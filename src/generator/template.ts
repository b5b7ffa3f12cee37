// Hot path: see bench/gen (the generator's spans/s on one core).
// A request template: one encoded Export*ServiceRequest whose ids, timestamps and counters are patched
// in place for every request, so no span is encoded while running. Marks are flattened into typed
// arrays once; patching is a few 32-bit writes per span.
import type { Mark, ProtoWriter } from './proto-writer.ts';

const KIND_CODE = { trace: 0, span: 1, time: 2, counter: 3 } as const;
const TWO_32 = 0x1_0000_0000;

/** A built request: its bytes, how many items (spans, points, records) and traces it holds, and its patch points. */
export interface Template {
  readonly bytes: Buffer;
  readonly items: number;
  /** Distinct trace keys used by trace marks (0 for metrics and logs). */
  readonly traces: number;
  /** Distinct span keys used by span marks. */
  readonly spans: number;
  readonly kinds: Uint8Array;
  readonly offsets: Uint32Array;
  /** Trace/span key, or the ns after the request's base time for time marks. */
  readonly keys: Float64Array;
}

/** Flattens a finished writer into a template. */
export function toTemplate(w: ProtoWriter, items: number): Template {
  const marks: readonly Mark[] = w.marks;
  const kinds = new Uint8Array(marks.length);
  const offsets = new Uint32Array(marks.length);
  const keys = new Float64Array(marks.length);
  let traces = 0;
  let spans = 0;
  marks.forEach((m, i) => {
    kinds[i] = KIND_CODE[m.kind];
    offsets[i] = m.offset;
    keys[i] = m.key;
    if (m.kind === 'trace') traces = Math.max(traces, m.key + 1);
    if (m.kind === 'span') spans = Math.max(spans, m.key + 1);
  });
  return { bytes: w.finish(), items, traces, spans, kinds, offsets, keys };
}

/**
 * Per-worker id and counter state. Trace ids are a random 8-byte worker prefix + a counter, span ids
 * a random 4-byte prefix + a counter: unique within a run without a random draw per span.
 */
export class Patcher {
  private traceCounter = 1;
  private spanCounter = 1;
  private counter = 0;
  private readonly traceSaltHi: number;
  private readonly traceSaltLo: number;
  private readonly spanSalt: number;

  constructor(random: () => number = Math.random) {
    this.traceSaltHi = Math.floor(random() * TWO_32) >>> 0;
    this.traceSaltLo = Math.floor(random() * TWO_32) >>> 0;
    this.spanSalt = (Math.floor(random() * TWO_32) | 1) >>> 0;
  }

  /** Patches `buf` (a copy of `t.bytes`) with fresh ids, times from `baseNs` (epoch ns), and counters. */
  patch(buf: Buffer, t: Template, baseNs: bigint): void {
    const baseHi = Number(baseNs / 4294967296n);
    const baseLo = Number(baseNs % 4294967296n);
    const traceBase = this.traceCounter;
    const spanBase = this.spanCounter;
    const { kinds, offsets, keys } = t;
    for (let i = 0; i < kinds.length; i++) {
      const off = offsets[i] as number;
      const key = keys[i] as number;
      const kind = kinds[i];
      if (kind === 1) {
        buf.writeUInt32BE(this.spanSalt, off);
        buf.writeUInt32BE((spanBase + key) % TWO_32, off + 4);
      } else if (kind === 2) {
        const lo = baseLo + key;
        const carry = Math.floor(lo / TWO_32);
        buf.writeUInt32LE(lo - carry * TWO_32, off);
        buf.writeUInt32LE(baseHi + carry, off + 4);
      } else if (kind === 0) {
        const n = traceBase + key;
        buf.writeUInt32BE(this.traceSaltHi, off);
        buf.writeUInt32BE(this.traceSaltLo, off + 4);
        buf.writeUInt32BE(Math.floor(n / TWO_32), off + 8);
        buf.writeUInt32BE(n % TWO_32, off + 12);
      } else {
        const n = this.counter + key;
        buf.writeUInt32LE(n % TWO_32, off);
        buf.writeUInt32LE(Math.floor(n / TWO_32), off + 4);
      }
    }
    this.traceCounter += t.traces;
    this.spanCounter += t.spans;
    this.counter += t.items;
  }
}

/** Now as epoch nanoseconds, from a monotonic clock anchored to the wall clock once. */
export function nowNs(): bigint {
  return ANCHOR_NS + (process.hrtime.bigint() - ANCHOR_HR);
}
const ANCHOR_HR = process.hrtime.bigint();
const ANCHOR_NS = BigInt(Date.now()) * 1_000_000n;
