// Hot path: see bench/store/suite.ts.
// A reference-counted intern table: one entry and a small reusable integer id per distinct key. The
// resources, scopes, services and operations of the store are each one; an entry goes with its last reference.

/** What a table holds: an entry knows its id, its key and how many references it has. */
export interface InternEntry {
  readonly id: number;
  readonly key: string;
  refs: number;
}

/** Entries by key and by id, with a free list of ids. */
export class InternTable<T extends InternEntry> {
  private readonly byKey = new Map<string, T>();
  private readonly byId: (T | undefined)[] = [];
  private readonly freeIds: number[] = [];

  /** The entry of `key`, if interned. */
  find(key: string): T | undefined {
    return this.byKey.get(key);
  }

  /** The id the next inserted entry must carry. */
  nextId(): number {
    return this.freeIds.at(-1) ?? this.byId.length;
  }

  /** Adds an entry whose id is `nextId()` and whose key is not interned yet; it starts unreferenced. */
  insert(entry: T): T {
    if (entry.id === this.freeIds.at(-1)) this.freeIds.pop();
    this.byId[entry.id] = entry;
    this.byKey.set(entry.key, entry);
    return entry;
  }

  /** The live entry of `id`. Ids come from span records and traces, which hold a reference: never stale. */
  at(id: number): T {
    return this.byId[id] as T;
  }

  /** The entry of `id`, or undefined when it was dropped (for readers that may hold an old id). */
  get(id: number): T | undefined {
    return this.byId[id];
  }

  /** Counts one more reference to `entry`. */
  retain(entry: T): void {
    entry.refs++;
  }

  /** Counts one reference less; drops the entry when none is left. True when it was dropped. */
  release(entry: T): boolean {
    if (--entry.refs > 0) return false;
    this.drop(entry);
    return true;
  }

  /** Removes `entry` now (an entry that never got a reference). */
  drop(entry: T): void {
    this.byKey.delete(entry.key);
    this.byId[entry.id] = undefined;
    this.freeIds.push(entry.id);
  }

  /** Live entries in insertion order of their keys. */
  values(): IterableIterator<T> {
    return this.byKey.values();
  }

  /** Keys of the live entries. */
  keys(): IterableIterator<string> {
    return this.byKey.keys();
  }

  /** How many entries are live. */
  get size(): number {
    return this.byKey.size;
  }
}
