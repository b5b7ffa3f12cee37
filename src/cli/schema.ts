// `telegate schema`: prints the JSON Schema of a whole config for this build's components, for
// editors (`# yaml-language-server: $schema=…`). docs/telegate.schema.json is the same text, committed.
import { BUILTIN_FACTORIES } from '../components/builtin.ts';
import { renderConfigSchema } from '../docs/config-json-schema.ts';

/** Writes the schema (to stdout unless `write` is given); exit code 0. */
export function runSchema(write: (text: string) => void = (t) => process.stdout.write(t)): Promise<number> {
  write(renderConfigSchema(BUILTIN_FACTORIES));
  return Promise.resolve(0);
}
