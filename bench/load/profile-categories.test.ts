// The profile breakdown: samples in the window go to the category of their innermost frame, node's own
// frames to the telegate code that called them, idle time nowhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type CpuProfile, breakdown, shares } from './profile-categories.ts';

const frame = (functionName: string, url = '') => ({ functionName, url, lineNumber: 0, columnNumber: 0 });
const SRC = 'file:///repo/src';

// root ─┬ (idle)                                  2
//       ├ (garbage collector)                     3
//       ├ (program)                               4
//       ├ onSessionHeaders (node:http2) ─ serveCall (src/transport) ─ respond (node:http2)   5 / 6
//       ├ validateRequest (src/pdata/validate.ts)                                             7
//       └ add (src/components/processors/batch/shard.ts) ─ writev (native, no url)           8 / 9
const PROFILE: CpuProfile = {
  startTime: 0,
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2, 3, 4, 5, 7, 8] },
    { id: 2, callFrame: frame('(idle)') },
    { id: 3, callFrame: frame('(garbage collector)') },
    { id: 4, callFrame: frame('(program)') },
    { id: 5, callFrame: frame('onSessionHeaders', 'node:internal/http2/core'), children: [6] },
    { id: 6, callFrame: frame('serveCall', `${SRC}/transport/grpc-server-call.ts`), children: [10] },
    { id: 10, callFrame: frame('respond', 'node:internal/http2/core') },
    { id: 7, callFrame: frame('validateRequest', `${SRC}/pdata/validate.ts`) },
    { id: 8, callFrame: frame('add', `${SRC}/components/processors/batch/shard.ts`), children: [9] },
    { id: 9, callFrame: frame('writev') },
  ],
  samples: [2, 3, 4, 5, 6, 10, 7, 9, 3],
  timeDeltas: [100, 10, 20, 30, 40, 50, 60, 70, 1000],
};

test('each busy sample goes to its category; node frames to their nearest telegate caller', () => {
  const b = breakdown(PROFILE);
  assert.equal(b.get('gc'), 1010);
  assert.equal(b.get('native'), 20);
  assert.equal(b.get('h2-other'), 30); // node's frame with no telegate caller
  assert.equal(b.get('receiver'), 40);
  assert.equal(b.get('h2-server'), 50); // respond, called by serveCall
  assert.equal(b.get('validate'), 60);
  assert.equal(b.get('batch'), 70); // a native frame called by the batch processor
  assert.equal(b.has('other'), false);
});

test('the window keeps only samples between its bounds; shares add up to 1 in category order', () => {
  // Sample times: 100, 110, 130, 160, 200, 250, 310, 380, 1380.
  const b = breakdown(PROFILE, 150, 320);
  assert.deepEqual([...b.keys()].sort(), ['h2-other', 'h2-server', 'receiver', 'validate']);
  const s = shares(b);
  assert.deepEqual(
    s.map(([c]) => c),
    ['h2-server', 'h2-other', 'receiver', 'validate'],
  );
  assert.ok(Math.abs(s.reduce((a, [, v]) => a + v, 0) - 1) < 1e-9);
  assert.equal(s[0]?.[1], 50 / 180);
});
