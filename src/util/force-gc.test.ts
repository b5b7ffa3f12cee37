// forceGcFunction: without --expose-gc on the command line it still yields a function that really runs a
// major collection (seen as a gc performance entry).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { forceGcFunction } from './force-gc.ts';

test('forceGcFunction runs a major collection without --expose-gc', async () => {
  assert.equal(process.execArgv.includes('--expose-gc'), false);
  const gc = forceGcFunction();
  assert.equal(typeof gc, 'function');
  const major = new Promise<void>((resolve) => {
    const obs = new PerformanceObserver((list) => {
      const kinds = list.getEntries().map((e) => (e as PerformanceEntry & { detail: { kind: number } }).detail.kind);
      if (kinds.includes(constants.NODE_PERFORMANCE_GC_MAJOR)) {
        obs.disconnect();
        resolve();
      }
    });
    obs.observe({ entryTypes: ['gc'] });
  });
  gc?.();
  await major;
  assert.equal(forceGcFunction(), gc, 'the same function each time');
});
