// A read-only view of the JSON Schema that TypeBox builds, limited to what the config validator
// understands: type, properties/required, patternProperties/additionalProperties, items, anyOf,
// const, enum, numeric and string bounds, default, and telegate's `x-tg` marker.
import type { TSchema } from 'typebox';
import type { TgKind } from './blocks/primitives.ts';

/** The schema keywords the validator reads. */
export interface SchemaView {
  readonly type?: string;
  readonly 'x-tg'?: TgKind;
  readonly properties?: Readonly<Record<string, SchemaView>>;
  readonly required?: readonly string[];
  readonly patternProperties?: Readonly<Record<string, SchemaView>>;
  readonly additionalProperties?: SchemaView | boolean;
  readonly items?: SchemaView;
  readonly anyOf?: readonly SchemaView[];
  readonly const?: unknown;
  readonly enum?: readonly unknown[];
  readonly default?: unknown;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minItems?: number;
  readonly pattern?: string;
}

/** Views a TypeBox schema (a plain JSON Schema object) through SchemaView. */
export function viewSchema(schema: TSchema): SchemaView {
  return schema;
}

/** The schema for the values of a map-like object (Record or additionalProperties), if any. */
export function mapValueSchema(schema: SchemaView): SchemaView | undefined {
  const pattern = schema.patternProperties === undefined ? undefined : Object.values(schema.patternProperties)[0];
  if (pattern !== undefined) return pattern;
  return typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
}

/** The allowed values when the schema is a closed set (enum, or a union of literals). */
export function literalChoices(schema: SchemaView): readonly unknown[] | undefined {
  if (schema.enum !== undefined) return schema.enum;
  if (schema.const !== undefined) return [schema.const];
  if (schema.anyOf === undefined || schema.anyOf.length === 0) return undefined;
  const all = schema.anyOf.map(literalChoices);
  return all.every((c) => c !== undefined) ? all.flat() : undefined;
}

/** How the expected value is named in messages (`a string`, `a duration such as 5s`). */
export function expectedLabel(schema: SchemaView): string {
  const choices = literalChoices(schema);
  if (choices !== undefined) return `one of ${choices.map((c) => JSON.stringify(c)).join(', ')}`;
  switch (schema['x-tg']) {
    case 'duration':
      return 'a duration such as 200ms, 5s or 1m30s';
    case 'bytes':
      return 'a size such as 1048576, 512KiB or 4MiB';
    case 'secretMap':
      return 'a map of strings';
    case 'optional':
      return 'a map';
    case 'any':
      return 'any value';
    case 'secret':
      return 'a string';
    case undefined:
      break;
  }
  if (schema.anyOf !== undefined) return schema.anyOf.map(expectedLabel).join(' or ');
  return TYPE_LABELS[schema.type ?? ''] ?? 'a value';
}

const TYPE_LABELS: Readonly<Record<string, string>> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  object: 'a map',
  array: 'a list',
  null: 'an empty value',
};
