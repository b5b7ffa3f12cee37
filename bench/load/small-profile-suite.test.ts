// The small-request profile section: per-request CPU of each process, its main thread by category, and
// what telegate spends above the node:http2 floor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type Profiled, smallProfileMarkdown } from './small-profile-suite.ts';

const base = { windowS: 10, commands: ['taskset -c 1 node x'] };
// 10,000 requests: 1 CPU-s is 100 µs per request.
const telegate: Profiled = {
  ...base,
  name: 'telegate-small',
  requests: 10_000,
  cpuS: 1.2,
  loopCpuS: 0.8,
  shares: [
    ['gc', 0.5],
    ['h2-server', 0.25],
    ['validate', 0.25],
  ],
};
const floor: Profiled = {
  ...base,
  name: 'receive-small (node:http2 floor)',
  requests: 10_000,
  cpuS: 0.5,
  loopCpuS: 0.4,
  shares: [
    ['gc', 0.25],
    ['h2-server', 0.75],
  ],
};

test('per-request figures and category rows for both processes', () => {
  const md = smallProfileMarkdown([telegate, floor]);
  assert.match(md, /\| requests\/s \| 1000 \| 1000 \|/);
  assert.match(md, /\| CPU-s per M spans \(all threads\) \| 2\.400 \| 1\.000 \|/);
  assert.match(md, /\| CPU-µs per request, all threads \| 120\.0 \| 50\.0 \|/);
  assert.match(md, /\| main thread: garbage collection \(main thread\) \| 40\.0 \(50\.0 %\) \| 10\.0 \(25\.0 %\) \|/);
  assert.match(md, /span validation .*\| 20\.0 \(25\.0 %\) \| {2}\|/);
  assert.doesNotMatch(md, /main thread: batch processor/);
});

test('above the floor: the total, other threads, then main-thread categories largest first', () => {
  const md = smallProfileMarkdown([telegate, floor]);
  assert.match(
    md,
    /spends \+70\.0 CPU-µs per request: other threads \+30\.0, main thread gc \+30\.0, validate \+20\.0, h2-server -10\.0\./,
  );
  assert.doesNotMatch(smallProfileMarkdown([telegate]), /Above the floor/);
});
