// The text of `telegate --help`.
import { version } from '../util/version.ts';

export function helpText(): string {
  return `telegate ${version()} — move OpenTelemetry data safely between clusters

Usage:
  telegate [--config FILE]... [--set KEY=VALUE]...   run a collector (built-in config if no --config)
  telegate validate --config FILE [--set ...]        check a config and report every problem
  telegate components [--json]                       list component types, signals and stability
  telegate all-in-one [--config FILE]... [--set ...] trace backend: OTLP in on localhost:4317/4318, in-memory
                                                     store, Jaeger query API and UI on http://localhost:16686/
  telegate passwd USER [--cost N]                    print an htpasswd line USER:<bcrypt hash> for basicauth
                                                     (password from a prompt, or the first line of stdin)
  telegate gen traces|metrics|logs [flags]           send generated telemetry (telemetrygen's flags; gen --help)
  telegate demo [--port-offset N] [--duration D]     the seed's two-cluster topology on this machine, with its UI
  telegate --version | --help

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
