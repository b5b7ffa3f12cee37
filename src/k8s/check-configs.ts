// Checks each rendered collector config with telegate's own loader and validator, in process, as
// `telegate validate` would in the pod: the Secret files written where they are mounted (under a
// temporary directory) and the env variables set, so a render never writes a config that fails.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BUILTIN_FACTORIES } from '../components/builtin.ts';
import { loadConfig, registryOf, type ConfigIssue } from '../config/load-config.ts';
import { NODE_NAME_ENV } from './names.ts';
import type { RenderedCollector } from './render.ts';
import { toYaml } from './yaml-writer.ts';

/** The issues of one rendered config. */
export interface ConfigCheck {
  readonly cluster: string;
  readonly issues: readonly ConfigIssue[];
}

/** Validates every collector; returns the issues of each (errors and warnings). */
export async function checkConfigs(collectors: readonly RenderedCollector[]): Promise<ConfigCheck[]> {
  const root = mkdtempSync(join(tmpdir(), 'telegate-k8s-check-'));
  try {
    const out: ConfigCheck[] = [];
    for (const c of collectors) out.push({ cluster: c.cluster, issues: await checkOne(c, join(root, c.cluster)) });
    return out;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

async function checkOne(c: RenderedCollector, root: string): Promise<ConfigIssue[]> {
  let text = toYaml(c.config);
  for (const [path, content] of c.files) {
    const local = join(root, path);
    mkdirSync(dirname(local), { recursive: true });
    writeFileSync(local, content, { mode: 0o600 });
    // Mount paths are absolute and unique in a config: point them at the local copy.
    text = text.split(path).join(local);
  }
  const env = { ...c.env, [NODE_NAME_ENV]: 'node-1' };
  const { issues } = await loadConfig({
    configs: [`yaml:${text}`],
    sets: [],
    env,
    registry: registryOf(BUILTIN_FACTORIES),
  });
  return issues;
}
