// Go's decisions, as table rows taken from the Go processor's tests (tracesprocessor_test.go:
// Test_tracesamplerprocessor_TraceState, _TraceStateErrors, _MissingRandomness, _SpanSamplingPriority,
// _HashSeedTraceState): same trace id, tracestate, config → same keep/drop and the same tracestate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FastDecision } from './fast-decision.ts';
import { makeSampler, type SamplerModeSetting, type SamplerSettings } from './sampler.ts';
import {
  PRIORITY_DEFER,
  PRIORITY_DO_NOT_SAMPLE,
  PRIORITY_MUST_SAMPLE,
  decideSpan,
  type Priority,
  type SpanDecision,
} from './span-decision.ts';
import { parseTraceState } from './tracestate.ts';

const DEFAULT_TID = 'fefefefefefefefefe80000000000000';
const IMPROBABLE_TID = '111111111111111111ffffffffffffff';
const GO_TEST_SEED = 4312;

interface Row {
  readonly name: string;
  readonly pct: number;
  readonly precision?: number;
  readonly tid?: string;
  readonly ts?: string;
  readonly priority?: Priority;
  readonly failClosed?: boolean;
  /** The kept span's tracestate per mode (null: dropped); one value for both modes. */
  readonly equalizing: string | null;
  readonly proportional: string | null;
}

function decide(mode: SamplerModeSetting, pct: number, o: Partial<Row> & { seed?: number }): SpanDecision {
  const settings: SamplerSettings = {
    sampling_percentage: pct,
    hash_seed: o.seed ?? GO_TEST_SEED,
    mode,
    // Go's tests leave SamplingPrecision at 0, which means full precision.
    sampling_precision: o.precision ?? 0,
  };
  const tid = o.tid ?? DEFAULT_TID;
  const buf = Buffer.from(tid, 'hex');
  const empty = tid === '' || /^0+$/.test(tid);
  return decideSpan(makeSampler(settings), o.failClosed ?? false, {
    buf,
    traceIdStart: empty ? -1 : 0,
    traceState: o.ts ?? '',
    priority: o.priority ?? PRIORITY_DEFER,
  });
}

/** What the sink sees: the kept span's tracestate, or null. */
function outcome(d: SpanDecision, arriving: string): string | null {
  if (!d.sampled) return null;
  return d.traceState ?? arriving;
}

const both = (ts: string | null) => ({ equalizing: ts, proportional: ts });

const TRACE_STATE_ROWS: Row[] = [
  { name: '100 percent', pct: 100, ...both('ot=th:0') },
  { name: '50 percent sampled', pct: 50, ...both('ot=th:8') },
  { name: '25 percent sampled', pct: 25, tid: 'ddddddddddddddddddc0000000000000', ...both('ot=th:c') },
  { name: '25 percent unsampled', pct: 25, tid: 'ddddddddddddddddddb0000000000000', ...both(null) },
  { name: '1 percent sampled', pct: 1, ts: 'ot=rv:FD70A3D70A3D71', ...both('ot=rv:FD70A3D70A3D71;th:fd70a3d70a3d71') },
  {
    name: '1 percent sampled with rvalue and precision 4',
    pct: 1,
    precision: 4,
    ts: 'ot=rv:FD70A3D70A3D71',
    ...both('ot=rv:FD70A3D70A3D71;th:fd70a'),
  },
  {
    name: '1 percent, precision 3: rounds up, not sampled',
    pct: 1,
    precision: 3,
    ts: 'ot=rv:FD70A3D70A3D71',
    ...both(null),
  },
  { name: '1 percent not sampled with rvalue', pct: 1, ts: 'ot=rv:FD70A3D70A3D70', ...both(null) },
  { name: '49 percent not sampled with default tid', pct: 49, ...both(null) },
  {
    name: '1 percent sampled with rvalue',
    pct: 1,
    ts: 'ot=rv:fd70B000000000',
    ...both('ot=rv:fd70B000000000;th:fd70a3d70a3d71'),
  },
  {
    name: '1 percent sampled with tid',
    pct: 1,
    precision: 4,
    tid: 'a0a0a0a0a0a0a0a0a0fe000000000000',
    ...both('ot=th:fd70a'),
  },
  { name: 'sampled by priority', pct: 1, priority: PRIORITY_MUST_SAMPLE, ...both('ot=th:0') },
  { name: 'not sampled by priority', pct: 99, priority: PRIORITY_DO_NOT_SAMPLE, ...both(null) },
  {
    name: 'incoming 50 percent with rvalue',
    pct: 50,
    ts: 'ot=rv:90000000000000;th:80000000000000',
    equalizing: 'ot=rv:90000000000000;th:8',
    proportional: null,
  },
  { name: 'incoming 50 percent at 25 percent not sampled', pct: 25, ts: 'ot=th:8', ...both(null) },
  {
    name: 'incoming 50 percent at 25 percent sampled',
    pct: 25,
    tid: 'ffffffffffffffffffffffffffffffff',
    ts: 'ot=th:8',
    equalizing: 'ot=th:c',
    proportional: 'ot=th:e',
  },
  {
    name: 'equalizing vs proportional',
    pct: 50,
    ts: 'ot=rv:c0000000000000;th:8',
    equalizing: 'ot=rv:c0000000000000;th:8',
    proportional: 'ot=rv:c0000000000000;th:c',
  },
  {
    name: 'inconsistent arriving threshold',
    pct: 100,
    ts: 'ot=rv:40000000000000;th:8',
    ...both('ot=rv:40000000000000;th:0'),
  },
  {
    name: 'inconsistent arriving threshold not sampled',
    pct: 1,
    failClosed: true,
    ts: 'ot=rv:40000000000000;th:8',
    ...both(null),
  },
  {
    name: '40 percent precision 3 with rvalue',
    pct: 40,
    precision: 3,
    ts: 'ot=rv:a0000000000000',
    ...both('ot=rv:a0000000000000;th:99a'),
  },
  {
    name: 'arriving 50 percent sampled at 40 percent precision 6 with tid',
    pct: 40,
    precision: 6,
    tid: 'a0a0a0a0a0a0a0a0a0d0000000000000',
    ts: 'ot=th:8',
    equalizing: 'ot=th:99999a',
    proportional: 'ot=th:cccccd',
  },
  {
    name: 'arriving 50 percent sampled at 40 percent partly sampled',
    pct: 40,
    precision: 3,
    tid: 'a0a0a0a0a0a0a0a0a0b0000000000000',
    ts: 'ot=th:8',
    equalizing: 'ot=th:99a',
    proportional: null,
  },
  {
    name: 'arriving 50 percent sampled at 40 percent not sampled',
    pct: 40,
    precision: 3,
    tid: 'a0a0a0a0a0a0a0a0a080000000000000',
    ts: 'ot=th:8',
    ...both(null),
  },
  { name: '200 percent equals 100 percent', pct: 200, ...both('ot=th:0') },
  {
    name: 'tiny probability rounding',
    pct: 100 * 2 ** -14,
    tid: IMPROBABLE_TID,
    ts: 'ot=th:fffc',
    equalizing: 'ot=th:fffc',
    proportional: 'ot=th:fffffff',
  },
  {
    name: 'almost 100pct sampling',
    pct: (1 - 8e-7) * 100,
    precision: 10,
    tid: IMPROBABLE_TID,
    ...both('ot=th:00000cccccccd'),
  },
  {
    name: 'probability underflow',
    pct: 2 ** -4,
    tid: IMPROBABLE_TID,
    ts: 'ot=th:fffffffffffff8',
    equalizing: 'ot=th:fffffffffffff8',
    proportional: null,
  },
];

for (const row of TRACE_STATE_ROWS) {
  for (const mode of ['equalizing', 'proportional'] as const) {
    test(`Go TraceState vector, ${mode}: ${row.name}`, () => {
      const d = decide(mode, row.pct, row);
      assert.equal(outcome(d, row.ts ?? ''), row[mode]);
    });
  }
}

const ERROR_ROWS: { name: string; tid?: string; ts?: string; message: string }[] = [
  { name: 'missing randomness', tid: '', message: 'missing randomness' },
  { name: 'invalid r-value', ts: 'ot=rv:abababababababab', message: 'r-value must have 14 hex digits' },
  { name: 'invalid t-value', ts: 'ot=th:abababababababab', message: 't-value exceeds 14 hex digits' },
  { name: 't-value syntax', ts: 'ot=th:-1', message: 'invalid syntax' },
  {
    name: 'inconsistent t-value trace ID',
    tid: 'ffffffffffffffffff70000000000000',
    ts: 'ot=th:8',
    message: 'inconsistent arriving threshold',
  },
  { name: 'inconsistent t-value r-value', ts: 'ot=th:8;rv:70000000000000', message: 'inconsistent arriving threshold' },
];

for (const row of ERROR_ROWS) {
  for (const mode of ['equalizing', 'proportional'] as const) {
    test(`Go TraceStateErrors vector, ${mode}: ${row.name} drops the span when fail_closed`, () => {
      const d = decide(mode, 100, { ...row, failClosed: true });
      assert.equal(d.sampled, false);
      assert.match(d.error ?? '', new RegExp(row.message));
    });
  }
}

test('Go MissingRandomness vectors (hash_seed mode, empty trace id)', () => {
  const rows: [pct: number, failClosed: boolean, sampled: boolean][] = [
    [0, true, false],
    [62, true, false],
    [100, true, false],
    [0, false, false],
    [62, false, true],
    [100, false, true],
  ];
  for (const [pct, failClosed, sampled] of rows) {
    const d = decide('hash_seed', pct, { tid: '', failClosed });
    assert.equal(d.sampled, sampled, `${pct} ${failClosed}`);
    assert.equal(d.error, pct === 0 ? undefined : 'missing randomness');
  }
});

test('Go SpanSamplingPriority vectors hold in every mode', () => {
  // Go's span: trace id 01000…0, whose W3C randomness is 0.
  const tid = '01000000000000000000000000000000';
  const rows: [pct: number, priority: Priority, sampled: boolean][] = [
    [0, PRIORITY_MUST_SAMPLE, true],
    [100, PRIORITY_DO_NOT_SAMPLE, false],
    [0, PRIORITY_DEFER, false],
    [100, PRIORITY_DEFER, true],
  ];
  for (const mode of ['hash_seed', 'equalizing', 'proportional'] as const)
    for (const [pct, priority, sampled] of rows)
      assert.equal(decide(mode, pct, { tid, priority }).sampled, sampled, `${mode} ${pct} ${priority}`);
});

test('Go HashSeedTraceState vectors: kept spans carry rv and the 14-bit th', () => {
  const rows: [pct: number, th: string][] = [
    [100, '0'],
    [75, '4'],
    [50, '8'],
    [25, 'c'],
    [10, 'e668'],
    [100 / 3, 'aaac'],
  ];
  for (const [pct, th] of rows) {
    let found = 0;
    for (let i = 0; found < 10 && i < 10_000; i++) {
      const tid = Buffer.alloc(16);
      tid.writeUInt32BE(i + 1, 12);
      tid.writeUInt32BE(Math.imul(0x9e3779b9, i + 1) >>> 0, 4);
      const d = decide('hash_seed', pct, { tid: tid.toString('hex'), precision: 4 });
      if (!d.sampled) continue;
      found++;
      const ot = parseTraceState(d.traceState ?? '').state.ot;
      assert.equal(ot.tValue, th);
      assert.equal(ot.rValue.length, 14);
      assert.ok(ot.threshold <= ot.randomness);
    }
    assert.equal(found, 10);
  }
});

test('hash_seed leaves an arriving rv or th alone (an error: fail_closed drops, fail-open keeps unchanged)', () => {
  for (const ts of ['ot=rv:90000000000000', 'ot=th:8']) {
    const closed = decide('hash_seed', 100, { ts, failClosed: true });
    assert.equal(closed.sampled, false);
    assert.match(closed.error ?? '', /equalizing or proportional mode recommended/);
    const open = decide('hash_seed', 100, { ts, failClosed: false });
    assert.equal(open.sampled, true);
    assert.equal(open.traceState, undefined);
  }
});

test('other tracestate entries are carried through, after ot=', () => {
  const d = decide('proportional', 50, { ts: 'congo=t61rcWkgMzE, ot=foo:bar' });
  assert.equal(d.traceState, 'ot=th:8;foo:bar,congo=t61rcWkgMzE');
});

test('the fast path decides as the general path for spans without tracestate or priority', () => {
  const arbSettings = fc.record({
    sampling_percentage: fc.oneof(
      fc.constantFrom(0, 0.01, 1, 10, 33.3, 50, 99.9, 100),
      fc.double({ min: 0, max: 120, noNaN: true }),
    ),
    hash_seed: fc.nat({ max: 0xffffffff }),
    mode: fc.constantFrom<SamplerModeSetting>('', 'hash_seed', 'equalizing', 'proportional'),
    sampling_precision: fc.integer({ min: 1, max: 14 }),
  });
  const arbTid = fc.uint8Array({ minLength: 16, maxLength: 16 }).filter((b) => b.some((x) => x !== 0));
  fc.assert(
    fc.property(arbSettings, fc.array(arbTid, { minLength: 1, maxLength: 20 }), (settings, tids) => {
      const sampler = makeSampler(settings);
      const fast = new FastDecision(sampler);
      for (const t of tids) {
        const buf = Buffer.from(t);
        const general = decideSpan(sampler, true, { buf, traceIdStart: 0, traceState: '', priority: PRIORITY_DEFER });
        const kept = fast.isKept(buf, 0);
        assert.equal(kept, general.sampled);
        if (kept) assert.equal(fast.keptTraceStateValue().toString('latin1'), general.traceState);
      }
    }),
    { numRuns: 300 },
  );
});
