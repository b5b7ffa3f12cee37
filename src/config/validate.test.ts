// The schema validator: Go mapstructure semantics (defaults, empty keys, unknown keys, strict
// types), the x-tg primitives (durations, sizes, optional blocks, secrets, string maps), unions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Type, { type TSchema } from 'typebox';
import { validateConfig } from './validate.ts';
import { IssueList } from './issues.ts';
import { scalar, type ConfigNode } from './node.ts';
import { parseYamlNode } from './yaml-node.ts';
import { AnyValue, Bytes, Duration, OptionalBlock, SecretString, SecretMap } from './blocks/primitives.ts';
import { Secret } from '../util/secret.ts';

function yaml(text: string): ConfigNode {
  const issues = new IssueList();
  const node = parseYamlNode(text, 'v.yaml', issues);
  assert.deepEqual(issues.items, []);
  return node!;
}

function run(schema: TSchema, text: string) {
  return validateConfig(schema, yaml(text), 'c', { file: 'v.yaml', line: 1, column: 1 });
}

const Server = Type.Object({
  endpoint: Type.String({ default: '0.0.0.0:4317', description: 'e' }),
  size: Type.Integer({ minimum: 1, maximum: 64, default: 4, description: 's' }),
  tls: Type.Object({
    insecure: Type.Boolean({ default: false, description: 'i' }),
    ca_file: Type.Optional(Type.String({ description: 'c' })),
  }),
  auth: Type.Optional(Type.Object({ authenticator: Type.String({ description: 'a' }) })),
});
const Protocols = Type.Object({
  grpc: OptionalBlock(Server),
  http: OptionalBlock(Type.Object({ endpoint: Type.String({ default: '0.0.0.0:4318', description: 'e' }) })),
});

const grpcDefaults = { endpoint: '0.0.0.0:4317', size: 4, tls: { insecure: false } };

test('defaults: missing keys take them, empty keys keep them, optional keys stay absent', () => {
  assert.deepEqual(run(Server, '{}').value, grpcDefaults);
  assert.deepEqual(run(Server, 'endpoint:\nsize: ~\ntls:\n').value, grpcDefaults);
  assert.deepEqual(run(Server, 'tls:\n  ca_file: ca.pem\nauth:\n  authenticator: basicauth\n').value, {
    ...grpcDefaults,
    tls: { insecure: false, ca_file: 'ca.pem' },
    auth: { authenticator: 'basicauth' },
  });
  assert.deepEqual(
    validateConfig(Server, undefined, 'c', undefined).value,
    grpcDefaults,
    'an absent config is the defaults',
  );
});

test('an optional block is off when absent and on with defaults when written empty', () => {
  assert.deepEqual(run(Protocols, '{}').value, {});
  assert.deepEqual(run(Protocols, 'grpc:\n').value, { grpc: grpcDefaults });
  assert.deepEqual(run(Protocols, 'grpc: {}\nhttp:\n  endpoint: ":4318"\n').value, {
    grpc: grpcDefaults,
    http: { endpoint: ':4318' },
  });
});

test('unknown keys: did you mean, and the valid keys in the hint', () => {
  const r = run(Server, 'endpont: x\nzzzzzz: 1\n');
  assert.equal(r.value, undefined);
  assert.deepEqual(
    r.issues.map((i) => [i.path, i.source?.line, i.code]),
    [
      ['c.endpont', 1, 'TG_CONFIG_UNKNOWN_KEY'],
      ['c.zzzzzz', 2, 'TG_CONFIG_UNKNOWN_KEY'],
    ],
  );
  assert.equal(r.issues[0]!.message, 'unknown key `endpont`; did you mean `endpoint`?');
  assert.equal(r.issues[1]!.message, 'unknown key `zzzzzz`');
  assert.equal(r.issues[1]!.hint, 'Valid keys here: auth, endpoint, size, tls.');
});

test('types are strict as Go decodes them; every problem is reported', () => {
  const r = run(Server, 'endpoint: 4317\nsize: "4"\ntls:\n  insecure: "yes"\nauth: {}\n');
  assert.deepEqual(
    r.issues.map((i) => [i.path, i.source?.line, i.message]),
    [
      ['c.endpoint', 1, 'expected a string, got the number 4317'],
      ['c.size', 2, 'expected an integer, got the string "4"'],
      ['c.tls.insecure', 4, 'expected true or false, got the string "yes"'],
      ['c.auth.authenticator', 5, 'missing required key `authenticator`'],
    ],
  );
  assert.ok(r.issues.every((i) => i.hint !== undefined));
});

test('numbers are checked against their bounds', () => {
  assert.match(run(Server, 'size: 65').issues[0]?.message ?? '', /65 is out of range: must be at most 64/);
  assert.match(run(Server, 'size: 0').issues[0]?.message ?? '', /must be at least 1/);
  assert.match(run(Server, 'size: 1.5').issues[0]?.message ?? '', /expected an integer, got 1.5/);
});

test('a whole ${env:X} value is its text in a string field and its number in a number field', () => {
  const fromEnv = scalar(123, { file: 'v.yaml', line: 3, column: 9 }, '0123');
  const schema = Type.Object({ s: Type.String({ description: 's' }), n: Type.Integer({ description: 'n' }) });
  const node: ConfigNode = {
    kind: 'map',
    source: undefined,
    entries: new Map([
      ['s', { keySource: undefined, value: fromEnv }],
      ['n', { keySource: undefined, value: fromEnv }],
    ]),
  };
  assert.deepEqual(validateConfig(schema, node, 'c', undefined).value, { s: '0123', n: 123 });
});

const Timing = Type.Object({
  d: Duration({ default: '5s', description: 'd' }),
  b: Bytes({ default: '4MiB', description: 'b' }),
});

const durations: [string, number][] = [
  ['200ms', 200],
  ['1h2m3.5s', 3_723_500],
  ['1.5s', 1500],
  ['.5m', 30_000],
  ['1500us', 1.5],
  ['2µs', 0.002],
  ['250ns', 0.00025],
  ['0', 0],
  ['-1s', -1000],
  ['1500000', 1.5],
  ['5', 0.000005],
  ['"1m"', 60_000],
  // Past Node's longest timer (about 24.8 days) a timer would fire after 1 ms: capped where it enters.
  ['1000h', 2 ** 31 - 1],
  ['3600000000000000', 2 ** 31 - 1],
];
for (const [text, ms] of durations) {
  test(`duration ${text} is ${ms} ms`, () => {
    const r = run(Timing, `d: ${text}`);
    assert.deepEqual(r.issues, []);
    assert.deepEqual(r.value, { d: ms, b: 4 * 1024 * 1024 });
  });
}

const badDurations: [string, RegExp][] = [
  ['"5"', /"5" is not a duration/],
  ['1d', /unknown unit "d"/],
  ['s', /a number must come before "s"/],
  ['1.5', /must be whole/],
  ['true', /expected a duration such as 200ms, 5s or 1m30s, got the boolean true/],
  ['"1h 2m"', /not a duration/],
];
for (const [text, message] of badDurations) {
  test(`duration ${text} is rejected`, () => {
    const r = run(Timing, `d: ${text}`);
    assert.equal(r.value, undefined);
    assert.equal(r.issues.length, 1);
    assert.equal(r.issues[0]!.path, 'c.d');
    assert.match(r.issues[0]!.message, message);
  });
}

const sizes: [string, number][] = [
  ['1024', 1024],
  ['512KiB', 524_288],
  ['4MiB', 4_194_304],
  ['1GB', 1e9],
  ['1G', 1e9],
  ['1Gi', 2 ** 30],
  ['1.5KiB', 1536],
  ['10 kb', 10_000],
  ['7B', 7],
];
for (const [text, bytes] of sizes) {
  test(`size ${text} is ${bytes} bytes`, () => {
    assert.deepEqual(run(Timing, `b: ${text}`).value, { d: 5000, b: bytes });
  });
}
for (const text of ['-1', '1.5', 'lots', '12 parsecs', '"MiB"', '[1]']) {
  test(`size ${text} is rejected`, () => {
    const r = run(Timing, `b: ${text}`);
    assert.equal(r.value, undefined);
    assert.equal(r.issues[0]?.path, 'c.b');
  });
}

test('a list of strings also accepts a comma-separated string, as Go does', () => {
  const schema = Type.Object({ l: Type.Array(Type.String({ description: 'x' }), { description: 'l' }) });
  assert.deepEqual(run(schema, 'l: a,b').value, { l: ['a', 'b'] });
  assert.deepEqual(run(schema, 'l: [a, b]').value, { l: ['a', 'b'] });
  assert.match(run(schema, 'l: [a, {x: 1}]').issues[0]?.message ?? '', /expected a string, got a map/);
  assert.equal(run(schema, 'l: [a, {x: 1}]').issues[0]?.path, 'c.l[1]');
});

test('unions report the problems of the branch that fits, not "no branch matched"', () => {
  const schema = Type.Object({
    u: Type.Union([Type.String({ description: 's' }), Type.Object({ n: Type.Integer({ description: 'n' }) })]),
  });
  assert.deepEqual(run(schema, 'u: text').value, { u: 'text' });
  assert.deepEqual(run(schema, 'u: {n: 2}').value, { u: { n: 2 } });
  const nested = run(schema, 'u:\n  n: two\n');
  assert.deepEqual(
    nested.issues.map((i) => [i.path, i.message]),
    [['c.u.n', 'expected an integer, got the string "two"']],
  );
  assert.equal(run(schema, 'u: [1]').issues[0]?.message, 'expected a string or a map, got a list');
});

test('secrets are checked as strings and never echoed', () => {
  const schema = Type.Object({
    password: SecretString({ description: 'p', minLength: 12 } as { description: string }),
  });
  const wrongType = run(schema, 'password: 123456');
  assert.equal(wrongType.issues[0]?.message, 'expected a string, got a number');
  assert.ok(!JSON.stringify(wrongType.issues).includes('123456'));
  const short = run(schema, 'password: hunter2');
  assert.ok(!JSON.stringify(short.issues).includes('hunter2'));
  assert.deepEqual(run(schema, 'password: correct-horse-battery').value, {
    password: new Secret('correct-horse-battery'),
  });
});

test('string maps, records and any values', () => {
  const schema = Type.Object({
    headers: Type.Optional(SecretMap({ description: 'h' })),
    routes: Type.Optional(
      Type.Record(Type.String(), Type.Object({ port: Type.Integer({ default: 80, description: 'p' }) })),
    ),
    value: Type.Optional(AnyValue({ description: 'v' })),
  });
  assert.deepEqual(
    run(schema, 'headers: {a: x, b: ""}\nroutes: {r1: {port: 1}, r2: }\nvalue: [1, {a: true}]\n').value,
    {
      headers: { a: new Secret('x'), b: new Secret('') },
      routes: { r1: { port: 1 }, r2: { port: 80 } },
      value: [1, { a: true }],
    },
  );
  const bad = run(schema, 'headers: {a: 1}\nroutes: {r1: {prt: 1}}\n');
  assert.deepEqual(
    bad.issues.map((i) => i.path),
    ['c.headers.a', 'c.routes.r1.prt'],
  );
});

test('enums and literal unions name the allowed values and the nearest one', () => {
  const schema = Type.Object({
    level: Type.Union([Type.Literal('basic'), Type.Literal('normal'), Type.Literal('detailed')], { default: 'basic' }),
    e: Type.Optional(Type.Enum(['a1', 'b2'])),
  });
  assert.deepEqual(run(schema, '{}').value, { level: 'basic' });
  const r = run(schema, 'level: detailled\ne: c3\n');
  assert.equal(r.issues[0]!.message, 'the string "detailled" is not allowed; did you mean `detailed`?');
  assert.equal(r.issues[0]!.hint, 'Use one of: basic, normal, detailed.');
  assert.equal(r.issues[1]?.path, 'c.e');
});
