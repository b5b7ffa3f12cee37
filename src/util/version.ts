// telegate's version, read once from package.json (two levels up from both src/ and dist/).
import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** telegate's version from package.json ("0.0.0-unknown" if it cannot be read). */
export function version(): string {
  if (cached !== undefined) return cached;
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: unknown;
    };
    cached = typeof pkg.version === 'string' ? pkg.version : '0.0.0-unknown';
  } catch {
    cached = '0.0.0-unknown';
  }
  return cached;
}
