// The edge exporter's sending queue, in one place: today a bounded in-memory queue; when telegate's
// persistent queue lands (issue 16) this is the one function that adds its `storage` extension.

/** The `sending_queue` block of the edge's exporter to the gateway. */
export function edgeSendingQueue(): Record<string, unknown> {
  // Requests, not items: an edge's batches are small, and a count of requests bounds memory with the
  // batch processor's send_batch_max_size.
  return { enabled: true, num_consumers: 4, queue_size: 1000 };
}
