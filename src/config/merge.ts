// Merging config trees as Go's confmap does: maps merge deeply, lists and scalars are replaced by
// the later source (a later --config file, then --set flags).
import type { ConfigNode, MapEntry, MapNode } from './node.ts';
import { emptyMap } from './node.ts';

/** `over` merged over `base`; neither input is modified. */
export function mergeNodes(base: ConfigNode, over: ConfigNode): ConfigNode {
  if (base.kind !== 'map' || over.kind !== 'map') return over;
  const out: MapNode = { kind: 'map', entries: new Map(base.entries), source: base.source };
  for (const [key, entry] of over.entries) {
    const existing = out.entries.get(key);
    out.entries.set(
      key,
      existing === undefined ? entry : { keySource: entry.keySource, value: mergeNodes(existing.value, entry.value) },
    );
  }
  return out;
}

/**
 * Sets `entry` at `keys` below `map`, creating intermediate maps (`a::b::c` → a.b.c) and merging
 * when the key already holds a map, so `a::b: 1` and `a: {c: 2}` in one file both apply.
 */
export function insertEntry(map: MapNode, keys: readonly string[], entry: MapEntry): void {
  const [first, ...rest] = keys;
  if (first === undefined) return;
  const existing = map.entries.get(first);
  if (rest.length === 0) {
    map.entries.set(
      first,
      existing === undefined ? entry : { keySource: entry.keySource, value: mergeNodes(existing.value, entry.value) },
    );
    return;
  }
  let child = existing?.value;
  if (child?.kind !== 'map') {
    child = emptyMap(entry.keySource);
    map.entries.set(first, { keySource: entry.keySource, value: child });
  } else if (existing !== undefined) {
    // Copy before writing: the map may be shared with another tree after a merge.
    child = { kind: 'map', entries: new Map(child.entries), source: child.source };
    map.entries.set(first, { keySource: existing.keySource, value: child });
  }
  insertEntry(child, rest, entry);
}
