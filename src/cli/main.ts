#!/usr/bin/env node
// telegate's command-line entry: finds the command in the table (commands.ts) and runs it; the only
// place that exits.
import { DEFAULT_COMMAND, findCommand, unknownCommand } from './commands.ts';

async function main(argv: readonly string[]): Promise<number> {
  const [word, ...rest] = argv;
  // No command word (no arguments, or flags first): run a collector.
  if (word === undefined || word.startsWith('-')) return DEFAULT_COMMAND.run(argv);
  const command = findCommand(word);
  return command === undefined ? unknownCommand(argv) : command.run(rest);
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
