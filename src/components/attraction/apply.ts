// Applies compiled attribute actions to one attribute list, with Go's pcommon.Map semantics: lookups
// find the first entry with a key, a removal moves the last entry into the freed slot, a new key is
// appended. Entries are replaced, never mutated, so untouched ones keep their original bytes.
import type { AnyValue, KeyValue } from '../../pdata/attributes.ts';
import type { Logger } from '../../contracts/component.ts';
import type { RequestContext } from '../../contracts/payload.ts';
import type { CompiledAction } from './compile.ts';
import { convertValue } from './convert.ts';
import { contextValue } from './from-context.ts';
import { hashValue } from './hash.ts';
import { sameValue } from './value.ts';

/** Applies `actions` in order to `attrs` (in place); returns true when anything changed. */
export function applyActions(
  actions: readonly CompiledAction[],
  attrs: KeyValue[],
  ctx: RequestContext,
  logger?: Logger,
): boolean {
  let changed = false;
  for (const a of actions) {
    if (applyAction(a, attrs, ctx, logger)) changed = true;
  }
  return changed;
}

function applyAction(a: CompiledAction, attrs: KeyValue[], ctx: RequestContext, logger: Logger | undefined): boolean {
  switch (a.action) {
    case 'delete':
      return forKeyAndMatches(a, attrs, removeKey);
    case 'hash':
      return forKeyAndMatches(a, attrs, hashKey);
    case 'insert':
    case 'update':
    case 'upsert':
      return setValue(a, attrs, ctx);
    case 'extract':
      return extract(a, attrs);
    case 'convert':
      return convert(a, attrs, logger);
  }
}

/** Index of the first attribute named `key`, or -1. */
export function findKey(attrs: readonly KeyValue[], key: string): number {
  for (let i = 0; i < attrs.length; i++) if ((attrs[i] as KeyValue).key === key) return i;
  return -1;
}

/** Sets `key` to `value`: replaces the first entry with that key or appends; false when nothing changed. */
export function putValue(attrs: KeyValue[], key: string, value: AnyValue): boolean {
  return putAt(attrs, findKey(attrs, key), { key, value });
}

/** Puts `kv` at index `i` (appends when -1); false when the value there is already the same. */
function putAt(attrs: KeyValue[], i: number, kv: KeyValue): boolean {
  if (i < 0) {
    attrs.push(kv);
    return true;
  }
  if (sameValue((attrs[i] as KeyValue).value, kv.value)) return false;
  attrs[i] = kv;
  return true;
}

function removeKey(attrs: KeyValue[], key: string): boolean {
  const i = findKey(attrs, key);
  if (i < 0) return false;
  const last = attrs.pop() as KeyValue;
  if (i < attrs.length) attrs[i] = last;
  return true;
}

function hashKey(attrs: KeyValue[], key: string): boolean {
  const i = findKey(attrs, key);
  if (i < 0) return false;
  attrs[i] = { key, value: hashValue((attrs[i] as KeyValue).value) };
  return true;
}

/** delete/hash act on `key`, then on every key the pattern matches (keys listed before acting). */
function forKeyAndMatches(
  a: CompiledAction,
  attrs: KeyValue[],
  act: (attrs: KeyValue[], key: string) => boolean,
): boolean {
  let changed = act(attrs, a.key);
  const re = a.pattern?.regex;
  if (re === undefined) return changed;
  const keys: string[] = [];
  for (const kv of attrs) if (re.test(kv.key)) keys.push(kv.key);
  for (const k of keys) if (act(attrs, k)) changed = true;
  return changed;
}

function sourceValue(a: CompiledAction, attrs: readonly KeyValue[], ctx: RequestContext): AnyValue | undefined {
  if (a.value !== undefined) return a.value;
  if (a.fromContext !== '') return contextValue(ctx, a.fromContext);
  const i = findKey(attrs, a.fromAttribute);
  return i < 0 ? undefined : (attrs[i] as KeyValue).value;
}

function setValue(a: CompiledAction, attrs: KeyValue[], ctx: RequestContext): boolean {
  const value = sourceValue(a, attrs, ctx);
  if (value === undefined) return false;
  const i = findKey(attrs, a.key);
  if ((a.action === 'insert' && i >= 0) || (a.action === 'update' && i < 0)) return false;
  return putAt(attrs, i, a.literal ?? { key: a.key, value });
}

function extract(a: CompiledAction, attrs: KeyValue[]): boolean {
  const i = findKey(attrs, a.key);
  const source = i < 0 ? undefined : (attrs[i] as KeyValue).value;
  if (source?.type !== 'string' || a.pattern === undefined) return false;
  const m = a.pattern.regex.exec(source.value);
  if (m === null) return false;
  let changed = false;
  const names = a.pattern.groupNames;
  for (let g = 0; g < names.length; g++) {
    // A group that took no part in the match is "" in Go.
    if (putValue(attrs, names[g] as string, { type: 'string', value: m[g + 1] ?? '' })) changed = true;
  }
  return changed;
}

function convert(a: CompiledAction, attrs: KeyValue[], logger: Logger | undefined): boolean {
  const i = findKey(attrs, a.key);
  if (i < 0) return false;
  const value = (attrs[i] as KeyValue).value;
  const converted = convertValue(a.convertedType, value);
  if (converted === undefined) {
    if (value.type !== a.convertedType && logger?.isDebugEnabled() === true) {
      logger.debug('Unable to convert attribute', { key: a.key, from: value.type, to: a.convertedType });
    }
    return false;
  }
  attrs[i] = { key: a.key, value: converted };
  return true;
}
