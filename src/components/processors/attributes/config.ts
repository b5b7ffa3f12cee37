// The `attributes` processor's config: Go's attributesprocessor Config — `actions` (the shared
// attraction engine's keys) and the `include` / `exclude` blocks of internal/filter/filterconfig.
import Type, { type Static } from 'typebox';
import type { Signal } from '../../../contracts/signal.ts';
import { ActionSchema } from '../../attraction/config.ts';
import { compileActions } from '../../attraction/compile.ts';
import { compileMatch, type CompiledMatch } from './match-compile.ts';
import { MatchPropertiesSchema } from './match-config.ts';

/** The config schema. */
export const AttributesConfigSchema = Type.Object(
  {
    actions: Type.Array(ActionSchema, {
      default: [],
      description:
        'Actions applied in order to the attributes of each span, log record or metric data point: insert, update, upsert, delete, hash, extract, convert. Required.',
    }),
    include: Type.Optional(
      Type.Object(MatchPropertiesSchema.properties, {
        additionalProperties: false,
        description: 'Only items that match all of these properties are processed (checked before exclude).',
      }),
    ),
    exclude: Type.Optional(
      Type.Object(MatchPropertiesSchema.properties, {
        additionalProperties: false,
        description: 'Items that match all of these properties are not processed.',
      }),
    ),
  },
  { additionalProperties: false },
);

/** The validated config. */
export type AttributesConfig = Static<typeof AttributesConfigSchema>;

/**
 * Go's rules that hold whatever the pipeline: `actions` must not be empty, every action must be
 * valid, and include/exclude must compile (match_type, regular expressions, attribute entries).
 */
export function validateAttributesConfig(cfg: AttributesConfig): [string, string][] {
  if (cfg.actions.length === 0) return [['actions', 'missing required field "actions"']];
  const compiled = compileActions(cfg.actions);
  const problems: [string, string][] = compiled.ok
    ? []
    : compiled.errors.map(([i, message]) => [`actions[${i}]`, message]);
  for (const block of ['include', 'exclude'] as const) {
    const mp = cfg[block];
    if (mp === undefined) continue;
    const r = compileMatch(mp, undefined);
    if (isProblem(r)) problems.push([r[0] === '' ? block : `${block}.${r[0]}`, r[1]]);
  }
  return problems;
}

/** The include and exclude blocks compiled for `signal`, or Go's error for that signal. */
export function compileMatchConfig(
  cfg: AttributesConfig,
  signal: Signal,
): { include: CompiledMatch | null; exclude: CompiledMatch | null } | string {
  const out: { include: CompiledMatch | null; exclude: CompiledMatch | null } = { include: null, exclude: null };
  for (const block of ['include', 'exclude'] as const) {
    const mp = cfg[block];
    if (mp === undefined) continue;
    const r = compileMatch(mp, signal);
    if (isProblem(r)) return `${block}${r[0] === '' ? '' : `.${r[0]}`}: ${r[1]}`;
    out[block] = r;
  }
  return out;
}

function isProblem(r: CompiledMatch | readonly [string, string]): r is readonly [string, string] {
  return Array.isArray(r);
}
