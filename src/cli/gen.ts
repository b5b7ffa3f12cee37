// `telegate gen traces|metrics|logs [flags]`: telemetrygen's flags and meanings (src/generator/flags.ts),
// live progress on a terminal, a summary always; exit 0 when every export succeeded, 1 when one
// failed (with the server's reason), 2 on a usage error. Ctrl-C stops cleanly with the summary.
import { FLAGS, parseGenArgs } from '../generator/flags.ts';
import { progressLine, summaryJson, summaryText } from '../generator/report.ts';
import { runGenerator, type GenProgress } from '../generator/run-generator.ts';
import type { GenOptions } from '../generator/options.ts';
import { errorMessage } from '../errors/thrown.ts';

const UNITS = { traces: 'spans', metrics: 'data points', logs: 'log records' } as const;

/** The usage text of `telegate gen`. */
export function genHelp(): string {
  return `Usage: telegate gen traces|metrics|logs [flags]   (telemetrygen's flags; see README "Generating telemetry")
Flags: ${Object.keys(FLAGS)
    .map((f) => `--${f}`)
    .join(' ')}
Defaults as telemetrygen: --otlp-endpoint localhost:4317 (4318 with --otlp-http), TLS unless --otlp-insecure,
--workers 1, --rate 0 (unthrottled; metrics 1), --traces/--metrics/--logs 1 per worker unless --duration.
`;
}

/** Runs the command; returns the exit code. */
export async function runGen(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h') || argv.length === 0) {
    process.stdout.write(genHelp());
    return argv.length === 0 ? 2 : 0;
  }
  let options: GenOptions;
  try {
    options = parseGenArgs(argv);
  } catch (err) {
    process.stderr.write(`telegate gen: ${errorMessage(err)}\nRun 'telegate gen --help' for usage.\n`);
    return 2;
  }
  const controller = new AbortController();
  const onSignal = (): void => {
    controller.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const tty = process.stderr.isTTY;
  let previous: GenProgress | undefined;
  try {
    const summary = await runGenerator(options, {
      signal: controller.signal,
      ...(tty
        ? {
            onProgress: (p: GenProgress) => {
              process.stderr.write(`\r\x1b[K${progressLine(UNITS[options.signal], p, previous)}`);
              previous = p;
            },
          }
        : {}),
    });
    if (tty) process.stderr.write('\r\x1b[K');
    process.stdout.write(summaryText(summary));
    if (options.summaryJson) process.stdout.write(summaryJson(summary));
    return summary.failedRequests > 0 ? 1 : 0;
  } catch (err) {
    process.stderr.write(`telegate gen: ${errorMessage(err)}\n`);
    return 2;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
