// The text of `telegate all-in-one --help`: its flags and the keys of its built-in config a user most
// often changes (the ports first: the metrics port 8888 clashes with any collector already running).
import { version } from '../util/version.ts';
import { ALL_IN_ONE_MAX_TRACES } from './all-in-one-limits.ts';

/** What `all-in-one` listens on and keeps, by the --set key that changes it. */
export const ALL_IN_ONE_KEYS: readonly (readonly [what: string, key: string, value: string])[] = [
  ['OTLP/gRPC in', 'receivers::otlp::protocols::grpc::endpoint', 'localhost:4317'],
  ['OTLP/HTTP in', 'receivers::otlp::protocols::http::endpoint', 'localhost:4318'],
  ['Jaeger API + UI', 'extensions::jaeger_query::http::endpoint', '0.0.0.0:16686'],
  ['query auth', 'extensions::jaeger_query::http::auth::authenticator', '(none)'],
  ['own metrics', 'service::telemetry::metrics::address', '127.0.0.1:8888'],
  ['traces kept', 'extensions::jaeger_storage::backends::memstore::memory::max_traces', String(ALL_IN_ONE_MAX_TRACES)],
  ['bytes kept', 'extensions::jaeger_storage::backends::memstore::memory::max_bytes', '1GiB'],
];

/** The help of `telegate all-in-one`. */
export function allInOneHelp(): string {
  const keyWidth = Math.max(...ALL_IN_ONE_KEYS.map(([, k]) => k.length));
  const rows = ALL_IN_ONE_KEYS.map(([what, key, value]) => `  ${what.padEnd(16)}${key.padEnd(keyWidth + 2)}${value}`);
  return `telegate ${version()} all-in-one — the whole trace backend in one process, as Jaeger's all-in-one

Usage:
  telegate all-in-one [--config FILE]... [--set KEY=VALUE]...

OTLP in, spans batched into an in-memory store, the Jaeger query API and the web UI. --config files
and --set flags merge over the built-in config; what to change, with its default:

${rows.join('\n')}

The metrics port 8888 is the Go collector's: beside a collector already running, move it
(--set service::telemetry::metrics::address=127.0.0.1:18888) or turn it off
(--set service::telemetry::metrics::level=none). The query endpoint answers anyone who can reach it:
bind it to localhost or give it an authenticator (see src/components/extensions/jaeger_query/README.md).

Flags:
  --config FILE   a YAML config merged over the built-in one; repeat to merge several.
                  Also yaml:<inline yaml>, env:VAR, file:PATH.
  --set KEY=VAL   override one value, keys separated by '::', value parsed as YAML.
  -h, --help      this help        -v, --version   print the version

Example:
  telegate all-in-one --set service::telemetry::metrics::address=127.0.0.1:18888 \\
    --set extensions::jaeger_query::http::endpoint=localhost:16686
`;
}
