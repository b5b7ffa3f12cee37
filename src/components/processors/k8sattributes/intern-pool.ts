// One shared copy of what many indexed pods repeat: namespace and node names, owner references,
// container lists, tag KeyValues. 10,000 pods of a few ReplicaSets then hold a few dozen of these, not
// 10,000 each (bench/k8sattributes: heap bytes per pod). Bounded: past `max` entries, values are kept
// as given (correct, just not shared).

/** A bounded pool of shared values by key. */
export class InternPool {
  private readonly values = new Map<string, unknown>();
  private readonly max: number;

  constructor(max: number) {
    this.max = max;
  }

  /** The pool's copy of `s`. */
  string(s: string): string {
    return this.shared(s, s);
  }

  /** The pool's value for `key`, or `value` (then pooled). The caller keys equal values equally. */
  shared<T>(key: string, value: T): T {
    const had = this.values.get(key);
    if (had !== undefined) return had as T;
    if (this.values.size < this.max) this.values.set(key, value);
    return value;
  }
}
