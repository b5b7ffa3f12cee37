// The command table is the one source: help lists every row, names are unique, and an unknown
// command is answered from the table with a suggestion and exit code 2.
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { COMMANDS, DEFAULT_COMMAND, findCommand, unknownCommand } from './commands.ts';
import { helpText } from './help.ts';

function stderrOf(run: () => number): { code: number; text: string } {
  const chunks: string[] = [];
  const write = mock.method(process.stderr, 'write', (chunk: string) => chunks.push(chunk) > 0);
  try {
    return { code: run(), text: chunks.join('') };
  } finally {
    write.mock.restore();
  }
}

test('every command has a unique name and is found by it', () => {
  const names = COMMANDS.map((c) => c.name);
  assert.equal(new Set(names).size, names.length);
  for (const c of COMMANDS) assert.equal(findCommand(c.name), c);
  assert.equal(findCommand(''), undefined, 'the default command has no name to type');
  assert.equal(findCommand('frobnicate'), undefined);
});

test('help lists each command of the table with its usage and summary', () => {
  const help = helpText([DEFAULT_COMMAND, ...COMMANDS]);
  for (const c of COMMANDS) {
    const line = help.split('\n').find((l) => l.startsWith(`  telegate ${c.name}`));
    assert.ok(line !== undefined, `help lists ${c.name}`);
    assert.ok(line.includes(c.usage), `help shows ${c.name}'s usage`);
    assert.ok(help.includes(c.summary.split('\n')[0] ?? ''), `help shows ${c.name}'s summary`);
  }
  assert.match(help, /telegate \[--config FILE\]\.\.\. .* run a collector/);
});

test('a row added to the table appears in help', () => {
  const row = { name: 'frob', usage: '--knob N', summary: 'turn the knob\nall the way' };
  const help = helpText([row]);
  assert.match(help, /^ {2}telegate frob --knob N +turn the knob\n +all the way$/m);
});

test('an unknown command exits 2, suggests the closest command and lists them all', () => {
  const { code, text } = stderrOf(() => unknownCommand(['valdate', '--config', 'x.yaml']));
  assert.equal(code, 2);
  assert.match(text, /unknown command or argument 'valdate --config x\.yaml'; did you mean `validate`\?/);
  for (const c of COMMANDS) assert.ok(text.includes(c.name), `lists ${c.name}`);
  assert.match(text, /Run 'telegate --help' for usage/);
  const far = stderrOf(() => unknownCommand(['zzzzzz']));
  assert.doesNotMatch(far.text, /did you mean/);
});
