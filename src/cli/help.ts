// The text of `telegate --help`, laid out from the command table (commands.ts) it is given.
import { version } from '../util/version.ts';

/** What `telegate --help` shows of one command. */
export interface HelpRow {
  /** The word after `telegate`; the empty string for the default command. */
  readonly name: string;
  /** What follows the name, e.g. `--config FILE [--set ...]`. */
  readonly usage: string;
  /** What the command does; `\n` starts a continuation line. */
  readonly summary: string;
}

// The column where summaries start: wide enough for the longest usage line.
const SUMMARY_COLUMN = 53;

function commandLines(row: HelpRow): string {
  const invocation = `  telegate ${[row.name, row.usage].filter((s) => s !== '').join(' ')}`;
  const [first = '', ...more] = row.summary.split('\n');
  const pad = (s: string): string => s.padEnd(SUMMARY_COLUMN - 1) + ' ';
  const head = invocation.length < SUMMARY_COLUMN ? pad(invocation) + first : `${invocation}\n${pad('')}${first}`;
  return [head, ...more.map((line) => pad('') + line)].join('\n');
}

/** The help text listing `rows` in order. */
export function helpText(rows: readonly HelpRow[]): string {
  return `telegate ${version()} — move OpenTelemetry data safely between clusters

Usage:
${rows.map(commandLines).join('\n')}

Flags:
  --config FILE   a collector YAML config; repeat to merge later files over earlier ones.
                  Also yaml:<inline yaml>, env:VAR (config in a variable), file:PATH.
  --set KEY=VAL   override one value, keys separated by '::', value parsed as YAML, e.g.
                  --set receivers::otlp::protocols::grpc::endpoint=127.0.0.1:5317
  -h, --help      this help        -v, --version   print the version

Config values may use \${env:NAME}, \${env:NAME:-default} and $$ for a literal $.
Docs: README.md, examples/, and each component's README under src/components/.
`;
}
