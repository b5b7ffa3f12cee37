// The room signal's pieces: notify only when room is back, "all of" for fan-outs, a pipeline's walk that
// stops at a step refusing at once, and the bounded wait (room, bound, abort).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Room } from '../contracts/room.ts';
import { allRooms, pipelineRoom, RoomSignal, waitForRoom } from './room-signal.ts';

function gated(open: boolean): { room: RoomSignal; set: (v: boolean) => void } {
  const state = { open };
  const room = new RoomSignal(() => state.open);
  return {
    room,
    set: (v) => {
      state.open = v;
      room.notify();
    },
  };
}

test('RoomSignal notifies listeners only when there is room, until they leave', () => {
  const g = gated(false);
  let calls = 0;
  const off = g.room.onRoom(() => calls++);
  g.room.notify();
  assert.equal(calls, 0, 'still full: nobody is woken');
  g.set(true);
  assert.equal(calls, 1);
  off();
  g.set(true);
  assert.equal(calls, 1);
});

test('allRooms: room when every consumer has room; undefined or the only one when it can', () => {
  assert.equal(allRooms([undefined, undefined]), undefined);
  const a = gated(true);
  assert.equal(allRooms([undefined, a.room]), a.room);
  const b = gated(false);
  const both = allRooms([a.room, b.room]) as Room;
  assert.equal(both.hasRoom(), false);
  let calls = 0;
  const off = both.onRoom(() => calls++);
  b.set(true);
  assert.equal(both.hasRoom(), true);
  assert.equal(calls, 1);
  off();
  a.set(true);
  assert.equal(calls, 1);
});

test('pipelineRoom: a step that refuses at once ends the walk with room; a full step after it does not count', () => {
  let refusing = false;
  const limiter: Room = { hasRoom: () => true, onRoom: () => () => undefined, isRefusing: () => refusing };
  const full = gated(false);
  const room = pipelineRoom([limiter, full.room]) as Room;
  assert.equal(room.hasRoom(), false);
  refusing = true;
  assert.equal(room.hasRoom(), true);
  const fullFirst = pipelineRoom([full.room, limiter]) as Room;
  assert.equal(fullFirst.hasRoom(), false, 'a full step before the limiter still holds requests');
  assert.equal(pipelineRoom([undefined]), undefined);
  const onlyLimiter = pipelineRoom([limiter]) as Room;
  assert.equal(onlyLimiter.hasRoom(), true);
  onlyLimiter.onRoom(() => undefined)();
});

test('waitForRoom: true at once with room, true when room comes, false at the bound or on abort', async () => {
  const g = gated(true);
  assert.equal(waitForRoom(g.room, 0), true);
  g.set(false);
  assert.equal(await waitForRoom(g.room, 0), false);
  const later = waitForRoom(g.room, 60_000);
  g.set(true);
  assert.equal(await later, true);
  g.set(false);
  assert.equal(await waitForRoom(g.room, 1), false);
  const abort = new AbortController();
  const aborted = waitForRoom(g.room, 60_000, abort.signal);
  abort.abort();
  assert.equal(await aborted, false);
  assert.equal(await waitForRoom(g.room, 60_000, abort.signal), false, 'already aborted');
});
