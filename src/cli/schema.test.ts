// `telegate schema` is a command of the table and prints exactly the committed docs/telegate.schema.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { findCommand } from './commands.ts';
import { runSchema } from './schema.ts';

test('`telegate schema` prints the committed docs/telegate.schema.json', async () => {
  assert.ok(findCommand('schema'), 'schema is a command of the table');
  const chunks: string[] = [];
  assert.equal(await runSchema((t) => chunks.push(t)), 0);
  const committed = readFileSync(new URL('../../docs/telegate.schema.json', import.meta.url), 'utf8');
  assert.equal(chunks.join(''), committed);
});
