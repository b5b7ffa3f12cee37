// Scalar checks of the config validator: strings, numbers, booleans, closed sets, durations and
// sizes. Typing is strict as Go's mapstructure (WeaklyTypedInput off): a number is not a string and
// "true" is not a boolean — except that a whole-value `${env:X}` is a string wherever one is wanted.
import type { ConfigNode } from './node.ts';
import { describeNode } from './node.ts';
import type { IssueList } from './issues.ts';
import type { SchemaView } from './schema-view.ts';
import { expectedLabel, literalChoices } from './schema-view.ts';
import { didYouMean } from './suggest.ts';
import { parseBytes, parseDuration } from './units.ts';
import { Secret } from '../util/secret.ts';

/** Marks a value that failed validation (its issue is already recorded). */
export const INVALID: unique symbol = Symbol('invalid');
/** A checked value, or INVALID. */
export type Checked = unknown;

/** Where a check is and where it reports. */
export interface CheckAt {
  readonly path: string;
  readonly issues: IssueList;
}

/** The string a node stands for where a string is wanted, if any. */
export function stringOf(node: ConfigNode): string | undefined {
  if (node.kind !== 'scalar') return undefined;
  if (typeof node.value === 'string') return node.value;
  return node.original;
}

/** Reports a type mismatch: `expected a string, got a map`. */
export function typeError(schema: SchemaView, node: ConfigNode, at: CheckAt): typeof INVALID {
  const secret = schema['x-tg'] === 'secret';
  const quote =
    node.kind === 'scalar' && node.value !== null && typeof node.value !== 'string' && schema.type === 'string';
  at.issues.error({
    path: at.path,
    source: node.source,
    message: `expected ${expectedLabel(schema)}, got ${describeNode(node, secret)}`,
    hint: quote
      ? `Quote the value to make it a string: ${secret ? 'put it in "double quotes"' : `"${String(node.value)}"`}.`
      : `This setting takes ${expectedLabel(schema)}.`,
    code: 'TG_CONFIG_TYPE',
  });
  return INVALID;
}

function valueError(node: ConfigNode, at: CheckAt, message: string, hint?: string): typeof INVALID {
  at.issues.error({ path: at.path, source: node.source, message, hint, code: 'TG_CONFIG_VALUE' });
  return INVALID;
}

/** A string, with minLength/maxLength/pattern. */
export function checkString(schema: SchemaView, node: ConfigNode, at: CheckAt): Checked {
  const s = stringOf(node);
  if (s === undefined) return typeError(schema, node, at);
  const shown = schema['x-tg'] === 'secret' ? 'the value' : JSON.stringify(s);
  if (schema.minLength !== undefined && s.length < schema.minLength) {
    return valueError(
      node,
      at,
      schema.minLength === 1 ? 'must not be empty' : `${shown} is too short (at least ${schema.minLength} characters)`,
    );
  }
  if (schema.maxLength !== undefined && s.length > schema.maxLength)
    return valueError(node, at, `${shown} is too long (at most ${schema.maxLength} characters)`);
  if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(s))
    return valueError(node, at, `${shown} does not have the expected form (${schema.pattern})`);
  return s;
}

/** A secret string: checked as a string (messages never quote it), held as a `Secret`. */
export function checkSecret(schema: SchemaView, node: ConfigNode, at: CheckAt): Checked {
  const s = checkString(schema, node, at);
  return typeof s === 'string' ? new Secret(s) : s;
}

/** A number; `integer` also requires a whole number. Bounds are checked. */
export function checkNumber(schema: SchemaView, node: ConfigNode, at: CheckAt): Checked {
  if (node.kind !== 'scalar' || typeof node.value !== 'number') return typeError(schema, node, at);
  const n = node.value;
  if (schema.type === 'integer' && !Number.isInteger(n)) return valueError(node, at, `expected an integer, got ${n}`);
  const bound = boundProblem(schema, n);
  return bound === undefined ? n : valueError(node, at, `${n} is out of range: ${bound}`);
}

function boundProblem(schema: SchemaView, n: number): string | undefined {
  if (schema.minimum !== undefined && n < schema.minimum) return `must be at least ${schema.minimum}`;
  if (schema.maximum !== undefined && n > schema.maximum) return `must be at most ${schema.maximum}`;
  if (schema.exclusiveMinimum !== undefined && n <= schema.exclusiveMinimum)
    return `must be more than ${schema.exclusiveMinimum}`;
  if (schema.exclusiveMaximum !== undefined && n >= schema.exclusiveMaximum)
    return `must be less than ${schema.exclusiveMaximum}`;
  return undefined;
}

/** true or false. */
export function checkBoolean(schema: SchemaView, node: ConfigNode, at: CheckAt): Checked {
  if (node.kind !== 'scalar' || typeof node.value !== 'boolean') return typeError(schema, node, at);
  return node.value;
}

/** One of a closed set of values (enum or a union of literals). */
export function checkChoice(schema: SchemaView, choices: readonly unknown[], node: ConfigNode, at: CheckAt): Checked {
  if (node.kind !== 'scalar') return typeError(schema, node, at);
  const wanted = choices.every((c) => typeof c === 'string') ? stringOf(node) : node.value;
  if (choices.includes(wanted)) return wanted;
  const names = choices.map(String);
  return valueError(
    node,
    at,
    `${describeNode(node)} is not allowed${didYouMean(String(node.value), names)}`,
    `Use one of: ${names.join(', ')}.`,
  );
}

/**
 * The longest delay Node's timers keep (2^31 − 1 ms, about 24.8 days): a longer one fires after 1 ms, so
 * `max_connection_idle: 1000h` would close every connection at once. Durations are capped here, where
 * they enter; for a timeout or an idle limit 24.8 days means the same as longer.
 */
export const MAX_DURATION_MS = 2 ** 31 - 1;

/** A Go duration string, or an integer number of nanoseconds → milliseconds, at most MAX_DURATION_MS. */
export function checkDuration(schema: SchemaView, node: ConfigNode, at: CheckAt): Checked {
  if (node.kind === 'scalar' && typeof node.value === 'number') {
    if (Number.isInteger(node.value)) return Math.min(node.value / 1e6, MAX_DURATION_MS);
    return valueError(
      node,
      at,
      `${node.value} is not a duration: a bare number means nanoseconds and must be whole`,
      'Write the unit, e.g. 1.5s or 200ms.',
    );
  }
  const s = stringOf(node);
  if (s === undefined) return typeError(schema, node, at);
  const parsed = parseDuration(s);
  return parsed.ok
    ? Math.min(parsed.value, MAX_DURATION_MS)
    : valueError(
        node,
        at,
        parsed.message,
        'Write a number with a unit: 200ms, 5s, 1m30s, 1h (units ns, us, ms, s, m, h).',
      );
}

/** A size: integer bytes or a number with a unit → bytes. */
export function checkBytes(schema: SchemaView, node: ConfigNode, at: CheckAt): Checked {
  if (node.kind === 'scalar' && typeof node.value === 'number') {
    if (Number.isInteger(node.value) && node.value >= 0) return node.value;
    return valueError(node, at, `${node.value} is not a size: a bare number is a whole number of bytes`);
  }
  const s = stringOf(node);
  if (s === undefined) return typeError(schema, node, at);
  const parsed = parseBytes(s);
  return parsed.ok ? parsed.value : valueError(node, at, parsed.message, 'For example 1048576, 512KiB, 4MiB or 1GB.');
}

/** Returned by checkScalarSchema for a schema that is not a scalar one. */
export const NOT_SCALAR: unique symbol = Symbol('not-scalar');

/** Dispatches a scalar schema; NOT_SCALAR when the schema is not a scalar one. */
export function checkScalarSchema(schema: SchemaView, node: ConfigNode, at: CheckAt): Checked {
  const choices = literalChoices(schema);
  if (choices !== undefined) return checkChoice(schema, choices, node, at);
  switch (schema['x-tg']) {
    case 'duration':
      return checkDuration(schema, node, at);
    case 'bytes':
      return checkBytes(schema, node, at);
    case 'secret':
      return checkSecret(schema, node, at);
    default:
      break;
  }
  switch (schema.type) {
    case 'string':
      return checkString(schema, node, at);
    case 'integer':
    case 'number':
      return checkNumber(schema, node, at);
    case 'boolean':
      return checkBoolean(schema, node, at);
    default:
      return NOT_SCALAR;
  }
}
