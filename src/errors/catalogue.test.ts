import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { ERRORS, TelegateError, type ErrorCode } from './catalogue.ts';

const SRC = new URL('../', import.meta.url).pathname;
const ROOT = new URL('../../', import.meta.url).pathname;

/** Every non-test .ts file under src/ except the catalogue itself. */
function productionSources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...productionSources(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) out.push(path);
  }
  return out.filter((p) => relative(SRC, p) !== 'errors/catalogue.ts');
}

test('every catalogue code is used by the code it documents (a code nothing raises is a stale promise)', () => {
  const text = productionSources(SRC)
    .map((p) => readFileSync(p, 'utf8'))
    .join('\n');
  const unused = Object.keys(ERRORS).filter((code) => !new RegExp(`['.]${code}\\b`).test(text));
  assert.deepEqual(unused, [], `codes referenced nowhere in src/: ${unused.join(', ')}`);
});

test('every catalogue code is documented in the committed docs/errors.md with its statuses', () => {
  const doc = readFileSync(join(ROOT, 'docs/errors.md'), 'utf8');
  for (const [code, spec] of Object.entries(ERRORS)) {
    const row = doc.split('\n').find((line) => line.startsWith(`| \`${code}\` |`));
    assert.ok(row !== undefined, `${code} has a row in docs/errors.md (run \`npm run docs\`)`);
    assert.ok(row.includes(`| ${spec.http} |`), `${code}'s row gives HTTP ${spec.http}`);
  }
});

// The files that answer refused OTLP requests: their statuses come from the table, by code.
const REFUSAL_PATHS = [
  'components/receivers/otlp/auth-gate.ts',
  'components/receivers/otlp/export.ts',
  'components/receivers/otlp/http-auth.ts',
  'components/receivers/otlp/http-handler.ts',
  'components/receivers/otlp/status.ts',
  'transport/grpc-server-call.ts',
  'transport/grpc-server-reply.ts',
  'transport/http-server.ts',
];

test('the refusal paths take their statuses from the catalogue, never from literals', () => {
  const literal =
    /GrpcStatus\.(INVALID_ARGUMENT|RESOURCE_EXHAUSTED|UNAUTHENTICATED|PERMISSION_DENIED|UNAVAILABLE|INTERNAL|UNIMPLEMENTED)\b|\b[45]\d\d\b/;
  for (const file of REFUSAL_PATHS) {
    const code = readFileSync(join(SRC, file), 'utf8')
      .split('\n')
      .filter((line) => !/^\s*(\/\/|\*|\/\*\*)/.test(line));
    const hits = code.filter((line) => literal.test(line));
    assert.deepEqual(hits, [], `${file} hard-codes a status`);
  }
});

test('the statuses of the receiver refusals follow the OTLP specification', () => {
  // DESIGN.md §3: malformed → INVALID_ARGUMENT / 400, too large → RESOURCE_EXHAUSTED / 413,
  // unauthenticated → UNAUTHENTICATED / 401, back-pressure → UNAVAILABLE / 503 (and retryable).
  const expected: [ErrorCode, number, number, boolean][] = [
    ['TG_OTLP_MALFORMED', 3, 400, false],
    ['TG_OTLP_TOO_LARGE', 8, 413, false],
    ['TG_OTLP_UNSUPPORTED_MEDIA_TYPE', 13, 415, false],
    ['TG_AUTH_UNAUTHENTICATED', 16, 401, false],
    ['TG_AUTH_THROTTLED', 8, 429, true],
    ['TG_PIPELINE_BUSY', 14, 503, true],
    ['TG_SHUTTING_DOWN', 14, 503, true],
  ];
  for (const [code, grpc, http, retryable] of expected) {
    assert.deepEqual([ERRORS[code].grpc, ERRORS[code].http, ERRORS[code].retryable], [grpc, http, retryable], code);
  }
});

test('a TelegateError carries its code, spec, cause and advised delay', () => {
  const cause = new Error('inner');
  const err = new TelegateError('TG_PIPELINE_BUSY', 'queue full', { cause, retryAfterMs: 250 });
  assert.equal(err.code, 'TG_PIPELINE_BUSY');
  assert.equal(err.spec, ERRORS.TG_PIPELINE_BUSY);
  assert.equal(err.cause, cause);
  assert.equal(err.retryAfterMs, 250);
  assert.equal(err.name, 'TelegateError');
});
