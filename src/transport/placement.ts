// Where (de)compression runs in this process: on libuv's thread pool when the process can use 2+ CPUs, so
// it runs in parallel with the event loop; on the event loop itself with one CPU (taskset, a cgroup quota of
// 1), where a hand-off to a pool thread on the same core costs CPU and keeps the data alive across V8's
// young-generation collections (bench/README.md, "gzip on the loop").
import type { InputType, ZlibOptions } from 'node:zlib';
import { usableCpus } from '../util/cpus.ts';

/** Where compression runs: `loop` (the event loop, synchronously) or `pool` (libuv's thread pool). */
export type Placement = 'loop' | 'pool';

/** The environment variable that overrides the choice: `loop` or `pool`. */
export const PLACEMENT_ENV = 'TELEGATE_COMPRESSION_ON';

/** `loop` when the process has one usable CPU, else `pool`; {@link PLACEMENT_ENV} overrides. */
export function placementFor(cpus: number, env: NodeJS.ProcessEnv = process.env): Placement {
  const forced = env[PLACEMENT_ENV];
  if (forced === 'loop' || forced === 'pool') return forced;
  return cpus >= 2 ? 'pool' : 'loop';
}

/** A value of {@link PLACEMENT_ENV} that is neither placement, for a startup warning; undefined when fine. */
export function invalidPlacementEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const v = env[PLACEMENT_ENV];
  return v === undefined || v === '' || v === 'loop' || v === 'pool' ? undefined : v;
}

let placement: Placement | undefined;

/** This process's placement, decided once. */
export function compressionPlacement(): Placement {
  placement ??= placementFor(usableCpus());
  return placement;
}

/** A node:zlib convenience function, asynchronous (libuv's pool) and synchronous (the calling thread). */
export interface ZlibCall {
  readonly pool: (buf: InputType, opts: ZlibOptions, cb: (err: Error | null, out: Buffer) => void) => void;
  readonly loop: (buf: InputType, opts: ZlibOptions) => Buffer;
}

/** Runs `call` on `input` where `where` says: synchronously on the loop, or on the pool. Rejects with zlib's error. */
export async function runZlib(call: ZlibCall, input: Buffer, opts: ZlibOptions, where: Placement): Promise<Buffer> {
  if (where === 'loop') return call.loop(input, opts);
  return onPool(call.pool, input, opts);
}

/** A node:zlib-style callback call (libuv's thread pool) as a promise; rejects with the codec's error. */
export function onPool<O>(
  fn: (buf: Buffer, opts: O, cb: (err: Error | null, out: Buffer) => void) => void,
  input: Buffer,
  opts: O,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    fn(input, opts, (err, out) => {
      if (err === null) resolve(out);
      else reject(err);
    });
  });
}
