// Where this package is installed: the nearest folder above this module holding telegate's
// package.json. Found by walking up, so it holds wherever the code runs from — src/ (tsx), or
// dist/cli/ (main.js and its chunks/), the bundle the build makes, where modules share a few URLs.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'telegate';
let cached: string | undefined;

function isOurs(dir: string): boolean {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) return false;
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME;
  } catch {
    return false;
  }
}

/** The package's root folder (holding package.json, dist/, proto/). */
export function packageRoot(): string {
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!isOurs(dir)) {
    const up = dirname(dir);
    if (up === dir)
      throw new Error(`cannot find ${PACKAGE_NAME}'s package.json above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
  cached = dir;
  return dir;
}
