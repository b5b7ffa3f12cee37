// `telegate components`: the component types this build has, their signals and stability, as the
// Go collector's `components` command lists them (YAML by default, JSON with --json).
import { stringify } from 'yaml';
import type { Factory } from '../contracts/component.ts';
import { BUILTIN_FACTORIES } from '../components/builtin.ts';
import { version } from '../util/version.ts';

interface Listed {
  name: string;
  stability: Record<string, string>;
  description: string;
  deprecation?: string;
}

function listed(f: Factory): Listed {
  const stability: Record<string, string> = {};
  for (const [signal, level] of Object.entries(f.stability)) stability[signal] = level;
  const item: Listed = { name: f.type, stability, description: f.description };
  if (f.deprecation !== undefined) item.deprecation = f.deprecation;
  return item;
}

/** The listing as an object (also used by tests and docs). */
export function componentListing(factories: readonly Factory[] = BUILTIN_FACTORIES): Record<string, unknown> {
  const of = (kind: Factory['kind']): Listed[] => factories.filter((f) => f.kind === kind).map(listed);
  return {
    buildinfo: { command: 'telegate', description: 'telegate OpenTelemetry collector', version: version() },
    receivers: of('receiver'),
    processors: of('processor'),
    exporters: of('exporter'),
    connectors: [],
    extensions: of('extension'),
  };
}

export function runComponents(json: boolean): number {
  const listing = componentListing();
  process.stdout.write(json ? JSON.stringify(listing, null, 2) + '\n' : stringify(listing));
  return 0;
}
