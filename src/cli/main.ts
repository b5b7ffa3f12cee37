#!/usr/bin/env node
// telegate's command-line entry: dispatches to one command per file; the only place that exits.
import { parseCommonArgs } from './args.ts';
import { helpText } from './help.ts';
import { version } from '../util/version.ts';
import { runCollector } from './run.ts';
import { runValidate } from './validate.ts';
import { runComponents } from './components.ts';
import { runPasswd } from './passwd.ts';
import { runDemo } from './demo.ts';
import { runGen } from './gen.ts';
import { runAllInOne } from './all-in-one.ts';
import { errorMessage } from '../errors/thrown.ts';

const COMMANDS = ['validate', 'components', 'passwd', 'gen', 'all-in-one', 'demo', 'help', 'version'] as const;

async function main(argv: readonly string[]): Promise<number> {
  // passwd has flags of its own (--cost), so it parses its arguments itself.
  if (argv[0] === 'passwd') return runPasswd(argv.slice(1));
  if (argv[0] === 'demo') return runDemo(argv.slice(1));
  if (argv[0] === 'gen') return runGen(argv.slice(1));
  let args;
  try {
    args = parseCommonArgs(argv);
  } catch (err) {
    process.stderr.write(`telegate: ${errorMessage(err)}\nRun 'telegate --help' for usage.\n`);
    return 2;
  }
  const [command, ...rest] = args.positionals;
  if (args.version || command === 'version') {
    process.stdout.write(`telegate version ${version()}\n`);
    return 0;
  }
  if (args.help || command === 'help') {
    process.stdout.write(helpText());
    return 0;
  }
  if (rest.length > 0 || (command !== undefined && !(COMMANDS as readonly string[]).includes(command))) {
    process.stderr.write(
      `telegate: unknown command or argument '${args.positionals.join(' ')}' (commands: ${COMMANDS.join(', ')})\nRun 'telegate --help' for usage.\n`,
    );
    return 2;
  }
  if (command === 'validate') return runValidate(args.configs, args.sets);
  if (command === 'components') return runComponents(args.json);
  if (command === 'all-in-one') return runAllInOne(args.configs, args.sets);
  return runCollector(args.configs, args.sets);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // Everything is closed by now; if a stray handle still holds the loop, do not hang on it.
    setTimeout(() => process.exit(code), 2000).unref();
  },
  (err: unknown) => {
    process.stderr.write(
      `telegate: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exitCode = 70;
  },
);
