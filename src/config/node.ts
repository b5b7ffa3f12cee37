// The config tree as telegate keeps it between loading and validation: YAML-like nodes that each
// remember where they came from (file:line:column or a --set flag), so every issue can point there.

/** Where a value came from. `line`/`column` are 1-based; 0 when the origin has no lines (a --set flag). */
export interface Source {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** A scalar YAML value. */
export type ScalarValue = string | number | boolean | null;

/** One key of a map node, with the position of the key itself. */
export interface MapEntry {
  readonly keySource: Source | undefined;
  readonly value: ConfigNode;
}

/** A map node; keys keep insertion order. */
export interface MapNode {
  readonly kind: 'map';
  readonly entries: Map<string, MapEntry>;
  readonly source: Source | undefined;
}

/** A list node. */
export interface ListNode {
  readonly kind: 'list';
  readonly items: readonly ConfigNode[];
  readonly source: Source | undefined;
}

/**
 * A scalar node. `original` is set when the value came from a whole-value `${env:X}` expansion: the
 * variable's text, used when the schema wants a string (Go's `ExpandedValue`: `${env:PORT}` = 0123
 * is the number 123 for an int field but the string "0123" for a string field).
 */
export interface ScalarNode {
  readonly kind: 'scalar';
  readonly value: ScalarValue;
  readonly source: Source | undefined;
  readonly original?: string;
}

/** Any config node. */
export type ConfigNode = MapNode | ListNode | ScalarNode;

/** A scalar node. */
export function scalar(value: ScalarValue, source: Source | undefined, original?: string): ScalarNode {
  return original === undefined ? { kind: 'scalar', value, source } : { kind: 'scalar', value, source, original };
}

/** An empty map node. */
export function emptyMap(source: Source | undefined): MapNode {
  return { kind: 'map', entries: new Map(), source };
}

/** True for a null scalar (a key written with no value, `~` or `null`). */
export function isNull(node: ConfigNode | undefined): boolean {
  return node === undefined || (node.kind === 'scalar' && node.value === null);
}

/** How a value is named in messages: `a map`, `a list`, `the string "x"`, `the number 3`. */
export function describeNode(node: ConfigNode, hideValue = false): string {
  if (node.kind === 'map') return 'a map';
  if (node.kind === 'list') return 'a list';
  const v = node.value;
  if (v === null) return 'an empty value';
  if (hideValue) return `a ${typeof v}`;
  if (typeof v === 'string') return `the string ${JSON.stringify(truncate(v))}`;
  return `the ${typeof v} ${String(v)}`;
}

function truncate(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** The plain JavaScript value of a node (maps become null-prototype-free plain objects). */
export function toPlain(node: ConfigNode): unknown {
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'list') return node.items.map(toPlain);
  return Object.fromEntries([...node.entries].map(([k, e]) => [k, toPlain(e.value)]));
}

/** The node at a relative path (`protocols.grpc.endpoint`, `readers[0].pull`), or undefined. */
export function nodeAt(node: ConfigNode | undefined, path: string): ConfigNode | undefined {
  let current = node;
  for (const step of path === '' ? [] : path.split(/\.|(?=\[)/)) {
    const index = /^\[(\d+)\]$/.exec(step);
    if (index !== null) current = current?.kind === 'list' ? current.items[Number(index[1])] : undefined;
    else current = current?.kind === 'map' ? current.entries.get(step)?.value : undefined;
  }
  return current;
}

/** Joins a YAML path and a key with a dot (`receivers` + `otlp` → `receivers.otlp`). */
export function joinPath(base: string, key: string): string {
  if (key === '') return base;
  return base === '' ? key : `${base}.${key}`;
}

/** A node for a plain value (a schema default), every part attributed to `source`. */
export function fromPlain(value: unknown, source: Source | undefined): ConfigNode {
  if (Array.isArray(value)) return { kind: 'list', items: value.map((v) => fromPlain(v, source)), source };
  if (value !== null && typeof value === 'object') {
    const entries = new Map(
      Object.entries(value).map(([k, v]) => [k, { keySource: source, value: fromPlain(v, source) }]),
    );
    return { kind: 'map', entries, source };
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return scalar(value, source);
  return scalar(null, source);
}
