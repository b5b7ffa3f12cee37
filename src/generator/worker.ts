// Hot path: see bench/gen. One worker (telemetrygen's goroutine): sends its requests, each a patched copy
// of a template, keeping up to --inflight exports in flight, paced by its own Pacer, until it is told to
// stop or has sent its count.
import type { Exporter } from './exporter.ts';
import { Pacer } from './pacer.ts';
import type { Stats } from './stats.ts';
import { nowNs, type IdWords, type Patcher, type Template } from './template.ts';

/** What a worker sends: templates of `units` units (traces, or single items), rotated by variant. */
export interface RequestPlan {
  /** Units per full request. */
  readonly unitsPerRequest: number;
  /** Items (spans, points, records) per unit. */
  readonly itemsPerUnit: number;
  /** Templates of `units` units; the worker rotates through the list. */
  templates(units: number): readonly Template[];
  /** When one unit (a trace) is too large for a request: its parts, each a request, sharing ids and times. */
  readonly parts?: readonly Template[] | undefined;
}

/** Shared run state the workers read. */
export interface RunControl {
  stopped: boolean;
  /** Ids and counters, shared so they stay unique across workers. */
  readonly patcher: Patcher;
  readonly stats: Stats;
  readonly onFailure: (reason: string) => void;
}

/** One worker's settings. */
export interface WorkerSettings {
  readonly plan: RequestPlan;
  readonly exporter: Exporter;
  /** Items per second for this worker; 0 = unthrottled. */
  readonly rate: number;
  /** Units to send; Infinity = until stopped. */
  readonly units: number;
  readonly inflight: number;
}

/** Runs one worker to its end; resolves when its last export has answered. */
export async function runWorker(s: WorkerSettings, control: RunControl): Promise<void> {
  const pacer = new Pacer(s.rate);
  const slots = new Slots(s.inflight);
  const parts = s.plan.parts;
  // One request: paced, in a free slot, patched, sent; false once stopped.
  const send = async (t: Template, ids?: IdWords, baseNs?: bigint): Promise<boolean> => {
    await waitFor(pacer.delayMs(t.items), control);
    if (isStopped(control)) return false;
    const slot = await slots.acquire(t.bytes.length);
    if (isStopped(control)) {
      slots.release(slot);
      return false;
    }
    pacer.take(t.items);
    const buf = slot.buf.subarray(0, t.bytes.length);
    t.bytes.copy(buf);
    if (ids === undefined) control.patcher.patch(slot.view, t, baseNs ?? nowNs());
    else control.patcher.patchWith(slot.view, t, baseNs ?? nowNs(), ids);
    void s.exporter.send(buf).then((r) => {
      control.stats.record(t.items, r.ok, r.reason);
      if (!r.ok) control.onFailure(r.reason);
      slots.release(slot);
    });
    return true;
  };
  let remaining = s.units;
  let turn = 0;
  while (!control.stopped && remaining > 0) {
    if (parts !== undefined) {
      // One trace over several requests: the same ids and base time in every part.
      const last = parts[parts.length - 1] as Template;
      const ids = control.patcher.newIds(1, last.spans);
      const base = nowNs();
      for (const part of parts) if (!(await send(part, ids, base))) break;
      remaining -= 1;
      continue;
    }
    const units = Math.min(remaining, s.plan.unitsPerRequest);
    const variants = s.plan.templates(units);
    const t = variants[turn++ % variants.length] as Template;
    if (!(await send(t))) break;
    remaining -= units;
  }
  await slots.drain();
}

// Read through a call: the flag changes while the worker awaits, which narrowing cannot see.
function isStopped(control: RunControl): boolean {
  return control.stopped;
}

// Sleeps in steps of at most 100 ms so a stop is noticed promptly.
async function waitFor(ms: number, control: RunControl): Promise<void> {
  let left = ms;
  while (left >= 1 && !control.stopped) {
    const step = Math.min(left, 100);
    await new Promise((resolve) => setTimeout(resolve, step));
    left -= step;
  }
}

/** A request buffer and a DataView over it for patching. */
interface Slot {
  readonly buf: Buffer;
  readonly view: DataView;
}

/** Reusable request buffers, one per in-flight export: a buffer is patched only while no export holds it. */
class Slots {
  private readonly free: Slot[] = [];
  private busy = 0;
  private waiters: (() => void)[] = [];
  private readonly max: number;

  constructor(max: number) {
    this.max = max;
  }

  async acquire(size: number): Promise<Slot> {
    while (this.busy >= this.max) await new Promise<void>((resolve) => this.waiters.push(resolve));
    this.busy++;
    const b = this.free.pop();
    if (b !== undefined && b.buf.length >= size) return b;
    const buf = Buffer.allocUnsafeSlow(size);
    return { buf, view: new DataView(buf.buffer, buf.byteOffset, buf.length) };
  }

  release(b: Slot): void {
    this.busy--;
    this.free.push(b);
    const w = this.waiters.shift();
    if (w !== undefined) w();
  }

  async drain(): Promise<void> {
    while (this.busy > 0) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }
}
