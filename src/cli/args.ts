// Command-line parsing shared by the commands: the Go collector's flags (--config repeatable, --set
// repeatable, --feature-gates) plus --help and --version. Unknown flags are errors that name the flag.
import { parseArgs } from 'node:util';

export interface CommonArgs {
  readonly configs: string[];
  readonly sets: string[];
  readonly help: boolean;
  readonly version: boolean;
  readonly json: boolean;
  readonly positionals: string[];
}

/** Parses argv (without node and script); throws an Error with a user-facing message on bad flags. */
export function parseCommonArgs(argv: readonly string[]): CommonArgs {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      config: { type: 'string', multiple: true, short: 'c' },
      set: { type: 'string', multiple: true },
      'feature-gates': { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
      json: { type: 'boolean' },
    },
  });
  return {
    configs: values.config ?? [],
    sets: values.set ?? [],
    help: values.help ?? false,
    version: values.version ?? false,
    json: values.json ?? false,
    positionals,
  };
}
