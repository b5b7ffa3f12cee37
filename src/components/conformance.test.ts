// The conformance suite run over every built-in factory (STYLE.md rule 1): its schema documents
// every field, its default config validates (where Go's does), and a created component can be
// started and shut down, twice, with shutdown safe before start. What a component needs for that
// (a start config, an expected refusal) lives in its folder: testdata/conformance.yaml.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { Component, Factory, Host } from '../contracts/component.ts';
import type { Consumer } from '../contracts/consumer.ts';
import { BUILTIN_FACTORIES } from './builtin.ts';
import { validateConfig } from '../config/validate.ts';
import { fromPlain } from '../config/node.ts';
import { RecordingConsumer, testHost, testSettings } from '../../test/helpers/fakes.ts';

/** What a component's `testdata/conformance.yaml` says; every key is optional. */
interface ConformanceData {
  /** The default config is refused on purpose (as in Go) with a message matching this. */
  readonly defaultInvalid: RegExp | undefined;
  /** The config for the create → start → shutdown check; the default config when absent. */
  readonly startConfig: unknown;
  /** Extensions the component finds through the host when it starts: type → config. */
  readonly hostExtensions: Record<string, unknown>;
}

const KNOWN_KEYS = ['default_invalid', 'start_config', 'host_extensions'];

/** The component's folder, named after its kind and type (STYLE.md: one component, one folder). */
function folderOf(f: Factory): string {
  return fileURLToPath(new URL(`./${f.kind}s/${f.type}/`, import.meta.url));
}

/** Reads the component's own conformance data, so adding a component never edits this file. */
function conformanceData(f: Factory): ConformanceData {
  const file = join(folderOf(f), 'testdata', 'conformance.yaml');
  const raw: Record<string, unknown> = existsSync(file) ? (parse(readFileSync(file, 'utf8')) ?? {}) : {};
  const unknown = Object.keys(raw).filter((k) => !KNOWN_KEYS.includes(k));
  assert.deepEqual(unknown, [], `${file}: unknown keys (known: ${KNOWN_KEYS.join(', ')})`);
  const pattern = raw['default_invalid'];
  assert.ok(pattern === undefined || typeof pattern === 'string', `${file}: default_invalid is a pattern`);
  return {
    defaultInvalid: pattern === undefined ? undefined : new RegExp(pattern),
    startConfig: raw['start_config'],
    hostExtensions: (raw['host_extensions'] ?? {}) as Record<string, unknown>,
  };
}

/** A host holding the extensions the data names, each made by its built-in factory. */
function startHost(data: ConformanceData): Host {
  const extensions: Record<string, Component> = {};
  for (const [type, raw] of Object.entries(data.hostExtensions)) {
    const factory = BUILTIN_FACTORIES.find((f) => f.kind === 'extension' && f.type === type);
    assert.ok(factory?.kind === 'extension', `host extension ${type} is a built-in extension`);
    extensions[type] = factory.create(testSettings('extension', type), validated(factory, raw));
  }
  return testHost(extensions);
}

function undocumented(schema: unknown, path: string, out: string[]): string[] {
  if (typeof schema !== 'object' || schema === null) return out;
  const s = schema as { properties?: Record<string, unknown>; items?: unknown; anyOf?: unknown[] };
  for (const [key, sub] of Object.entries(s.properties ?? {})) {
    const desc = (sub as { description?: unknown }).description;
    if (typeof desc !== 'string' || desc.trim() === '') out.push(`${path}.${key}`);
    undocumented(sub, `${path}.${key}`, out);
  }
  if (s.items !== undefined) undocumented(s.items, `${path}[]`, out);
  for (const alt of s.anyOf ?? []) undocumented(alt, path, out);
  return out;
}

function validated(f: Factory, raw: unknown): unknown {
  const node = raw === undefined ? undefined : fromPlain(raw, undefined);
  const result = validateConfig(f.configSchema, node, `${f.kind}s.${f.type}`, undefined);
  const errors = result.issues.filter((i) => i.severity === 'error').map((i) => `${i.path}: ${i.message}`);
  const rules = result.value === undefined ? [] : (f.validate?.(result.value) ?? []).map(([p, m]) => `${p}: ${m}`);
  assert.deepEqual([...errors, ...rules], [], `${f.kind} ${f.type} config problems`);
  return result.value;
}

function create(f: Factory, config: unknown): Component {
  const settings = testSettings(f.kind, f.type);
  const next: Consumer = new RecordingConsumer();
  switch (f.kind) {
    case 'receiver':
      return f.create(settings, config, { traces: next, metrics: next, logs: next });
    case 'processor':
      return f.create(settings, config, 'traces', next);
    case 'exporter':
      return f.create(settings, config, 'traces');
    case 'extension':
      return f.create(settings, config);
  }
}

for (const f of BUILTIN_FACTORIES) {
  const key = `${f.kind}/${f.type}`;
  const data = conformanceData(f);
  test(`${key}: lives in its own folder, with a README`, () => {
    assert.ok(existsSync(join(folderOf(f), 'factory.ts')), `${folderOf(f)}factory.ts`);
    assert.ok(existsSync(join(folderOf(f), 'README.md')), `${folderOf(f)}README.md`);
  });

  test(`${key}: every config field has a description`, () => {
    assert.deepEqual(undocumented(f.configSchema, f.type, []), []);
    assert.ok(f.description.length > 10, 'the factory describes itself');
  });

  test(`${key}: the default config ${data.defaultInvalid ? 'is refused as in Go' : 'validates'}`, () => {
    const expected = data.defaultInvalid;
    if (!expected) {
      validated(f, undefined);
      return;
    }
    const result = validateConfig(f.configSchema, undefined, f.type, undefined);
    const messages = [
      ...result.issues.map((i) => i.message),
      ...(result.value === undefined ? [] : (f.validate?.(result.value) ?? []).map(([, m]) => m)),
    ];
    assert.ok(
      messages.some((m) => expected.test(m)),
      `expected ${expected} among ${JSON.stringify(messages)}`,
    );
  });

  test(`${key}: create, start and shutdown work twice; shutdown before start is safe`, async () => {
    const config = validated(f, data.startConfig);
    await create(f, config).shutdown();
    for (let round = 0; round < 2; round++) {
      const c = create(f, config);
      await c.start(startHost(data));
      await c.shutdown();
      await c.shutdown();
    }
  });
}
