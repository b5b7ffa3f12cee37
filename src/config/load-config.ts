// The config module's public entry: load --config sources and --set flags, expand ${…}, validate
// against the registry's schemas and resolve the service section — reporting every problem.
import { IssueList, type ConfigIssue } from './issues.ts';
import { loadSources } from './load.ts';
import { expandTree } from './expand.ts';
import { resolveConfig } from './resolve.ts';
import type { Registry, ResolvedConfig } from './types.ts';

export type { ConfigIssue } from './issues.ts';
export type { Source } from './node.ts';
export type { Registry, ResolvedComponent, ResolvedConfig, ResolvedPipeline, TelemetrySettings } from './types.ts';
export { registryOf } from './types.ts';
export { formatIssue, formatIssues, formatSummary } from './format.ts';
export { hasErrors } from './issues.ts';

/** What loadConfig needs: the --config values and --set flags in command-line order. */
export interface LoadConfigOptions {
  readonly configs: readonly string[];
  readonly sets: readonly string[];
  /** Variables for ${env:…}; defaults to process.env. */
  readonly env?: NodeJS.ProcessEnv;
  readonly registry: Registry;
}

/** The resolved config (absent when any error was found) and every issue, errors and warnings. */
export interface LoadConfigResult {
  readonly config?: ResolvedConfig;
  readonly issues: ConfigIssue[];
}

/** Loads, expands, validates and resolves a config. Never throws for a bad config. */
export async function loadConfig(options: LoadConfigOptions): Promise<LoadConfigResult> {
  const issues = new IssueList();
  const env = options.env ?? process.env;
  if (options.configs.length === 0 && options.sets.length === 0) {
    issues.error({
      path: '',
      source: undefined,
      message: 'no config given',
      hint: 'Pass --config FILE (repeatable) and/or --set key=value.',
      code: 'TG_CONFIG_READ',
    });
    return { issues: issues.items };
  }
  const tree = await loadSources({ configs: options.configs, sets: options.sets, env }, issues);
  if (tree === undefined) return { issues: issues.items };
  const expanded = expandTree(tree, { env, issues });
  if (issues.errorCount() > 0) return { issues: issues.items };
  const resolved = resolveConfig(expanded, options.registry);
  issues.addAll(resolved.issues);
  return resolved.config === undefined ? { issues: issues.items } : { config: resolved.config, issues: issues.items };
}
