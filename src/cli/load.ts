// Shared by `run` and `validate`: load the config (the built-in one when none is given), print its
// issues to stderr, and hand back the resolved config when there is no error.
import { DEFAULT_CONFIG_YAML } from './default-config.ts';
import { BUILTIN_FACTORIES } from '../components/builtin.ts';
import { formatIssues, loadConfig, registryOf, type ConfigIssue, type ResolvedConfig } from '../config/load-config.ts';
import type { GraphSpec } from '../service/graph-spec.ts';

export interface Loaded {
  readonly config: ResolvedConfig | undefined;
  readonly errorCount: number;
  readonly warningCount: number;
}

/**
 * Loads `--config`/`--set`; with neither, the built-in config. Prints every issue to stderr, with those
 * `more` finds in a config that loaded (validate's pitfall warnings).
 */
export async function loadAndReport(
  configs: readonly string[],
  sets: readonly string[],
  more?: (config: ResolvedConfig) => readonly ConfigIssue[],
): Promise<Loaded> {
  const sources = configs.length === 0 ? [`yaml:${DEFAULT_CONFIG_YAML}`] : configs;
  const loaded = await loadConfig({ configs: sources, sets, registry: registryOf(BUILTIN_FACTORIES) });
  const config = loaded.config;
  const issues = config === undefined || more === undefined ? loaded.issues : [...loaded.issues, ...more(config)];
  if (issues.length > 0) process.stderr.write(formatIssues(issues) + '\n');
  const errorCount = issues.filter((i) => i.severity === 'error').length;
  return { config: errorCount === 0 ? config : undefined, errorCount, warningCount: issues.length - errorCount };
}

/** The service's view of a resolved config. */
export function graphSpecOf(config: ResolvedConfig): GraphSpec {
  return {
    receivers: config.receivers,
    processors: config.processors,
    exporters: config.exporters,
    extensions: config.extensions,
    serviceExtensions: config.service.extensions,
    pipelines: config.service.pipelines,
  };
}
