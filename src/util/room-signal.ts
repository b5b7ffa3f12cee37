// The pieces every Room needs (contracts/room.ts): a listener list a full consumer notifies when it frees
// room, the "all of these have room" of a fan-out or a pipeline, and the bounded wait a receiver runs.
import type { Room } from '../contracts/room.ts';

/** A Room whose owner says when it has room and calls `notify` when it frees some. */
export class RoomSignal implements Room {
  private readonly check: () => boolean;
  private readonly listeners = new Set<() => void>();

  constructor(hasRoom: () => boolean) {
    this.check = hasRoom;
  }

  hasRoom(): boolean {
    return this.check();
  }

  onRoom(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tells the listeners that room may have come back; costs one size check when nobody waits. */
  notify(): void {
    if (this.listeners.size === 0 || !this.check()) return;
    for (const listener of [...this.listeners]) listener();
  }
}

/** The room of several consumers that all take the data (a fan-out, the steps of a pipeline): undefined when none can fill up. */
export function allRooms(rooms: readonly (Room | undefined)[]): Room | undefined {
  const list = rooms.filter((r): r is Room => r !== undefined);
  const [only] = list;
  if (list.length <= 1) return only;
  return {
    hasRoom: () => list.every((r) => r.hasRoom()),
    onRoom: (listener) => {
      const offs = list.map((r) => r.onRoom(listener));
      return () => {
        for (const off of offs) off();
      };
    },
  };
}

/**
 * The room of a pipeline, its steps' rooms given front to back: room unless a step lacks it, but a step
 * that refuses at once (memory_limiter) ends the walk with "room", since the request will be refused there.
 */
export function pipelineRoom(frontToBack: readonly (Room | undefined)[]): Room | undefined {
  const list = frontToBack.filter((r): r is Room => r !== undefined);
  const [only] = list;
  if (list.length <= 1 && only?.isRefusing === undefined) return only;
  const all = allRooms(list);
  return {
    hasRoom: () => {
      for (const r of list) {
        if (r.isRefusing?.() === true) return true;
        if (!r.hasRoom()) return false;
      }
      return true;
    },
    onRoom: (listener) => (all === undefined ? () => undefined : all.onRoom(listener)),
  };
}

/**
 * Resolves true as soon as `room` has room, false when `timeoutMs` passes (or `signal` aborts) first.
 * Synchronous `true` when there is room now, so the common case allocates nothing.
 */
export function waitForRoom(room: Room, timeoutMs: number, signal?: AbortSignal): true | Promise<boolean> {
  if (room.hasRoom()) return true;
  return waitForNextRoom(room, timeoutMs, signal);
}

/**
 * Like {@link waitForRoom} but ignores the room there is now: resolves true at the next announcement that
 * finds room. For a request just refused for lack of room while the signal says there is some (the request
 * is larger than what is free), so that it is retried after a step made progress, never in a busy loop.
 */
export function waitForNextRoom(room: Room, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
  if (timeoutMs <= 0 || signal?.aborted === true) return Promise.resolve(false);
  return new Promise((resolve) => {
    const finish = (ok: boolean): void => {
      off();
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(ok);
    };
    const onAbort = (): void => {
      finish(false);
    };
    const off = room.onRoom(() => {
      if (room.hasRoom()) finish(true);
    });
    const timer = setTimeout(onAbort, timeoutMs);
    signal?.addEventListener('abort', onAbort);
  });
}
