// Runs the generator benchmark alone: `npm run build && node --import tsx bench/gen/run.ts`.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killAllNow } from '../load/children.ts';
import { genSuite } from './suite.ts';

const repo = new URL('../../', import.meta.url).pathname;
process.on('exit', killAllNow);
const result = await genSuite.run({ repo, tmp: mkdtempSync(join(tmpdir(), 'bench-gen-')), budgetMs: 30_000 });
process.stdout.write(`\n## ${result.title}\n\n${result.markdown}\n\n`);
for (const v of result.verdicts) process.stdout.write(`${v.pass ? 'PASS' : 'FAIL'} ${v.target}: ${v.actual}\n`);
