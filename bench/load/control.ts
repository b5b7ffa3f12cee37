// The line protocol between bench/run.ts and the load processes it starts: each child prints one JSON
// object per line on stdout ({"event":"ready",...}, {"event":"snap",...}) and reads commands ("snap",
// "stop") from stdin. A child exits when its stdin closes, so a killed orchestrator leaves no orphans.
import { createInterface } from 'node:readline';

/** One JSON line on stdout. */
export function emit(event: string, fields: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify({ event, ...fields }) + '\n');
}

/** Calls `onCommand` for each stdin line; calls `onEnd` once when stdin closes (the parent is gone). */
export function onCommands(onCommand: (command: string) => void, onEnd: () => void): void {
  const rl = createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    const command = line.trim();
    if (command !== '') onCommand(command);
  });
  rl.on('close', onEnd);
}

/** This process's CPU seconds (user + system, all threads). */
export function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** Parses `--name value` arguments into a map (flags without a value map to "true"). */
export function parseArgs(argv: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) continue;
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) out.set(a.slice(2), 'true');
    else {
      out.set(a.slice(2), next);
      i++;
    }
  }
  return out;
}

/** A numeric argument with a default; throws on a non-number. */
export function numberArg(args: Map<string, string>, name: string, fallback: number): number {
  const raw = args.get(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got ${raw}`);
  return n;
}

/** Splits "host:port" (IPv4 or name) into its parts. */
export function splitHostPort(endpoint: string): { host: string; port: number } {
  const i = endpoint.lastIndexOf(':');
  const port = Number(endpoint.slice(i + 1));
  if (i <= 0 || !Number.isInteger(port)) throw new Error(`bad endpoint ${endpoint}, want host:port`);
  return { host: endpoint.slice(0, i), port };
}
