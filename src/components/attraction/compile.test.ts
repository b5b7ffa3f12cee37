import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileActions } from './compile.ts';
import type { ActionConfig } from './config.ts';
import { compileGoPattern } from './regex.ts';

const P = 'error creating AttrProc';

/** Every error Go's NewAttrProc returns, for the action at index 0. */
const ERRORS: [ActionConfig, string][] = [
  [{ action: 'insert', value: 1 }, `${P} due to missing required field "key" at the 0-th actions`],
  [{ key: 'k' }, `${P} due to unsupported action "" at the 0-th actions`],
  [{ key: 'k', action: 'Nope' }, `${P} due to unsupported action "nope" at the 0-th actions`],
  [
    { action: 'delete' },
    `${P} due to missing required field (at least one of "key" and "pattern" have to be used) at the 0-th actions`,
  ],
  [
    { action: 'hash' },
    `${P} due to missing required field (at least one of "key" and "pattern" have to be used) at the 0-th actions`,
  ],
  [
    { key: 'k', action: 'insert' },
    `${P}. Either field "value", "from_attribute" or "from_context" setting must be specified for 0-th action`,
  ],
  [
    { key: 'k', action: 'upsert', value: 'v', from_attribute: 'a' },
    `${P} due to multiple value sources being set at the 0-th actions`,
  ],
  [
    { key: 'k', action: 'update', from_context: 'c', from_attribute: 'a' },
    `${P} due to multiple value sources being set at the 0-th actions`,
  ],
  [
    { key: 'k', action: 'insert', value: 'v', pattern: 'x' },
    `${P}. Action "insert" does not use the "pattern" field. This must not be specified for 0-th action`,
  ],
  [
    { key: 'k', action: 'insert', value: 'v', converted_type: 'int' },
    `${P}. Action "insert" does not use the "converted_type" field. This must not be specified for 0-th action`,
  ],
  [{ key: 'k', action: 'insert', value: new Date(0) }, '<Invalid value type object>'],
  [
    { key: 'k', action: 'delete', value: 'v' },
    `${P}. Action "delete" does not use "value" or "from_attribute" field. These must not be specified for 0-th action`,
  ],
  [
    { key: 'k', action: 'hash', from_attribute: 'a' },
    `${P}. Action "hash" does not use "value" or "from_attribute" field. These must not be specified for 0-th action`,
  ],
  [
    { key: 'k', action: 'delete', pattern: '(' },
    `${P}. Field "pattern" has invalid pattern: "(" to be set at the 0-th actions`,
  ],
  [
    { key: 'k', action: 'hash', converted_type: 'int' },
    `${P}. Action "hash" does not use the "converted_type" field. This must not be specified for 0-th action`,
  ],
  [
    { key: 'k', action: 'extract', value: 'v', pattern: '(?P<a>.)' },
    `${P}. Action "extract" does not use a value source field. These must not be specified for 0-th action`,
  ],
  [
    { key: 'k', action: 'extract' },
    `${P} due to missing required field "pattern" for action "extract" at the 0-th action`,
  ],
  [
    { key: 'k', action: 'extract', pattern: '(?P<a>.)', converted_type: 'int' },
    `${P}. Action "extract" does not use the "converted_type" field. This must not be specified for 0-th action`,
  ],
  [
    { key: 'k', action: 'extract', pattern: '[' },
    `${P}. Field "pattern" has invalid pattern: "[" to be set at the 0-th actions`,
  ],
  [
    { key: 'k', action: 'extract', pattern: 'abc' },
    `${P}. Field "pattern" contains no named matcher groups at the 0-th actions`,
  ],
  [
    { key: 'k', action: 'extract', pattern: '(?P<a>.)(b)' },
    `${P}. Field "pattern" contains at least one unnamed matcher group at the 0-th actions`,
  ],
  [
    { key: 'k', action: 'convert', from_attribute: 'a', converted_type: 'int' },
    `${P}. Action "convert" does not use value sources or "pattern" field. These must not be specified for 0-th action`,
  ],
  [
    { key: 'k', action: 'convert', pattern: 'x', converted_type: 'int' },
    `${P}. Action "convert" does not use value sources or "pattern" field. These must not be specified for 0-th action`,
  ],
  [
    { key: 'k', action: 'convert' },
    `${P} due to missing required field "converted_type" for action "convert" at the 0-th action`,
  ],
  [
    { key: 'k', action: 'convert', converted_type: 'bool' },
    `${P} due to invalid value "bool" in field "converted_type" for action "convert" at the 0-th action`,
  ],
];

for (const [cfg, message] of ERRORS) {
  test(`invalid action ${JSON.stringify(cfg)} → ${message}`, () => {
    const r = compileActions([cfg]);
    assert.ok(!r.ok);
    assert.deepEqual(r.errors, [[0, message]]);
  });
}

test('each invalid action is reported with its own index; valid ones compile', () => {
  const r = compileActions([{ key: 'a', action: 'insert', value: 1 }, { action: 'insert' }, { key: 'b', action: 'x' }]);
  assert.deepEqual(!r.ok && r.errors.map((e) => e[0]), [1, 2]);
  const ok = compileActions([
    { key: 'a', action: 'UPSERT', value: 'v' },
    { pattern: '^x', action: 'delete', from_context: 'ignored by Go' },
    { key: 'k', action: 'convert', converted_type: 'double' },
  ]);
  assert.ok(ok.ok);
  assert.deepEqual(
    ok.actions.map((a) => a.action),
    ['upsert', 'delete', 'convert'],
  );
});

test('value: null counts as no value, as a nil interface in Go', () => {
  const r = compileActions([{ key: 'k', action: 'insert', value: null, from_attribute: 'a' }]);
  assert.ok(r.ok);
});

test('Go regular expressions: (?P<name>), leading flags, \\A and \\z', () => {
  const p = compileGoPattern('(?i)^(?P<first>[a-z]+)-(?<second>\\d+)\\z');
  assert.ok(p);
  assert.deepEqual(p.groupNames, ['first', 'second']);
  assert.deepEqual(p.regex.exec('ABC-12')?.slice(1), ['ABC', '12']);
  assert.equal(p.regex.test('abc-12\n'), false);
  assert.ok(compileGoPattern('\\Afoo')?.regex.test('foo'));
  assert.deepEqual(compileGoPattern('(a)(?:b)(?=c)(?P<n>d)[(]')?.groupNames, [undefined, 'n']);
  assert.ok(compileGoPattern('\\pL'), 'unicode classes compile');
  assert.ok(compileGoPattern('a\\-b'), 'escapes Go accepts but unicode mode rejects still compile');
  assert.equal(compileGoPattern('(?U)a+'), undefined);
  assert.equal(compileGoPattern('(unclosed'), undefined);
});
