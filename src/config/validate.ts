// Validates a config node tree against a component's TypeBox schema and builds the typed config,
// with Go mapstructure semantics: a missing key takes the schema default, a key present with an
// empty value keeps the defaults, an unknown key is an error with "did you mean". Durations and
// sizes are converted (see units.ts); every problem is reported, each with its path and source.
import type { TSchema } from 'typebox';
import type { ConfigNode, MapNode, Source } from './node.ts';
import { emptyMap, fromPlain, isNull, joinPath, toPlain } from './node.ts';
import { IssueList, type ConfigIssue } from './issues.ts';
import type { SchemaView } from './schema-view.ts';
import { mapValueSchema, viewSchema } from './schema-view.ts';
import {
  INVALID,
  NOT_SCALAR,
  checkScalarSchema,
  stringOf,
  typeError,
  type CheckAt,
  type Checked,
} from './validate-scalar.ts';
import { checkUnion } from './validate-union.ts';
import { didYouMean, listSome } from './suggest.ts';
import { Secret } from '../util/secret.ts';

/** The typed value (undefined when any error was found) and every issue. */
export interface ValidateResult {
  readonly value: unknown;
  readonly issues: readonly ConfigIssue[];
}

/**
 * Validates `node` (undefined or null: the key is absent or empty, giving the defaults) against
 * `schema`. `path` is the YAML path of the node; `source` locates problems with absent values.
 */
export function validateConfig(
  schema: TSchema,
  node: ConfigNode | undefined,
  path: string,
  source: Source | undefined,
): ValidateResult {
  const issues = new IssueList();
  const s = viewSchema(schema);
  const present = node === undefined || isNull(node) ? emptyOrDefault(s, source) : node;
  const value = present === undefined ? undefined : check(s, present, { path, issues });
  return { value: value === INVALID || issues.errorCount() > 0 ? undefined : value, issues: issues.items };
}

// A whole component config that is absent or empty behaves like `{}` (Go: the factory default).
function emptyOrDefault(schema: SchemaView, source: Source | undefined): ConfigNode | undefined {
  if (schema.default !== undefined) return fromPlain(schema.default, source);
  return schema.type === 'object' || schema['x-tg'] === 'optional' ? emptyMap(source) : undefined;
}

/** Checks one present node against a schema. */
export function check(schema: SchemaView, node: ConfigNode, at: CheckAt): Checked {
  switch (schema['x-tg']) {
    case 'any':
      return toPlain(node);
    case 'secretMap':
      return checkSecretMap(schema, node, at);
    case 'optional':
      return isNull(node) ? checkObject(schema, emptyMap(node.source), at) : checkObject(schema, node, at);
    default:
      break;
  }
  const scalar = checkScalarSchema(schema, node, at);
  if (scalar !== NOT_SCALAR) return scalar;
  if (schema.anyOf !== undefined) return checkUnion(schema, schema.anyOf, node, at, check);
  if (schema.type === 'object') return checkObject(schema, isNull(node) ? emptyMap(node.source) : node, at);
  if (schema.type === 'array') return checkArray(schema, node, at);
  if (schema.type === 'null') return isNull(node) ? null : typeError(schema, node, at);
  return toPlain(node);
}

function checkObject(schema: SchemaView, node: ConfigNode, at: CheckAt): Checked {
  if (node.kind !== 'map') return typeError(schema, node, at);
  const properties = schema.properties ?? {};
  const valueSchema = mapValueSchema(schema);
  const out: [string, unknown][] = [];
  let ok = true;
  for (const [key, entry] of node.entries) {
    if (Object.hasOwn(properties, key)) continue;
    if (valueSchema !== undefined) {
      const v = isNull(entry.value)
        ? absentValue(valueSchema, true, entry.keySource, { ...at, path: joinPath(at.path, key) })
        : check(valueSchema, entry.value, { ...at, path: joinPath(at.path, key) });
      if (v === INVALID) ok = false;
      else out.push([key, v]);
    } else if (schema.additionalProperties !== true) {
      reportUnknownKey(key, entry.keySource, Object.keys(properties), at);
      ok = false;
    } else {
      out.push([key, toPlain(entry.value)]);
    }
  }
  const required = new Set(schema.required ?? []);
  for (const [key, propSchema] of Object.entries(properties)) {
    const v = checkProperty(key, propSchema, required.has(key), node, at);
    if (v === INVALID) ok = false;
    else if (v !== undefined) out.push([key, v]);
  }
  return ok ? Object.fromEntries(out) : INVALID;
}

function checkProperty(key: string, schema: SchemaView, required: boolean, parent: MapNode, at: CheckAt): Checked {
  const entry = parent.entries.get(key);
  const here: CheckAt = { ...at, path: joinPath(at.path, key) };
  if (entry !== undefined && !isNull(entry.value)) return check(schema, entry.value, here);
  const source = entry?.keySource ?? parent.source;
  // An OptionalBlock written with an empty value (`grpc:`) is on, with its defaults.
  if (entry !== undefined && schema['x-tg'] === 'optional') return check(schema, entry.value, here);
  const v = absentValue(schema, required, source, here);
  if (v === undefined && required && schema['x-tg'] !== 'optional') {
    at.issues.error({
      path: here.path,
      source,
      message: entry === undefined ? `missing required key \`${key}\`` : `\`${key}\` needs a value`,
      hint: `Add \`${key}:\` with a value here.`,
      code: 'TG_CONFIG_MISSING_KEY',
    });
    return INVALID;
  }
  return v;
}

/**
 * The value of an absent or empty key: its default; for a required object, the object of its
 * properties' defaults (Go's zero struct filled by the factory); otherwise undefined.
 */
function absentValue(schema: SchemaView, required: boolean, source: Source | undefined, at: CheckAt): Checked {
  if (schema['x-tg'] === 'optional') return undefined;
  if (schema.default !== undefined) return check(schema, fromPlain(schema.default, source), at);
  if (required && schema.type === 'object' && schema.properties !== undefined)
    return checkObject(schema, emptyMap(source), at);
  return undefined;
}

function reportUnknownKey(key: string, source: Source | undefined, valid: readonly string[], at: CheckAt): void {
  at.issues.error({
    path: joinPath(at.path, key),
    source,
    message: `unknown key \`${key}\`${didYouMean(key, valid)}`,
    hint: valid.length === 0 ? 'This section takes no keys.' : `Valid keys here: ${listSome(valid, 12)}.`,
    code: 'TG_CONFIG_UNKNOWN_KEY',
  });
}

function checkArray(schema: SchemaView, node: ConfigNode, at: CheckAt): Checked {
  const items = schema.items ?? {};
  // Go's StringToSliceHookFunc: a string where a list of strings is wanted is split on commas.
  const text = items.type === 'string' ? stringOf(node) : undefined;
  if (text !== undefined) return text === '' ? [] : text.split(',');
  if (node.kind !== 'list') return typeError(schema, node, at);
  const out = node.items.map((item, i) => check(items, item, { ...at, path: `${at.path}[${i}]` }));
  const ok = !out.includes(INVALID);
  if (ok && schema.minItems !== undefined && out.length < schema.minItems) {
    at.issues.error({
      path: at.path,
      source: node.source,
      message: `needs at least ${schema.minItems} item${schema.minItems === 1 ? '' : 's'}`,
      code: 'TG_CONFIG_VALUE',
    });
    return INVALID;
  }
  return ok ? out : INVALID;
}

// Each value is checked as a secret string, so a type error never quotes it.
function checkSecretMap(schema: SchemaView, node: ConfigNode, at: CheckAt): Checked {
  if (node.kind !== 'map') return typeError(schema, node, at);
  const valueSchema: SchemaView = { type: 'string', 'x-tg': 'secret' };
  let ok = true;
  const out: [string, Secret][] = [];
  for (const [key, entry] of node.entries) {
    const v = check(
      valueSchema,
      isNull(entry.value) ? { kind: 'scalar', value: '', source: entry.keySource } : entry.value,
      { ...at, path: joinPath(at.path, key) },
    );
    if (v instanceof Secret) out.push([key, v]);
    else ok = false;
  }
  return ok ? Object.fromEntries(out) : INVALID;
}
