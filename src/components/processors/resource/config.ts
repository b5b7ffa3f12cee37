// The `resource` processor's config: a list of attribute actions on the Resource, with the keys and
// validation messages of Go's resourceprocessor and internal/coreinternal/attraction.
import Type, { type Static } from 'typebox';
import { ActionSchema } from '../../attraction/config.ts';
import { compileActions } from '../../attraction/compile.ts';

/** The config schema. */
export const ResourceConfigSchema = Type.Object(
  {
    attributes: Type.Array(ActionSchema, {
      default: [],
      description:
        'Actions applied in order to the attributes of each Resource: insert, update, upsert, delete, hash, extract, convert. Required.',
    }),
  },
  { additionalProperties: false },
);

/** The validated config. */
export type ResourceConfig = Static<typeof ResourceConfigSchema>;

/** Go's rules: `attributes` must not be empty, and every action must be valid. */
export function validateResourceConfig(cfg: ResourceConfig): [string, string][] {
  if (cfg.attributes.length === 0) return [['attributes', 'missing required field "attributes"']];
  const compiled = compileActions(cfg.attributes);
  return compiled.ok ? [] : compiled.errors.map(([i, message]) => [`attributes[${i}]`, message]);
}
