// Checks a list of attribute actions and compiles it for apply.ts, with the rules and the error
// messages of Go's attraction.NewAttrProc (indexes are 0-based, "the 0-th actions" as Go words it).
import { encodedKeyValue, type AnyValue, type KeyValue } from '../../pdata/attributes.ts';
import type { ActionConfig } from './config.ts';
import { CONVERSION_TARGETS } from './convert.ts';
import { compileGoPattern, type GoPattern } from './regex.ts';
import { fromRaw } from './value.ts';

/** The actions Go knows. */
export type ActionName = 'insert' | 'update' | 'upsert' | 'delete' | 'hash' | 'extract' | 'convert';

/** One action ready to apply. Unused fields are '' or undefined. */
export interface CompiledAction {
  readonly action: ActionName;
  readonly key: string;
  /** The configured value (insert/update/upsert), or undefined when the value comes from elsewhere. */
  readonly value: AnyValue | undefined;
  /** `key` = `value`, encoded once (pdata/attributes.ts encodedKeyValue), when `value` is set. */
  readonly literal: KeyValue | undefined;
  readonly fromAttribute: string;
  readonly fromContext: string;
  readonly convertedType: string;
  /** delete/hash: keys to match (optional); extract: the named groups. */
  readonly pattern: GoPattern | undefined;
}

/** The compiled actions, or one problem per invalid action: [index, Go's message]. */
export type CompileResult =
  | { readonly ok: true; readonly actions: readonly CompiledAction[] }
  | { readonly ok: false; readonly errors: readonly (readonly [index: number, message: string])[] };

const P = 'error creating AttrProc';

/** Checks and compiles every action; reports the first problem of each invalid one. */
export function compileActions(configs: readonly ActionConfig[]): CompileResult {
  const actions: CompiledAction[] = [];
  const errors: [number, string][] = [];
  configs.forEach((cfg, i) => {
    const r = compileAction(cfg, i);
    if (typeof r === 'string') errors.push([i, r]);
    else actions.push(r);
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, actions };
}

function compileAction(cfg: ActionConfig, i: number): CompiledAction | string {
  const action = (cfg.action ?? '').toLowerCase();
  const key = cfg.key ?? '';
  const pattern = cfg.pattern ?? '';
  if ((action === 'delete' || action === 'hash') && key === '' && pattern === '') {
    return `${P} due to missing required field (at least one of "key" and "pattern" have to be used) at the ${i}-th actions`;
  }
  if (action !== 'delete' && action !== 'hash' && key === '')
    return `${P} due to missing required field "key" at the ${i}-th actions`;
  const base = {
    key,
    value: undefined,
    literal: undefined,
    fromAttribute: '',
    fromContext: '',
    convertedType: '',
    pattern: undefined,
  };
  switch (action) {
    case 'insert':
    case 'update':
    case 'upsert':
      return compileSet(cfg, i, action, base);
    case 'delete':
    case 'hash':
      return compileMatch(cfg, i, action, base);
    case 'extract':
      return compileExtract(cfg, i, action, base);
    case 'convert':
      return compileConvert(cfg, i, action, base);
    default:
      return `${P} due to unsupported action ${JSON.stringify(action)} at the ${i}-th actions`;
  }
}

type Base = Omit<CompiledAction, 'action'>;

/** Go counts `value` when it is non-nil and the other two when they are non-empty. */
function valueSourceCount(cfg: ActionConfig): number {
  return (cfg.value != null ? 1 : 0) + (cfg.from_attribute ? 1 : 0) + (cfg.from_context ? 1 : 0);
}

function compileSet(cfg: ActionConfig, i: number, action: ActionName, base: Base): CompiledAction | string {
  const sources = valueSourceCount(cfg);
  if (sources === 0)
    return `${P}. Either field "value", "from_attribute" or "from_context" setting must be specified for ${i}-th action`;
  if (sources > 1) return `${P} due to multiple value sources being set at the ${i}-th actions`;
  if (cfg.pattern) return notUsed(action, 'pattern', i);
  if (cfg.converted_type) return notUsed(action, 'converted_type', i);
  if (cfg.value != null) {
    const value = fromRaw(cfg.value);
    if (typeof value === 'string') return value;
    return { ...base, action, value, literal: encodedKeyValue(base.key, value) };
  }
  return { ...base, action, fromAttribute: cfg.from_attribute ?? '', fromContext: cfg.from_context ?? '' };
}

function compileMatch(cfg: ActionConfig, i: number, action: ActionName, base: Base): CompiledAction | string {
  if (cfg.value != null || cfg.from_attribute) {
    return `${P}. Action "${action}" does not use "value" or "from_attribute" field. These must not be specified for ${i}-th action`;
  }
  let pattern: GoPattern | undefined;
  if (cfg.pattern) {
    pattern = compileGoPattern(cfg.pattern);
    if (pattern === undefined) return badPattern(cfg.pattern, i);
  }
  if (cfg.converted_type) return notUsed(action, 'converted_type', i);
  return { ...base, action, pattern };
}

function compileExtract(cfg: ActionConfig, i: number, action: ActionName, base: Base): CompiledAction | string {
  if (valueSourceCount(cfg) > 0)
    return `${P}. Action "${action}" does not use a value source field. These must not be specified for ${i}-th action`;
  if (!cfg.pattern) return `${P} due to missing required field "pattern" for action "${action}" at the ${i}-th action`;
  if (cfg.converted_type) return notUsed(action, 'converted_type', i);
  const pattern = compileGoPattern(cfg.pattern);
  if (pattern === undefined) return badPattern(cfg.pattern, i);
  if (pattern.groupNames.length === 0)
    return `${P}. Field "pattern" contains no named matcher groups at the ${i}-th actions`;
  if (pattern.groupNames.includes(undefined))
    return `${P}. Field "pattern" contains at least one unnamed matcher group at the ${i}-th actions`;
  return { ...base, action, pattern };
}

function compileConvert(cfg: ActionConfig, i: number, action: ActionName, base: Base): CompiledAction | string {
  if (valueSourceCount(cfg) > 0 || cfg.pattern) {
    return `${P}. Action "${action}" does not use value sources or "pattern" field. These must not be specified for ${i}-th action`;
  }
  const to = cfg.converted_type ?? '';
  if (to === '')
    return `${P} due to missing required field "converted_type" for action "${action}" at the ${i}-th action`;
  if (!CONVERSION_TARGETS.includes(to)) {
    return `${P} due to invalid value "${to}" in field "converted_type" for action "${action}" at the ${i}-th action`;
  }
  return { ...base, action, convertedType: to };
}

function notUsed(action: string, field: string, i: number): string {
  return `${P}. Action "${action}" does not use the "${field}" field. This must not be specified for ${i}-th action`;
}

function badPattern(pattern: string, i: number): string {
  return `${P}. Field "pattern" has invalid pattern: "${pattern}" to be set at the ${i}-th actions`;
}
