// ${…} expansion as Go's confmap does it: every form, escapes, typed whole values, unset variables,
// defaults, nesting, recursion and errors with their location.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandTree } from './expand.ts';
import { IssueList } from './issues.ts';
import { toPlain, type ConfigNode } from './node.ts';
import { parseYamlNode } from './yaml-node.ts';

const env = {
  HOST: 'example',
  PORT: '4317',
  FLAG: 'true',
  LIST: '[a, b]',
  NESTED: '${env:HOST}',
  NAMEVAR: 'HOST',
  LOOP: '${env:LOOP}',
  DOLLAR: 'a$$b',
  QUOTED: '"q"',
  EMPTY: '',
};

function expand(value: string, vars: NodeJS.ProcessEnv = env): { node: ConfigNode; issues: IssueList } {
  const issues = new IssueList();
  const root = parseYamlNode(`v: ${JSON.stringify(value)}\n`, 'test.yaml', issues);
  assert.ok(root?.kind === 'map');
  const out = expandTree(root, { env: vars, issues });
  assert.ok(out.kind === 'map');
  return { node: out.entries.get('v')!.value, issues };
}

const cases: [input: string, expected: unknown][] = [
  ['${env:HOST}:4317', 'example:4317'],
  ['${HOST}', 'example'], // bare form: the default scheme is env, as in current Go
  ['http://${HOST}:${env:PORT}/v1', 'http://example:4317/v1'],
  ['${env:PORT}', 4317], // a whole-value reference takes the YAML type of its content
  ['${env:FLAG}', true],
  ['${env:LIST}', ['a', 'b']],
  ['${env:QUOTED}', '"q"'], // content that reads as a string is used verbatim
  ['${env:MISSING:-4318}', 4318],
  ['${env:MISSING:-}', ''],
  ['${env:MISSING:-a:-b}', 'a:-b'],
  ['${env:HOST:-fallback}', 'example'],
  ['${env:EMPTY}', null],
  ['$${env:HOST}', '${env:HOST}'], // escaped
  ['$$${env:HOST}', '$example'], // an even number of $ before ${ does not escape
  ['$${a} ${env:HOST}', '${a} example'],
  ['pa$$word', 'pa$word'],
  ['$HOST', '$HOST'], // no brace-less expansion
  ['${env:NESTED}', 'example'], // a value holding a reference is expanded again
  ['${env:${env:NAMEVAR}}', 'example'],
  ['${env:DOLLAR}', 'a$b'],
  ['no refs } here', 'no refs } here'],
];

for (const [input, expected] of cases) {
  test(`expands ${input}`, () => {
    const { node, issues } = expand(input);
    assert.deepEqual(toPlain(node), expected);
    assert.deepEqual(issues.items, []);
  });
}

test('a typed whole value keeps its text for string fields', () => {
  const { node } = expand('${env:PORT}');
  assert.ok(node.kind === 'scalar');
  assert.equal(node.original, '4317');
  assert.deepEqual(node.source, { file: 'test.yaml', line: 1, column: 4 });
});

test('an unset variable expands to empty with a warning naming it and its location', () => {
  for (const [input, expected] of [
    ['${env:MISSING}', null],
    ['x${MISSING}y', 'xy'],
  ] as const) {
    const { node, issues } = expand(input);
    assert.equal(toPlain(node), expected);
    assert.equal(issues.items.length, 1);
    const w = issues.items[0]!;
    assert.equal(w.severity, 'warning');
    assert.equal(w.code, 'TG_CONFIG_ENV_UNSET');
    assert.equal(w.path, 'v');
    assert.equal(w.source?.line, 1);
    assert.match(w.message, /environment variable MISSING is not set/);
    assert.match(w.hint ?? '', /\$\{env:MISSING:-value\}/);
  }
});

const errors: [input: string, message: RegExp][] = [
  ['${foo:bar}', /scheme "foo" is not supported/],
  ['x ${http://example.com} y', /scheme "http" is not supported/],
  ['${env:BAD-NAME}', /environment variable "BAD-NAME" has an invalid name/],
  ['${}', /environment variable "" has an invalid name/],
  ['${env:LOOP}', /too many recursive expansions/],
  ['${file:/nonexistent/telegate/x}', /cannot read the file \(ENOENT\)/],
];

for (const [input, message] of errors) {
  test(`reports ${input} as an error at its location`, () => {
    const { node, issues } = expand(input);
    assert.equal(toPlain(node), input, 'the value is left as written');
    assert.equal(issues.items.length, 1);
    const err = issues.items[0]!;
    assert.equal(err.severity, 'error');
    assert.equal(err.code, 'TG_CONFIG_EXPAND');
    assert.equal(err.path, 'v');
    assert.deepEqual(err.source, { file: 'test.yaml', line: 1, column: 4 });
    assert.match(err.message, message);
    assert.match(err.hint ?? '', /\$\{env:NAME\}/);
  });
}

test('${file:path} reads the file as YAML; keys are never expanded', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tg-expand-'));
  try {
    const file = join(dir, 'v.yaml');
    writeFileSync(file, 'a: 1\nb: [x]\n');
    const issues = new IssueList();
    const root = parseYamlNode(
      `\${env:HOST}:\n  inc: \${file:${file}}\n  list:\n    - \${env:PORT}\n    - x\${HOST}\n`,
      't.yaml',
      issues,
    )!;
    assert.deepEqual(toPlain(expandTree(root, { env, issues })), {
      '${env:HOST}': { inc: { a: 1, b: ['x'] }, list: [4317, 'xexample'] },
    });
    assert.deepEqual(issues.items, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
