// Runs the store benchmark alone: `node --import tsx bench/store/run.ts` prints its figures, the
// markdown section and the verdicts; exit 1 when a target is missed.
import { fileURLToPath } from 'node:url';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeSuite } from './suite.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const result = await storeSuite.run({
  repo,
  tmp: mkdtempSync(join(tmpdir(), 'telegate-store-bench-')),
  budgetMs: 120_000,
});
process.stdout.write(`\n## ${result.title}\n\n${result.markdown}\n\n`);
for (const v of result.verdicts) process.stdout.write(`${v.pass ? 'PASS' : 'MISS'} ${v.target}: ${v.actual}\n`);
process.exitCode = result.verdicts.every((v) => v.pass) ? 0 : 1;
