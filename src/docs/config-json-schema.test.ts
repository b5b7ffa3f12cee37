// The editor schema accepts what telegate accepts (the examples, every component's conformance
// config, `${env:…}` references, YAML's empty values) and flags what an editor should flag (an
// unknown component type or key, a wrong type, a bad duration, a pipeline naming an unknown type).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Schema from 'typebox/schema';
import { parse } from 'yaml';
import { BUILTIN_FACTORIES } from '../components/builtin.ts';
import { configJsonSchema, toEditorSchema } from './config-json-schema.ts';

const root = new URL('../../', import.meta.url).pathname;
const schema = configJsonSchema(BUILTIN_FACTORIES);
const check = (config: unknown): boolean => Schema.Check(schema as Schema.XSchema, config);

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? yamlFiles(join(dir, e.name)) : e.name.endsWith('.yaml') ? [join(dir, e.name)] : [],
  );
}

test('every example config is valid', () => {
  // examples/k8s/ holds `telegate k8s render` specs, not collector configs.
  const files = yamlFiles(join(root, 'examples')).filter((f) => !f.includes('/examples/k8s/'));
  assert.ok(files.length >= 2);
  for (const file of files) assert.ok(check(parse(readFileSync(file, 'utf8'))), file);
});

test("every component's conformance config is valid under its id, also as type/name", () => {
  for (const f of BUILTIN_FACTORIES) {
    const file = join(root, 'src/components', `${f.kind}s`, f.type, 'testdata', 'conformance.yaml');
    const data = existsSync(file) ? ((parse(readFileSync(file, 'utf8')) ?? {}) as Record<string, unknown>) : {};
    const config = data['start_config'] ?? null;
    assert.ok(check({ [`${f.kind}s`]: { [f.type]: config, [`${f.type}/two`]: config } }), `${f.kind} ${f.type}`);
  }
});

test('an editor is told about unknown types and keys, wrong types and bad durations', () => {
  const rows: [unknown, boolean][] = [
    [{ receivers: { otlp: null }, exporters: { 'debug/x': {} } }, true],
    [{ processors: { batch: { timeout: '1m30s', send_batch_size: '${env:BATCH}' } } }, true],
    [{ service: { pipelines: { 'traces/edge': { receivers: ['otlp/a'], exporters: ['otlp'] } } } }, true],
    [{ receivers: { otlpx: {} } }, false],
    [{ processors: { batch: { timeout: 'soon' } } }, false],
    [{ processors: { batch: { send_batch_size: 'many' } } }, false],
    [{ exporters: { debug: { verbosity: 'loud' } } }, false],
    [{ extensions: { health_check: { endpoint: 13133 } } }, false],
    [{ service: { pipelines: { spans: {} } } }, false],
    [{ service: { pipelines: { traces: { receivers: ['zipkin'] } } } }, false],
    [{ service: { extensions: ['otlp'] } }, false],
    [{ connectors: { forward: {} } }, false],
    [{ recievers: {} }, false],
  ];
  for (const [config, valid] of rows) assert.equal(check(config), valid, JSON.stringify(config));
});

test('telegate markers become plain JSON Schema', () => {
  assert.deepEqual(toEditorSchema({ 'x-tg': 'secret', description: 'p' }), { description: 'p', type: 'string' });
  assert.deepEqual(toEditorSchema({ 'x-tg': 'any', description: 'v' }), { description: 'v' });
  assert.deepEqual(toEditorSchema({ 'x-tg': 'bytes', description: 's' }), {
    description: 's',
    type: ['integer', 'string'],
  });
  assert.deepEqual(toEditorSchema({ 'x-tg': 'stringMap', description: 'h' }), {
    description: 'h',
    type: ['object', 'null'],
    additionalProperties: { type: 'string' },
  });
  assert.deepEqual(toEditorSchema(undefined), {});
});
