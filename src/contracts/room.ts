// The capacity signal that flows upstream, against the data (DESIGN.md §4b): a consumer that can fill up
// (the batch processor, an exporter's sending queue) says whether it has room, and when room may have come
// back, so that a receiver can wait before reading a request instead of refusing it.

/** Whether a consumer has room for more data, and a way to hear when it may have again. */
export interface Room {
  /**
   * True when a request would be taken now without a refusal for lack of room. Synchronous and cheap:
   * called once per request. A consumer that is shutting down says true (its refusal is immediate).
   */
  hasRoom(): boolean;
  /**
   * Calls `listener` whenever room may have come back (possibly spuriously: check hasRoom again).
   * Returns the function that removes the listener.
   */
  onRoom(listener: () => void): () => void;
  /**
   * True while this step refuses every request at once for another reason than room (memory_limiter above
   * its soft limit): waiting for room further down would only delay that refusal, so a pipeline then says
   * it has room and the request is refused at once.
   */
  isRefusing?(): boolean;
}
