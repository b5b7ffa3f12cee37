// The one table of telegate's commands (name, usage, summary, run): main.ts dispatches through it,
// `telegate --help` lists it and an unknown command is matched against it. Each command's code is
// imported only when it runs, so a collector never loads what one command alone needs (node-forge
// for `demo`: ~37 % of the bundle). Adding a command is one row here and one file beside it.
import { parseCommonArgs, type CommonArgs } from './args.ts';
import { helpText, type HelpRow } from './help.ts';
import { didYouMean } from '../config/suggest.ts';
import { version } from '../util/version.ts';
import { errorMessage } from '../errors/thrown.ts';

/** One command of the `telegate` CLI. */
export interface Command extends HelpRow {
  /** Runs the command on the arguments after its name; resolves with the exit code. */
  readonly run: (argv: readonly string[]) => Promise<number>;
}

/** `telegate [flags]` with no command word: run a collector. */
export const DEFAULT_COMMAND: Command = {
  name: '',
  usage: '[--config FILE]... [--set KEY=VALUE]...',
  summary: 'run a collector (built-in config if no --config)',
  run: (argv) => withCommonArgs(argv, async (a) => (await import('./run.ts')).runCollector(a.configs, a.sets)),
};

/** The named commands, in the order `telegate --help` lists them. */
export const COMMANDS: readonly Command[] = [
  {
    name: 'validate',
    usage: '--config FILE [--set ...]',
    summary: 'check a config and report every problem',
    run: (argv) => withCommonArgs(argv, async (a) => (await import('./validate.ts')).runValidate(a.configs, a.sets)),
  },
  {
    name: 'doctor',
    usage: '--config FILE | --endpoint HOST:PORT [flags]',
    summary:
      "check each exporter's way to its gateway: DNS, TCP, TLS,\nHTTP/2+gRPC, credentials, body size (doctor --help)",
    // doctor has flags of its own (--endpoint, --user, …), so it parses its arguments itself.
    run: async (argv) => (await import('./doctor.ts')).runDoctor(argv),
  },
  {
    name: 'components',
    usage: '[--json]',
    summary: 'list component types, signals and stability',
    run: (argv) => withCommonArgs(argv, async (a) => (await import('./components.ts')).runComponents(a.json)),
  },
  {
    name: 'schema',
    usage: '',
    summary: 'print the JSON Schema of a config (for editors:\n# yaml-language-server: $schema=<file or URL>)',
    run: (argv) => withCommonArgs(argv, async () => (await import('./schema.ts')).runSchema()),
  },
  {
    name: 'all-in-one',
    usage: '[--config FILE]... [--set ...]',
    summary:
      'trace backend: OTLP in on localhost:4317/4318, in-memory\nstore, Jaeger query API and UI on http://localhost:16686/',
    run: (argv) =>
      withCommonArgs(
        argv,
        async (a) => (await import('./all-in-one.ts')).runAllInOne(a.configs, a.sets),
        async () => (await import('./all-in-one-help.ts')).allInOneHelp(),
      ),
  },
  {
    name: 'passwd',
    usage: 'USER [--cost N]',
    summary:
      'print an htpasswd line USER:<bcrypt hash> for basicauth\n(password from a prompt, or the first line of stdin)',
    // passwd, gen and demo have flags of their own, so they parse their arguments themselves.
    run: async (argv) => (await import('./passwd.ts')).runPasswd(argv),
  },
  {
    name: 'gen',
    usage: 'traces|metrics|logs [flags]',
    summary: "send generated telemetry (telemetrygen's flags; gen --help)",
    run: async (argv) => (await import('./gen.ts')).runGen(argv),
  },
  {
    name: 'demo',
    usage: '[--port-offset N] [--duration D]',
    summary: "the seed's two-cluster topology on this machine, with its UI",
    run: async (argv) => (await import('./demo.ts')).runDemo(argv),
  },
  {
    name: 'k8s',
    usage: 'render --spec FILE [--out DIR] [--runtime R] [--operator]',
    summary:
      'render Kubernetes manifests for a gateway cluster and its\nedges from one spec (runtime telegate or otelcol-contrib)',
    run: async (argv) => (await import('./k8s.ts')).runK8s(argv),
  },
  {
    name: 'help',
    usage: '',
    summary: 'this help (also --help, -h)',
    run: (argv) => withCommonArgs(argv, () => printHelp()),
  },
  {
    name: 'version',
    usage: '',
    summary: 'print the version (also --version, -v)',
    run: (argv) => withCommonArgs(argv, () => printVersion()),
  },
];

/** The command named `name`, or undefined. */
export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}

/** Reports a command line that names no command; exit code 2. */
export function unknownCommand(words: readonly string[]): number {
  const names = COMMANDS.map((c) => c.name);
  const suggestion = words[0] === undefined ? '' : didYouMean(words[0], names);
  return usageError(`unknown command or argument '${words.join(' ')}'${suggestion} (commands: ${names.join(', ')})`);
}

/** Writes a usage error the way every command does; returns exit code 2. */
export function usageError(message: string): number {
  process.stderr.write(`telegate: ${message}\nRun 'telegate --help' for usage.\n`);
  return 2;
}

/**
 * Parses the Go collector's common flags, answers --help (the command's own help when it has one) and
 * --version, refuses stray words, then runs.
 */
async function withCommonArgs(
  argv: readonly string[],
  run: (args: CommonArgs) => Promise<number>,
  help?: () => Promise<string>,
): Promise<number> {
  let args: CommonArgs;
  try {
    args = parseCommonArgs(argv);
  } catch (err) {
    return usageError(errorMessage(err));
  }
  if (args.version) return printVersion();
  if (args.help && help !== undefined) {
    process.stdout.write(await help());
    return 0;
  }
  if (args.help) return printHelp();
  if (args.positionals.length > 0) return unknownCommand(args.positionals);
  return run(args);
}

function printHelp(): Promise<number> {
  process.stdout.write(helpText([DEFAULT_COMMAND, ...COMMANDS]));
  return Promise.resolve(0);
}

function printVersion(): Promise<number> {
  process.stdout.write(`telegate version ${version()}\n`);
  return Promise.resolve(0);
}
