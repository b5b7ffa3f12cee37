// The schema of one attribute action, shared by the `resource` and `attributes` processors: the same
// keys as Go's internal/coreinternal/attraction ActionKeyValue. Cross-field rules are checked by
// compileActions (compile.ts) with Go's messages, so every key is optional here.
import Type, { type Static } from 'typebox';
import { AnyValue } from '../../config/blocks/primitives.ts';

/** One entry of `attributes:` (resource processor) or `actions:` (attributes processor). */
export const ActionSchema = Type.Object(
  {
    key: Type.Optional(
      Type.String({
        description:
          'The attribute to act upon. Required, except for delete and hash, which may use `pattern` instead.',
      }),
    ),
    value: Type.Optional(
      AnyValue({
        description:
          'The value to set for insert, update and upsert; keeps its YAML type (string, int, double, bool, list, map).',
      }),
    ),
    from_attribute: Type.Optional(
      Type.String({ description: 'Take the value from this existing attribute; if it is absent, nothing is done.' }),
    ),
    from_context: Type.Optional(
      Type.String({
        description:
          'Take the value from the request context: `metadata.<key>` (request headers, needs include_metadata on the receiver), `auth.<attribute>` (the authenticated identity, e.g. auth.username) or `client.address`; any other name is looked up in the metadata. Several values are joined with `;`.',
      }),
    ),
    pattern: Type.Optional(
      Type.String({
        description:
          'A regular expression. extract: its named groups (`(?P<name>...)` or `(?<name>...)`) become attributes; delete and hash: act on every attribute whose key matches.',
      }),
    ),
    action: Type.Optional(
      Type.String({
        description: 'One of insert, update, upsert, delete, hash (SHA-256, hex), extract, convert (case-insensitive).',
      }),
    ),
    converted_type: Type.Optional(
      Type.String({ description: 'For convert: the target type, one of string, int, double.' }),
    ),
  },
  { additionalProperties: false, description: 'One attribute action.' },
);

/** One action as written in a config. */
export type ActionConfig = Static<typeof ActionSchema>;
