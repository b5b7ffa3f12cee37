// Coverage of the web UI's modules as they run in Chromium, for c8. Under `npm test -- --coverage`, c8
// sets NODE_V8_COVERAGE; the browser tests then record V8's precise coverage of dist/ui/*.js in the page
// and write it there in Node's own format, with each module's tsc source map in the `source-map-cache`,
// so c8 maps it back to ui/src/*.ts. The entries are filed under ui/src/__browser__/ (a path no file has):
// the same URL as a Node-run module would merge two different compilations' offsets.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { UI_DIR } from '../../src/backend/ui/serve-ui.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
let written = 0;

/** Starts recording the page's script coverage when c8 is collecting; a no-op otherwise. */
export async function startUiCoverage(page: Page): Promise<void> {
  if (process.env['NODE_V8_COVERAGE'] === undefined) return;
  await page.coverage.startJSCoverage({ resetOnNavigation: false });
}

/** Stops recording and writes what the page ran of the UI's modules for c8. */
export async function saveUiCoverage(page: Page): Promise<void> {
  const dir = process.env['NODE_V8_COVERAGE'];
  if (dir === undefined) return;
  const entries = await page.coverage.stopJSCoverage();
  // Each page load runs the modules anew: the n-th run of every module goes to the n-th file, so c8
  // merges the runs across files (one file holds each URL once).
  const runs: { result: unknown[]; cache: Record<string, unknown> }[] = [];
  const seen = new Map<string, number>();
  for (const e of entries) {
    const name = /\/([\w-]+)\.js$/.exec(new URL(e.url).pathname)?.[1];
    const mapPath = join(UI_DIR, `${name ?? ''}.js.map`);
    if (name === undefined || !existsSync(mapPath) || !existsSync(join(ROOT, 'ui/src', `${name}.ts`))) continue;
    const n = seen.get(name) ?? 0;
    seen.set(name, n + 1);
    const run = (runs[n] ??= { result: [], cache: {} });
    const url = pathToFileURL(join(ROOT, 'ui/src/__browser__', `${name}.ts`)).href;
    run.cache[url] = { lineLengths: (e.source ?? '').split('\n').map((l) => l.length), data: sourceMap(mapPath) };
    run.result.push({ scriptId: String(run.result.length + 1), url, functions: e.functions });
  }
  for (const run of runs) {
    const file = join(dir, `coverage-ui-${process.pid}-${Date.now()}-${written++}.json`);
    writeFileSync(file, JSON.stringify({ result: run.result, 'source-map-cache': run.cache }));
  }
}

/** A tsc source map with absolute `sources` (c8 resolves them against the entry's own path otherwise). */
function sourceMap(path: string): unknown {
  const map = JSON.parse(readFileSync(path, 'utf8')) as { sources: string[]; sourceRoot?: string };
  map.sources = map.sources.map((s) => resolve(dirname(path), map.sourceRoot ?? '', s));
  delete map.sourceRoot;
  return map;
}

/**
 * `page.goto`, keeping coverage: V8 forgets the scripts of a page that is left, so what the page ran is
 * written before it goes (a no-op without c8).
 */
export async function gotoCovered(page: Page, url: string): Promise<void> {
  if (process.env['NODE_V8_COVERAGE'] !== undefined) {
    await saveUiCoverage(page);
    await startUiCoverage(page);
  }
  await page.goto(url);
}
