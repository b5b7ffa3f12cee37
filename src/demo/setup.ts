// Lays out the demo's data directory: the CA and the gateway's certificate, one password per edge
// user (made once, kept in credentials.json, mode 0600), the gateway's htpasswd (bcrypt) and the four
// collector configs. Everything is kept between runs, so the configs can be read and reused.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { hashSync } from '@node-rs/bcrypt';
import { backendConfig, edgeConfig, gatewayConfig } from './configs.ts';
import { ensureDemoPki } from './pki.ts';
import type { DemoPlan } from './plan.ts';

/** bcrypt cost of the htpasswd entries: what `telegate passwd` uses. */
const BCRYPT_COST = 10;

/** The files of one demo run. */
export interface DemoFiles {
  readonly dir: string;
  readonly configs: { readonly backend: string; readonly gateway: string; readonly edges: readonly string[] };
  readonly caFile: string;
  readonly createdPki: boolean;
}

/** `$XDG_DATA_HOME/telegate/demo`, or `~/.local/share/telegate/demo`. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share');
  return join(base, 'telegate', 'demo');
}

function loadPasswords(file: string, users: readonly string[]): Record<string, string> {
  let stored: Record<string, string> = {};
  if (existsSync(file)) {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof parsed === 'object' && parsed !== null) stored = parsed as Record<string, string>;
  }
  let changed = false;
  for (const user of users) {
    if (typeof stored[user] === 'string' && stored[user] !== '') continue;
    stored[user] = randomBytes(18).toString('base64url');
    changed = true;
  }
  if (changed) writeFileSync(file, JSON.stringify(stored, null, 2) + '\n', { mode: 0o600 });
  return stored;
}

function writeSecret(path: string, text: string): void {
  writeFileSync(path, text, { mode: 0o600 });
  chmodSync(path, 0o600);
}

/** Creates or refreshes everything in `dir` for `plan`; returns the config paths. */
export function prepareDemo(dir: string, plan: DemoPlan, maxTraces: number): DemoFiles {
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const pki = ensureDemoPki(dir);
  const passwords = loadPasswords(
    join(dir, 'credentials.json'),
    plan.edges.map((e) => e.user),
  );
  const htpasswd = join(dir, 'htpasswd');
  writeSecret(
    htpasswd,
    plan.edges.map((e) => `${e.user}:${hashSync(passwords[e.user] ?? '', BCRYPT_COST)}\n`).join(''),
  );
  const backend = join(dir, 'backend.yaml');
  writeFileSync(backend, backendConfig(plan, maxTraces));
  const gateway = join(dir, 'gateway.yaml');
  writeFileSync(gateway, gatewayConfig(plan, pki, htpasswd));
  const edges = plan.edges.map((e) => {
    const file = join(dir, `${e.name}.yaml`);
    writeSecret(file, edgeConfig(plan, e, pki, passwords[e.user] ?? ''));
    return file;
  });
  return { dir, configs: { backend, gateway, edges }, caFile: pki.caFile, createdPki: pki.created };
}
