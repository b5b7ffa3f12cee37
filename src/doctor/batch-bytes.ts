// How large the largest request of an exporter can be, estimated from the batch processors of the
// pipelines that feed it: items per batch × a typical OTLP span, divided by gzip's usual ratio when
// the exporter compresses. Shared by `doctor` (the size of its probe) and `validate` (its warning).
import type { ResolvedConfig } from '../config/load-config.ts';
import { formatBytes } from '../util/format-bytes.ts';

/** A typical span from an SDK with a handful of attributes, serialized (OTLP protobuf). */
export const SPAN_BYTES = 300;
/** gzip shrinks OTLP span data about this much (repeated keys, ids in hex-free binary but shared resources). */
export const GZIP_RATIO = 4;
/** The batch processor's default send_batch_size. */
const DEFAULT_BATCH_ITEMS = 8192;
/** Without a batch processor requests go out as they came in: probe with ingress-nginx's default limit. */
const UNBATCHED_BYTES = 1024 * 1024;

/** The estimate and the words that explain it. */
export interface BatchEstimate {
  readonly bytes: number;
  /** Items per batch, or undefined when no batch processor bounds them. */
  readonly items: number | undefined;
  /** True when send_batch_max_size is 0 on some pipeline: batches have no upper bound. */
  readonly unbounded: boolean;
  readonly reason: string;
}

interface BatchLimits {
  readonly send_batch_size: number;
  readonly send_batch_max_size: number;
}

/** The largest request `exporterId` may send; `gzip` when it compresses. */
export function estimateBatchBytes(config: ResolvedConfig, exporterId: string, gzip: boolean): BatchEstimate {
  let items: number | undefined;
  let unbounded = false;
  let unbatched = false;
  for (const pipeline of config.service.pipelines.values()) {
    if (!pipeline.exporters.includes(exporterId)) continue;
    const batch = pipeline.processors.map((id) => config.processors.get(id)).find((p) => p?.factory.type === 'batch')
      ?.config as BatchLimits | undefined;
    if (batch === undefined) unbatched = true;
    else {
      const max =
        batch.send_batch_max_size > 0
          ? batch.send_batch_max_size
          : Math.max(batch.send_batch_size, DEFAULT_BATCH_ITEMS);
      unbounded ||= batch.send_batch_max_size === 0;
      items = Math.max(items ?? 0, max);
    }
  }
  if (items === undefined || unbatched)
    return {
      bytes: UNBATCHED_BYTES,
      items: undefined,
      unbounded: true,
      reason: "no batch processor bounds the requests; probing with 1 MiB, ingress-nginx's default limit",
    };
  return fromItems(items, gzip, unbounded);
}

/** The estimate for batches of `items` spans. */
export function fromItems(items: number, gzip: boolean, unbounded: boolean): BatchEstimate {
  const raw = items * SPAN_BYTES;
  const bytes = Math.ceil(gzip ? raw / GZIP_RATIO : raw);
  const what = unbounded
    ? `a batch of ${items} spans (send_batch_max_size is 0: batches can be larger)`
    : `the largest batch, ${items} spans`;
  const how = gzip ? `~${SPAN_BYTES} B each, gzip ~${GZIP_RATIO}:1` : `~${SPAN_BYTES} B each, uncompressed`;
  return { bytes, items, unbounded, reason: `${what} × ${how} ≈ ${formatBytes(bytes)}` };
}
