// The conformance suite run over every built-in factory (STYLE.md rule 1): its schema documents
// every field, its default config validates (where Go's does), and a created component can be
// started and shut down, twice, with shutdown safe before start.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Component, Factory, Host } from '../contracts/component.ts';
import type { Consumer } from '../contracts/consumer.ts';
import { BUILTIN_FACTORIES } from './builtin.ts';
import { validateConfig } from '../config/validate.ts';
import { fromPlain } from '../config/node.ts';
import { RecordingConsumer, testHost, testSettings } from '../../test/helpers/fakes.ts';

/** Factories whose default config is invalid on purpose, as in the Go collector. */
const DEFAULT_INVALID: Record<string, RegExp> = {
  'processor/resource': /missing required field "attributes"/,
  'exporter/otlp': /endpoint/,
  'receiver/otlp': /must specify at least one protocol/,
  'extension/bearertokenauth': /no bearer token provided/,
  'extension/basicauth': /no credential source provided/,
  'exporter/jaeger_storage_exporter': /trace_storage is required/,
  'extension/jaeger_query': /storage.traces is required/,
};

/** Minimal settings that let a component start on loopback without a peer. */
const START_CONFIG: Record<string, unknown> = {
  'receiver/otlp': { protocols: { grpc: { endpoint: '127.0.0.1:0' }, http: { endpoint: '127.0.0.1:0' } } },
  'processor/resource': { attributes: [{ key: 'k8s.cluster.name', value: 'edge', action: 'insert' }] },
  // Go's default (serviceAccount) fails at start outside a cluster; passthrough needs no API server.
  'processor/k8sattributes': { passthrough: true },
  'exporter/otlp': { endpoint: '127.0.0.1:1', tls: { insecure: true } },
  'extension/bearertokenauth': { token: 'conformance' },
  'extension/basicauth': { htpasswd: { inline: 'user-1:1234' } },
  'exporter/jaeger_storage_exporter': { trace_storage: 'some_store' },
  'extension/jaeger_query': { storage: { traces: 'some_store' }, http: { endpoint: '127.0.0.1:0' } },
};

/** Extensions a component finds through the host when it starts (the Jaeger components' storage). */
function startHost(key: string): Host {
  if (key !== 'exporter/jaeger_storage_exporter' && key !== 'extension/jaeger_query') return testHost();
  const storage = BUILTIN_FACTORIES.find((f) => f.type === 'jaeger_storage');
  assert.ok(storage?.kind === 'extension');
  const config = validated(storage, { backends: { some_store: { memory: { max_traces: 10 } } } });
  return testHost({ jaeger_storage: storage.create(testSettings('extension', 'jaeger_storage'), config) });
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
  test(`${key}: every config field has a description`, () => {
    assert.deepEqual(undocumented(f.configSchema, f.type, []), []);
    assert.ok(f.description.length > 10, 'the factory describes itself');
  });

  test(`${key}: the default config ${DEFAULT_INVALID[key] ? 'is refused as in Go' : 'validates'}`, () => {
    const expected = DEFAULT_INVALID[key];
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
    const config = validated(f, START_CONFIG[key]);
    await create(f, config).shutdown();
    for (let round = 0; round < 2; round++) {
      const c = create(f, config);
      await c.start(startHost(key));
      await c.shutdown();
      await c.shutdown();
    }
  });
}
