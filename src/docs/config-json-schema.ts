// The JSON Schema of a whole telegate config for editors (the YAML language server's
// `# yaml-language-server: $schema=` line), built from the same TypeBox schemas that validate configs
// and generate docs/components/. It is deliberately more lenient than `telegate validate`: it types
// and documents, while cross-field rules and references stay the validator's job.
import type { Factory } from '../contracts/component.ts';
import type { Kind } from '../contracts/signal.ts';
import { TelemetrySchema } from '../config/blocks/service.ts';

/** A JSON Schema object (draft-07), as plain data. */
export type JsonSchema = { [key: string]: unknown };

const SECTIONS: readonly Kind[] = ['receiver', 'processor', 'exporter', 'extension'];
/** A `${env:NAME}` / `${NAME}` reference, accepted wherever a number or boolean is expected. */
const ENV_REF: JsonSchema = {
  type: 'string',
  pattern: '^\\$\\{[^}]+\\}$',
  description: 'A reference expanded when the config loads.',
};
/** Go durations (`200ms`, `1m30s`) or nanoseconds. */
const DURATION = ['^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$', '^0$'].join('|');

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `type` or `type/name`, as src/config/component-id.ts parses ids. */
function idPattern(types: readonly string[]): string {
  return `^(${types.map(escapeRegExp).join('|')})(/.+)?$`;
}

function withEnvRef(schema: JsonSchema): JsonSchema {
  const { description, default: dflt, ...rest } = schema;
  const out: JsonSchema = { anyOf: [rest, { $ref: '#/definitions/envRef' }] };
  if (description !== undefined) out['description'] = description;
  if (dflt !== undefined) out['default'] = dflt;
  return out;
}

/** One telegate-marked primitive (`x-tg`) as plain JSON Schema. */
function convertMarked(kind: unknown, rest: JsonSchema): JsonSchema | undefined {
  switch (kind) {
    case 'duration':
      return {
        ...rest,
        anyOf: [{ type: 'string', pattern: DURATION }, { type: 'integer' }, { $ref: '#/definitions/envRef' }],
      };
    case 'bytes':
      return { ...rest, type: ['integer', 'string'] };
    case 'stringMap':
      return { ...rest, type: ['object', 'null'], additionalProperties: { type: 'string' } };
    case 'any':
      return rest;
    case 'secret':
      return { ...rest, type: 'string' };
    default:
      return undefined; // 'optional' is the block itself, converted as an object
  }
}

/** Converts one TypeBox schema node: markers resolved, objects accept YAML's empty value (null). */
export function toEditorSchema(node: unknown): JsonSchema {
  if (typeof node !== 'object' || node === null) return {};
  const { 'x-tg': kind, ...rest } = node as JsonSchema;
  const marked = convertMarked(kind, rest);
  if (marked !== undefined) return marked;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(rest)) out[key] = convertKeyword(key, value);
  if (out['type'] === 'object') out['type'] = ['object', 'null'];
  if (out['type'] === 'integer' || out['type'] === 'number' || out['type'] === 'boolean') return withEnvRef(out);
  return out;
}

function convertKeyword(key: string, value: unknown): unknown {
  switch (key) {
    case 'properties':
    case 'patternProperties':
      return Object.fromEntries(Object.entries(value as JsonSchema).map(([k, v]) => [k, toEditorSchema(v)]));
    case 'items':
      return toEditorSchema(value);
    case 'additionalProperties':
      return typeof value === 'object' ? toEditorSchema(value) : value;
    case 'anyOf':
    case 'oneOf':
    case 'allOf':
      return (value as unknown[]).map(toEditorSchema);
    case 'required':
      return undefined; // every key has a default or is checked by the validator with a better message
    default:
      return value;
  }
}

function componentSection(kind: Kind, factories: readonly Factory[]): JsonSchema {
  const patternProperties: JsonSchema = {};
  for (const f of factories.filter((x) => x.kind === kind))
    patternProperties[idPattern([f.type])] = { $ref: `#/definitions/${kind}-${f.type}` };
  return {
    type: ['object', 'null'],
    description: `The ${kind}s, keyed by id: \`type\` or \`type/name\`.`,
    patternProperties,
    additionalProperties: false,
  };
}

function idList(kind: Kind, factories: readonly Factory[], description: string): JsonSchema {
  const types = factories.filter((f) => f.kind === kind).map((f) => f.type);
  return { type: 'array', description, items: { type: 'string', pattern: idPattern(types) } };
}

function serviceSchema(factories: readonly Factory[]): JsonSchema {
  const pipeline: JsonSchema = {
    type: 'object',
    additionalProperties: false,
    properties: {
      receivers: idList('receiver', factories, 'Receiver ids feeding this pipeline.'),
      processors: idList('processor', factories, 'Processor ids, in the order data passes them.'),
      exporters: idList('exporter', factories, 'Exporter ids the data goes to.'),
    },
  };
  return {
    type: ['object', 'null'],
    description: 'Which components run and how they are wired.',
    additionalProperties: false,
    properties: {
      extensions: idList('extension', factories, 'Extension ids to start.'),
      pipelines: {
        type: 'object',
        description: 'Pipelines keyed by signal: traces, metrics or logs, optionally /name.',
        patternProperties: { '^(traces|metrics|logs)(/.+)?$': pipeline },
        additionalProperties: false,
      },
      telemetry: { description: "The collector's own logs and metrics.", ...toEditorSchema(TelemetrySchema) },
    },
  };
}

function definitions(factories: readonly Factory[]): JsonSchema {
  const defs: JsonSchema = { envRef: ENV_REF };
  for (const f of factories) {
    const schema = toEditorSchema(f.configSchema);
    const description = f.deprecation === undefined ? f.description : `Deprecated: ${f.deprecation}`;
    defs[`${f.kind}-${f.type}`] = { ...schema, description };
  }
  return defs;
}

/** The JSON Schema of a config for a build with `factories`. */
export function configJsonSchema(factories: readonly Factory[]): JsonSchema {
  const properties: JsonSchema = {};
  for (const kind of SECTIONS) properties[`${kind}s`] = componentSection(kind, factories);
  properties['connectors'] = { description: 'Not supported by telegate yet: must be absent.', not: {} };
  properties['service'] = serviceSchema(factories);
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'telegate configuration',
    description:
      'An OpenTelemetry Collector configuration as telegate runs it. Generated by `telegate schema`; `telegate validate` checks what a schema cannot.',
    type: 'object',
    additionalProperties: false,
    properties,
    definitions: definitions(factories),
  };
}

/** The schema as the file docs/telegate.schema.json holds it. */
export function renderConfigSchema(factories: readonly Factory[]): string {
  return `${JSON.stringify(configJsonSchema(factories), null, 2)}\n`;
}
