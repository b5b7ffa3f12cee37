// The edge exporter's queue, chosen in one place (issue 16): a persistent queue in a `file_storage`
// directory on the node (a hostPath, so it outlives the pod), batched in the queue after the disk —
// not by a batch processor, which would answer the apps while the data is only in memory.
import { PATHS } from './names.ts';

/** The storage extension's id in the edge config. */
export const EDGE_STORAGE = 'file_storage/queue';

/** What the edge config takes from the queue choice. */
export interface EdgeQueue {
  /** Extensions to add (and enable) in the edge config. */
  readonly extensions: Record<string, unknown>;
  /** Keys merged into the exporter to the gateway. */
  readonly exporter: Record<string, unknown>;
  /** Whether the pipeline still runs a `batch` processor. */
  readonly batchProcessor: boolean;
}

/** The edge's queue: on disk, batched in the queue, retried until the gateway accepts. */
export function edgeQueue(): EdgeQueue {
  return {
    extensions: { [EDGE_STORAGE]: { directory: PATHS.queueDir, create_directory: true } },
    exporter: {
      // Longer than the gateway's slowest answer (its batch flush_timeout + its 5 s attempt timeout,
      // gateway-config.ts). With Go's default 5 s here, a backend answering after ~4.8 s made the edge
      // give up on batches the gateway then delivered: sent again at every retry, the edge's queue
      // stuck (measured in test/faults; the relation is checked by delivery-timeouts.test.ts).
      timeout: '10s',
      sending_queue: {
        enabled: true,
        num_consumers: 4,
        // Requests, not items: the bound holds in memory and on disk (the same requests).
        queue_size: 1000,
        storage: EDGE_STORAGE,
        // Go's defaults (v0.139 has them too), written out so a reader sees what a batch is.
        batch: { flush_timeout: '200ms', min_size: 8192, sizer: 'items' },
      },
      // Never give up: the data waits on the node's disk, bounded by queue_size, until the gateway
      // (which answers only once the backend accepted) takes it.
      retry_on_failure: { max_elapsed_time: 0 },
    },
    batchProcessor: false,
  };
}
