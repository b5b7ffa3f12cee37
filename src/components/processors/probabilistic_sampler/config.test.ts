import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUILTIN_FACTORIES } from '../../builtin.ts';
import { loadConfig, registryOf } from '../../../config/load-config.ts';
import { probabilisticSamplerFactory } from './factory.ts';

/** Every error of a config with this processor in a traces (or `signal`) pipeline, with path and line. */
async function errors(processor: string, signal = 'traces'): Promise<string[]> {
  const yaml = `receivers: { otlp: { protocols: { grpc: { endpoint: 127.0.0.1:0 } } } }
exporters: { debug: {} }
processors:
  probabilistic_sampler:
${processor
  .split('\n')
  .map((l) => `    ${l}`)
  .join('\n')}
service:
  pipelines: { ${signal}: { receivers: [otlp], processors: [probabilistic_sampler], exporters: [debug] } }
`;
  const { issues } = await loadConfig({ configs: [`yaml:${yaml}`], sets: [], registry: registryOf(BUILTIN_FACTORIES) });
  return issues.filter((i) => i.severity === 'error').map((i) => `${i.path} @${i.source?.line ?? 0}: ${i.message}`);
}

test("Go's defaults: mode unset (hash_seed), fail_closed true, precision 4, percentage 0 — and they validate", async () => {
  const props = (probabilisticSamplerFactory.configSchema as any).properties;
  assert.equal(props.sampling_percentage.default, 0);
  assert.equal(props.hash_seed.default, 0);
  assert.equal(props.mode.default, undefined);
  assert.equal(props.fail_closed.default, true);
  assert.equal(props.sampling_precision.default, 4);
  assert.equal(props.attribute_source.default, 'traceID');
  for (const [k, v] of Object.entries(props as Record<string, { description?: string }>)) assert.ok(v.description, k);
  assert.deepEqual(await errors('{}'), []);
  assert.deepEqual(
    await errors('sampling_percentage: 15.3\nhash_seed: 22\nmode: proportional\nsampling_precision: 14'),
    [],
  );
  assert.deepEqual(await errors('sampling_percentage: 250'), []);
});

test('bad values are refused at validate with the YAML path, line and Go’s message', async () => {
  const rows: [yaml: string, expected: RegExp][] = [
    [
      'sampling_percentage: -1',
      /processors\.probabilistic_sampler\.sampling_percentage @5: sampling rate is negative: -1\.000000%/,
    ],
    ['sampling_percentage: .nan', /sampling_percentage @5: sampling rate is invalid: NaN%/],
    ['sampling_percentage: .inf', /sampling_percentage @5: sampling rate is invalid: \+Inf%/],
    ['sampling_percentage: 1e-20', /sampling_percentage @5: sampling rate is too small: 1e-20%/],
    ['mode: downsample', /processors\.probabilistic_sampler\.mode @5: the string "downsample" is not allowed/],
    ['sampling_precision: 0', /sampling_precision @5: invalid sampling precision: 0/],
    ['sampling_precision: 15', /sampling_precision @5: sampling precision is too great, should be <= 14: 15/],
    ['hash_seed: -3', /hash_seed @5:/],
    ['attribute_source: span', /attribute_source @5:/],
  ];
  for (const [yaml, expected] of rows) {
    const found = await errors(yaml);
    assert.equal(found.length, 1, `${yaml}: ${found.join('; ')}`);
    assert.match(found[0] ?? '', expected);
  }
});

test('traces only: a logs pipeline naming it is refused', async () => {
  const found = await errors('sampling_percentage: 10', 'logs');
  assert.ok(
    found.some((e) => /probabilistic_sampler/.test(e) && /logs/.test(e)),
    found.join('; '),
  );
});

test('a percentage above 100 is valid, as in Go, and validate says every trace is kept', () => {
  const notes = (pct: number): readonly string[] =>
    probabilisticSamplerFactory.notes?.({ sampling_percentage: pct }) ?? [];
  assert.deepEqual(notes(100), []);
  assert.match(notes(150).join('\n'), /sampling_percentage 150 is above 100: every trace is kept/);
});
