// Component and pipeline ids as the Go collector parses them (component/identifiable.go):
// `type` or `type/name`; the type starts with an ASCII letter and holds letters, digits and `_`
// (at most 63); the name is 1–1024 characters without spaces, control characters or symbols.
import type { ComponentId, Signal } from '../contracts/signal.ts';
import { SIGNALS } from '../contracts/signal.ts';

/** A parsed id, or why it is malformed. */
export type IdResult =
  { readonly ok: true; readonly id: ComponentId } | { readonly ok: false; readonly message: string };

const TYPE = /^[a-zA-Z][0-9a-zA-Z_]{0,62}$/;
const NAME = /^[^\p{Z}\p{C}\p{S}]+$/u;

/** Parses `type[/name]` (spaces around each part are ignored, as in Go). */
export function parseComponentId(text: string): IdResult {
  const slash = text.indexOf('/');
  const type = (slash < 0 ? text : text.slice(0, slash)).trim();
  const name = slash < 0 ? '' : text.slice(slash + 1).trim();
  if (type === '')
    return fail(
      slash < 0 ? 'an id must not be empty' : `in id ${JSON.stringify(text)}: the part before / must not be empty`,
    );
  if (slash >= 0 && name === '') return fail(`in id ${JSON.stringify(text)}: the part after / must not be empty`);
  if (!TYPE.test(type))
    return fail(
      `in id ${JSON.stringify(text)}: invalid character(s) in type ${JSON.stringify(type)} (a letter, then letters, digits or _)`,
    );
  if (name.length > 1024) return fail(`in id ${JSON.stringify(text)}: the name is longer than 1024 characters`);
  if (name !== '' && !NAME.test(name))
    return fail(
      `in id ${JSON.stringify(text)}: invalid character(s) in name ${JSON.stringify(name)} (no spaces, control characters or symbols)`,
    );
  return { ok: true, id: { type, name, id: name === '' ? type : `${type}/${name}` } };
}

function fail(message: string): IdResult {
  return { ok: false, message };
}

/** A parsed pipeline id, or why it is malformed. */
export type PipelineIdResult =
  | { readonly ok: true; readonly id: string; readonly signal: Signal; readonly name: string }
  | { readonly ok: false; readonly message: string; readonly type?: string };

/** Parses `traces|metrics|logs[/name]`. */
export function parsePipelineId(text: string): PipelineIdResult {
  const parsed = parseComponentId(text);
  if (!parsed.ok) return parsed;
  const signal = SIGNALS.find((s) => s === parsed.id.type);
  if (signal === undefined)
    return {
      ok: false,
      message: `unknown signal ${JSON.stringify(parsed.id.type)} in pipeline id ${JSON.stringify(text)}`,
      type: parsed.id.type,
    };
  return { ok: true, id: parsed.id.id, signal, name: parsed.id.name };
}
