// Parses YAML text into a ConfigNode tree that remembers file:line:column for every key and value.
// Keys holding `::` are split into nested maps, as Go's confmap does for every config source.
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { ConfigNode, MapNode, Source } from './node.ts';
import { emptyMap, scalar } from './node.ts';
import type { IssueList } from './issues.ts';
import { insertEntry } from './merge.ts';

interface Ctx {
  readonly file: string;
  readonly lines: LineCounter;
  readonly doc: Document;
  readonly issues: IssueList;
  /** Used as the source of every node when set (a --set flag's YAML has no lines of its own). */
  readonly fixed: Source | undefined;
  /** Nodes built so far: aliases can multiply a small file into a huge tree ("billion laughs"). */
  count: number;
}

/**
 * Parses one YAML document. Syntax errors become issues (code TG_CONFIG_READ) and yield undefined.
 * `fixed`, when given, is used as the source of every node (for --set values that have no lines).
 */
export function parseYamlNode(text: string, file: string, issues: IssueList, fixed?: Source): ConfigNode | undefined {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, merge: true, prettyErrors: false, uniqueKeys: true });
  // Only the first syntax error is reported: the parser's later ones are mostly its consequences.
  if (doc.errors.length > 0) {
    for (const e of doc.errors.slice(0, 1)) {
      const pos = lines.linePos(e.pos[0]);
      issues.error({
        path: '',
        source: fixed ?? { file, line: pos.line, column: pos.col },
        message: `not valid YAML: ${firstLine(e.message)}`,
        hint: 'Check indentation, colons and quotes at this line; YAML needs spaces (not tabs) for indentation.',
        code: 'TG_CONFIG_READ',
      });
    }
    return undefined;
  }
  const ctx: Ctx = { file, lines, doc, issues, fixed, count: 0 };
  const root = doc.contents;
  if (root === null) return scalar(null, fixed ?? { file, line: 1, column: 1 });
  return convert(root, ctx, undefined, 0);
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

function sourceOf(node: Node | null, ctx: Ctx): Source | undefined {
  if (ctx.fixed !== undefined) return ctx.fixed;
  if (node?.range == null) return undefined;
  const pos = ctx.lines.linePos(node.range[0]);
  return { file: ctx.file, line: pos.line, column: pos.col };
}

// Bounds on the tree built from one document: a YAML "billion laughs" must not hang the loader.
const MAX_DEPTH = 100;
const MAX_NODES = 1_000_000;

function convert(node: unknown, ctx: Ctx, keySource: Source | undefined, depth: number): ConfigNode {
  ctx.count++;
  if (depth > MAX_DEPTH || ctx.count === MAX_NODES) {
    ctx.issues.error({
      path: '',
      source: keySource,
      message: 'the YAML is too large after expanding its aliases (or nests more than 100 levels)',
      code: 'TG_CONFIG_READ',
    });
  }
  if (depth > MAX_DEPTH || ctx.count >= MAX_NODES) return scalar(null, keySource);
  if (isAlias(node)) return convert(node.resolve(ctx.doc), ctx, keySource, depth + 1);
  if (isMap(node)) return convertMap(node.items, ctx, keySource ?? sourceOf(node, ctx), depth);
  if (isSeq(node)) {
    const items = node.items.map((item) => convert(item, ctx, undefined, depth + 1));
    return { kind: 'list', items, source: keySource ?? sourceOf(node, ctx) };
  }
  if (isScalar(node)) {
    // An empty value (`grpc:`) has a zero-length range after the colon: point at its key instead.
    const empty = node.range != null && node.range[0] === node.range[1];
    return convertScalar(node.value, (empty ? keySource : undefined) ?? sourceOf(node, ctx) ?? keySource);
  }
  return scalar(null, keySource);
}

function convertScalar(value: unknown, source: Source | undefined): ConfigNode {
  if (value === null || value === undefined) return scalar(null, source);
  if (typeof value === 'string' || typeof value === 'boolean') return scalar(value, source);
  if (typeof value === 'number') return scalar(value, source);
  if (typeof value === 'bigint') return scalar(Number(value), source);
  // Other YAML tags (!!binary, timestamps) have no meaning in a collector config.
  return scalar(null, source);
}

interface PairLike {
  readonly key: unknown;
  readonly value: unknown;
}

function convertMap(pairs: readonly PairLike[], ctx: Ctx, source: Source | undefined, depth: number): MapNode {
  const out = emptyMap(source);
  const merged: ConfigNode[] = [];
  for (const pair of pairs) {
    const keyNode = isScalar(pair.key) ? pair.key : null;
    if (typeof keyNode?.value === 'symbol') {
      // A `<<` merge key: its maps fill in keys the map does not set itself (YAML merge semantics).
      const value = convert(pair.value, ctx, sourceOf(keyNode, ctx), depth + 1);
      merged.push(...(value.kind === 'list' ? value.items : [value]));
      continue;
    }
    const keySource = sourceOf(keyNode, ctx) ?? source;
    const key = keyText(keyNode?.value);
    if (key === undefined) {
      ctx.issues.error({
        path: '',
        source: keySource,
        message: 'a map key must be a plain value (a string)',
        code: 'TG_CONFIG_READ',
      });
      continue;
    }
    // A map or list value is reported at its key (`grpc:` line); a scalar at the value itself.
    const value = convert(pair.value, ctx, keySource, depth + 1);
    const withSource = value.source === undefined ? { ...value, source: keySource } : value;
    insertEntry(out, key.split('::'), { keySource, value: withSource });
  }
  for (const m of merged) {
    if (m.kind !== 'map') continue;
    for (const [k, e] of m.entries) if (!out.entries.has(k)) out.entries.set(k, e);
  }
  return out;
}

function keyText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}
