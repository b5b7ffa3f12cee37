// A full garbage collection on demand, as Go's memory limiter runs runtime.GC() above its limits. Node
// exposes `gc` only with --expose-gc; the flag set at runtime makes V8 install `gc` in contexts created
// afterwards, so a fresh vm context hands us the function without a restart or a command-line flag.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let exposed: (() => void) | undefined;

/** A function that runs a full (atomic) collection of the whole heap; undefined if V8 refuses. */
export function forceGcFunction(): (() => void) | undefined {
  const global = (globalThis as { gc?: unknown }).gc;
  if (typeof global === 'function') return global as () => void;
  if (exposed !== undefined) return exposed;
  try {
    setFlagsFromString('--expose-gc');
    const fn: unknown = runInNewContext('gc');
    if (typeof fn === 'function') exposed = fn as () => void;
  } catch {
    // No gc then: the limiter measures without forcing one, as before.
  }
  return exposed;
}
