// Reads `partial_success` from an Export*ServiceResponse (rejected item count and error message, the
// same shape for traces, metrics and logs, under each signal's own names) without a full decode.
import type { Signal } from '../../../contracts/signal.ts';
import { TAG } from '../../../pdata/fields.ts';
import { WireReader } from '../../../pdata/wire.ts';

/** Rejected items and the server's message; both zero/empty when the answer was a full success. */
export interface PartialSuccess {
  readonly rejected: number;
  readonly message: string;
}

/** Each signal's response tags: the partial_success field, and its rejected count and message. */
interface ResponseTags {
  readonly partialSuccess: number;
  readonly rejected: number;
  readonly errorMessage: number;
}

const RESPONSE_TAGS: Readonly<Record<Signal, ResponseTags>> = {
  traces: {
    partialSuccess: TAG.ExportTraceServiceResponse.partialSuccess,
    rejected: TAG.ExportTracePartialSuccess.rejectedSpans,
    errorMessage: TAG.ExportTracePartialSuccess.errorMessage,
  },
  metrics: {
    partialSuccess: TAG.ExportMetricsServiceResponse.partialSuccess,
    rejected: TAG.ExportMetricsPartialSuccess.rejectedDataPoints,
    errorMessage: TAG.ExportMetricsPartialSuccess.errorMessage,
  },
  logs: {
    partialSuccess: TAG.ExportLogsServiceResponse.partialSuccess,
    rejected: TAG.ExportLogsPartialSuccess.rejectedLogRecords,
    errorMessage: TAG.ExportLogsPartialSuccess.errorMessage,
  },
};

const NONE: PartialSuccess = Object.freeze({ rejected: 0, message: '' });

/** Decodes partial_success; a malformed response counts as a full success (the data was accepted). */
export function readPartialSuccess(signal: Signal, response: Buffer | undefined): PartialSuccess {
  if (response === undefined || response.length === 0) return NONE;
  const tags = RESPONSE_TAGS[signal];
  try {
    const r = new WireReader(response);
    let result = NONE;
    while (r.hasMore()) {
      const tag = r.tag();
      if (tag === tags.partialSuccess) result = readInner(r.bytes(), tags);
      else r.skip(tag & 7);
    }
    return result;
  } catch {
    return NONE;
  }
}

function readInner(bytes: Buffer, tags: ResponseTags): PartialSuccess {
  const r = new WireReader(bytes);
  let rejected = 0;
  let message = '';
  while (r.hasMore()) {
    const tag = r.tag();
    if (tag === tags.rejected) rejected = r.uint64Number();
    else if (tag === tags.errorMessage) message = r.string();
    else r.skip(tag & 7);
  }
  return { rejected, message };
}
