// Export*ServiceResponse for receivers' replies, in protobuf and OTLP/JSON, with the partial_success
// the OTLP spec defines (https://opentelemetry.io/docs/specs/otlp/#partial-success). Like the Go
// collector, partial_success is always present, empty when everything was accepted.
import type { Signal } from '../contracts/signal.ts';
import { RESPONSE } from './schema.ts';
import { encodeMessage } from './encode.ts';
import type { PMessage } from './decode.ts';

/** Items the server refused and why; `rejected` counts spans, data points or log records. */
export interface PartialSuccess {
  readonly rejected: number;
  readonly message: string;
}

const REJECTED_FIELD: Readonly<Record<Signal, string>> = {
  traces: 'rejectedSpans',
  metrics: 'rejectedDataPoints',
  logs: 'rejectedLogRecords',
};

function responseObject(signal: Signal, partial?: PartialSuccess): PMessage {
  const ps: PMessage = {};
  if (partial !== undefined && partial.rejected !== 0) ps[REJECTED_FIELD[signal]] = String(partial.rejected);
  if (partial !== undefined && partial.message !== '') ps['errorMessage'] = partial.message;
  return { partialSuccess: ps };
}

/** The protobuf Export*ServiceResponse of `signal`. */
export function encodeExportResponse(signal: Signal, partial?: PartialSuccess): Buffer {
  return encodeMessage(RESPONSE[signal], responseObject(signal, partial));
}

/** The OTLP/JSON Export*ServiceResponse of `signal` (int64 as a decimal string, as protobuf JSON writes it). */
export function exportResponseJson(signal: Signal, partial?: PartialSuccess): string {
  return JSON.stringify(responseObject(signal, partial));
}
