// untilClosed: the wait's signal aborts when the peer closes; its listener is gone once the wait settles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import { untilClosed } from './until-closed.ts';

test('the signal aborts on close, and no listener is left behind either way', async () => {
  const peer = new EventEmitter();
  const aborted = untilClosed(peer, async (signal) => {
    await once(signal, 'abort');
    return 'gone';
  });
  assert.equal(peer.listenerCount('close'), 1);
  peer.emit('close');
  assert.equal(await aborted, 'gone');
  assert.equal(peer.listenerCount('close'), 0);

  const settled = await untilClosed(peer, (signal) => Promise.resolve(signal.aborted));
  assert.equal(settled, false);
  assert.equal(peer.listenerCount('close'), 0);
  await assert.rejects(
    untilClosed(peer, () => Promise.reject(new Error('no'))),
    /no/,
  );
  assert.equal(peer.listenerCount('close'), 0);
});
