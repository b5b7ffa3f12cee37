// The `include` / `exclude` blocks of the attributes processor: the keys of Go's
// internal/filter/filterconfig MatchProperties. Rules across fields are checked by match-compile.ts.
import Type, { type Static } from 'typebox';
import { AnyValue } from '../../../config/blocks/primitives.ts';

const StringList = (description: string) => Type.Optional(Type.Array(Type.String(), { description }));

const AttributeSchema = Type.Object(
  {
    key: Type.String({ description: 'The attribute key; it must be present.' }),
    value: Type.Optional(
      AnyValue({
        description:
          'The value to match: equal in type and value with match_type strict, a regular expression (string) with regexp. Absent: the key alone must be present.',
      }),
    ),
  },
  { additionalProperties: false, description: 'An attribute to match.' },
);

const LibrarySchema = Type.Object(
  {
    name: Type.String({ description: 'The instrumentation scope name to match.' }),
    version: Type.Optional(
      Type.String({ description: 'The scope version to match; absent matches any version, "" only an empty one.' }),
    ),
  },
  { additionalProperties: false, description: 'An instrumentation scope (library) to match.' },
);

/** One `include` or `exclude` block. */
export const MatchPropertiesSchema = Type.Object(
  {
    match_type: Type.Optional(
      Type.String({ description: 'How names and values are compared: `strict` (equal) or `regexp` (RE2 search).' }),
    ),
    regexp: Type.Optional(
      Type.Object(
        {
          cacheenabled: Type.Optional(
            Type.Boolean({ description: 'Accepted for compatibility; matching is not cached.' }),
          ),
          cachemaxnumentries: Type.Optional(Type.Integer({ description: 'Accepted for compatibility; ignored.' })),
        },
        {
          additionalProperties: false,
          description: 'Options of match_type regexp (Go caches results; we do not need to).',
        },
      ),
    ),
    services: StringList('Spans: the resource `service.name` must match one of these.'),
    span_names: StringList('Spans: the span name must match one of these.'),
    span_kinds: StringList('Spans: the kind (SPAN_KIND_SERVER, SPAN_KIND_CLIENT, …) must match one of these.'),
    log_bodies: StringList('Logs: the body (as a string) must match one of these.'),
    log_severity_texts: StringList('Logs: the severity text must match one of these.'),
    log_severity_number: Type.Optional(
      Type.Object(
        {
          min: Type.Optional(
            AnyValue({
              description: 'The lowest severity number that matches: 1–24, or a name such as INFO or WARN2.',
            }),
          ),
          match_undefined: Type.Optional(
            Type.Boolean({ description: 'Whether a record with no severity number (0) matches.' }),
          ),
        },
        { additionalProperties: false, description: 'Logs: match by severity number.' },
      ),
    ),
    metric_names: StringList('Metrics: the metric name must match one of these.'),
    attributes: Type.Optional(
      Type.Array(AttributeSchema, {
        description: "Every one of these must match the item's own attributes (span, log record).",
      }),
    ),
    resources: Type.Optional(
      Type.Array(AttributeSchema, { description: 'Every one of these must match the Resource attributes.' }),
    ),
    libraries: Type.Optional(
      Type.Array(LibrarySchema, { description: 'Every one of these must match the instrumentation scope.' }),
    ),
  },
  { additionalProperties: false, description: 'Properties an item must all have to match.' },
);

/** One `include` or `exclude` block as written. */
export type MatchProperties = Static<typeof MatchPropertiesSchema>;
