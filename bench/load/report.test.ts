// The figures, targets and warnings derived from a measurement.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { baselineOf, defaultBaselineOf, figures, headline, medianRun, rows, verdicts } from './report.ts';
import type { Measurement } from './scenario.ts';

function measurement(over: Partial<Measurement>): Measurement {
  return {
    name: 'telegate',
    label: 'x',
    windowS: 10,
    spans: 10_000_000,
    ackedSpans: 10_000_000,
    clientCalls: 10_000,
    clientErrors: 0,
    errorSamples: {},
    sinkErrors: 0,
    sinkGzipRequests: 0,
    sinkRequests: 1000,
    middleCpuS: 8,
    middleLoopCpuS: 6,
    loadCpuS: 5,
    otherCpu1S: 0,
    otherCpu0S: 0,
    peakRssBytes: 100e6,
    commands: [],
    notes: [],
    ...over,
  };
}

test('CPU-s per million spans, spans per CPU-s, utilisation', () => {
  const f = figures(measurement({}));
  assert.ok(Math.abs(f.cpuPerMillion - 0.8) < 1e-9);
  assert.equal(f.spansPerCpuS, 1_250_000);
  assert.equal(f.spansPerS, 1_000_000);
  assert.equal(f.util, 0.8);
  assert.deepEqual(f.warnings, []);
});

test('targets pass and fail at their bounds', () => {
  const naive = figures(measurement({ name: 'naive', spans: 1_000_000, middleCpuS: 10 }));
  // telegate-auth keeps the general 10× target; this one is 12.5×.
  const good = verdicts(figures(measurement({ name: 'telegate-auth' })), naive);
  assert.deepEqual(
    good.map((v) => v.pass),
    [true, true, true],
  );
  const bad = verdicts(figures(measurement({ middleCpuS: 13, peakRssBytes: 150e6 })), naive);
  assert.deepEqual(
    bad.map((v) => v.pass),
    [false, false, false],
  );
  assert.equal(verdicts(figures(measurement({})), undefined).length, 2);
});

test('warnings: errors, lag, noise, no spans', () => {
  const w = figures(
    measurement({ clientErrors: 3, ackedSpans: 12_000_000, otherCpu1S: 2, spans: 10_000_000 }),
  ).warnings.join('\n');
  assert.match(w, /3 failed calls/);
  assert.match(w, /acknowledged/);
  assert.match(w, /CPU 1 spent 20%/);
  assert.match(figures(measurement({ spans: 0, ackedSpans: 0 })).warnings.join(), /no spans/);
});

test('medianRun picks the run with the median CPU per span', () => {
  const runs = [9, 7, 8].map((cpu) => figures(measurement({ middleCpuS: cpu })));
  assert.equal(medianRun(runs).m.middleCpuS, 8);
});

test('rows: the share of the event loop, the ratio to naive in the same list, failed calls of those finished', () => {
  const naive = figures(measurement({ name: 'naive', spans: 1_000_000, middleCpuS: 10 }));
  const gzip = figures(measurement({ name: 'telegate-gzip', clientErrors: 7, clientCalls: 100 }));
  const row = rows([naive, gzip])[1] ?? [];
  assert.equal(row[0], 'telegate-gzip');
  assert.equal(row[3], '0.600');
  assert.equal(row[5], '12.5×');
  assert.equal(row[6], '');
  assert.equal(row[7], '7 of 100');
  assert.equal(rows([gzip])[0]?.[5], '');
});

test('per-row ratio targets (gzip 8×, none 20×, zstd 12×); small-request rows compare with naive-small', () => {
  const naive = figures(measurement({ name: 'naive', spans: 1_000_000, middleCpuS: 10 }));
  const naiveSmall = figures(measurement({ name: 'naive-small', spans: 1_000_000, middleCpuS: 20 }));
  // 9× the naive baseline: enough for gzip (8×), not for compression none (20×).
  const at9 = (name: string) => figures(measurement({ name, spans: 9_000_000, middleCpuS: 10 }));
  assert.equal(verdicts(at9('telegate-gzip'), naive)[0]?.pass, true);
  assert.equal(verdicts(at9('telegate'), naive)[0]?.pass, false);
  assert.match(verdicts(at9('telegate-zstd'), naive)[0]?.target ?? '', /≥ 12×/);
  const small = at9('telegate-small');
  const list = [naive, naiveSmall, small];
  assert.equal(baselineOf(small, list), naiveSmall);
  assert.equal(baselineOf(at9('telegate'), list), naive);
  assert.equal(rows(list)[2]?.[5], '18.0×');
});

test('the seed rows compare with naive-seed, and each row also with its default-window baseline', () => {
  const at = (name: string, spans: number) => figures(measurement({ name, spans, middleCpuS: 10 }));
  const [naive, naiveDefault, seed, seedDefault, t] = [
    at('naive', 2_000_000),
    at('naive-default', 1_000_000),
    at('naive-seed', 1_000_000),
    at('naive-seed-default', 500_000),
    at('telegate-seed', 7_000_000),
  ];
  const list = [naive, naiveDefault, seed, seedDefault, t];
  assert.equal(baselineOf(t, list), seed);
  assert.equal(defaultBaselineOf(t, list), seedDefault);
  assert.equal(defaultBaselineOf(at('telegate', 1), list), naiveDefault);
  assert.equal(defaultBaselineOf(at('telegate-small', 1), list), undefined);
  assert.deepEqual(rows(list)[4]?.slice(5, 7), ['7.0×', '14.0×']);
  assert.deepEqual(rows(list)[1]?.slice(5, 7), ['0.5×', '1.0×']);
  assert.equal(verdicts(t, seed)[0]?.target, "≥ 6× the naive-seed baseline's spans per CPU-s");
  const lines = headline(list);
  assert.equal(lines.length, 2);
  assert.match(lines[0] ?? '', /telegate-seed 1\.429 CPU-s\/M spans vs naive-seed 10\.000 .*: 7\.0× .*target ≥ 6×/);
  assert.match(lines[1] ?? '', /naive-seed-default 20\.000 .*: 14\.0×/);
  assert.deepEqual(headline([naive, t]), []);
});
