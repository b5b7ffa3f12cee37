// The receiver's self-metrics, named and labelled as the Go collector's receiverhelper does, bound
// once at create so the data path only calls add(). `otelcol_receiver_requests` counts requests by
// outcome; its `invalid` outcome (bad input refused before any item could be counted) and the
// authentication outcomes (`unauthenticated`, `throttled`, `auth_error`) are telegate's own.
import type { Counter, Telemetry } from '../../../contracts/component.ts';
import type { Signal } from '../../../contracts/signal.ts';
import { SIGNAL_INFO } from './signals.ts';

/** The transports of the OTLP receiver, as Go's `transport` label spells them. */
export type Transport = 'grpc' | 'http';

/** Item counters of one signal on one transport. */
export interface ItemCounters {
  readonly accepted: Counter;
  readonly refused: Counter;
}

/** Request counters of one transport, by outcome. */
export interface RequestCounters {
  /** The consumer accepted the data (partial success included). */
  readonly success: Counter;
  /** The consumer refused the data (retryable or permanent). */
  readonly refused: Counter;
  /** Refused before reaching the consumer: malformed, too large, wrong content type or encoding, unknown method. */
  readonly invalid: Counter;
}

/** Binds the item counters of `signal` on `transport`. */
export function bindItemCounters(
  telemetry: Telemetry,
  receiver: string,
  transport: Transport,
  signal: Signal,
): ItemCounters {
  const labels = { receiver, transport };
  const item = SIGNAL_INFO[signal].item;
  const unit = item.replace('_', ' ');
  return {
    accepted: telemetry.counter(
      `otelcol_receiver_accepted_${item}`,
      `Number of ${unit} successfully pushed into the pipeline.`,
      labels,
    ),
    refused: telemetry.counter(
      `otelcol_receiver_refused_${item}`,
      `Number of ${unit} that could not be pushed into the pipeline.`,
      labels,
    ),
  };
}

// One help text per metric name: the auth outcomes below share the series family.
const REQUESTS_HELP =
  'Number of requests received, by outcome (success, refused by the pipeline, invalid input, authentication).';

/** Binds the request counters of `transport`. */
export function bindRequestCounters(telemetry: Telemetry, receiver: string, transport: Transport): RequestCounters {
  const bind = (outcome: string): Counter =>
    telemetry.counter('otelcol_receiver_requests', REQUESTS_HELP, { receiver, transport, outcome });
  return { success: bind('success'), refused: bind('refused'), invalid: bind('invalid') };
}

/** Requests refused by the authenticator, by outcome; bound only when a protocol has `auth`. */
export interface AuthCounters {
  /** Missing or wrong credentials (UNAUTHENTICATED / 401). */
  readonly unauthenticated: Counter;
  /** The authenticator asked the client to slow down (RESOURCE_EXHAUSTED / 429). */
  readonly throttled: Counter;
  /** The authenticator failed (INTERNAL / 500). */
  readonly failed: Counter;
}

/** Binds the authentication outcomes of `transport` on `otelcol_receiver_requests` (telegate's own outcomes). */
export function bindAuthCounters(telemetry: Telemetry, receiver: string, transport: Transport): AuthCounters {
  const bind = (outcome: string): Counter =>
    telemetry.counter('otelcol_receiver_requests', REQUESTS_HELP, { receiver, transport, outcome });
  return { unauthenticated: bind('unauthenticated'), throttled: bind('throttled'), failed: bind('auth_error') };
}

/** Binds the count of requests that waited for room in a full pipeline before being read (telegate's own). */
export function bindBackpressureWaits(telemetry: Telemetry, receiver: string, transport: Transport): Counter {
  return telemetry.counter(
    'otelcol_receiver_backpressure_waits',
    'Number of requests that found their pipeline full and waited for room before their body was read (telegate only).',
    { receiver, transport },
  );
}

/** Binds the count of requests refused because the receiver held its budget of request bytes (telegate's own). */
export function bindAdmissionRefused(telemetry: Telemetry, receiver: string, transport: Transport): Counter {
  return telemetry.counter(
    'otelcol_receiver_admission_refused',
    'Number of requests refused because the receiver already held admission.request_limit_mib of request bytes (telegate only).',
    { receiver, transport },
  );
}

/** Reports the byte budget at scrape time, as Go contrib's otelarrow receiver names its admission gauges. */
export function observeAdmission(
  telemetry: Telemetry,
  receiver: string,
  budget: { readonly heldBytes: number; readonly waitingBytes: number },
): void {
  const labels = { receiver };
  telemetry.observe(
    'otelcol_receiver_admission_in_flight_bytes',
    'Request bytes the receiver holds now: messages being received or decompressed (telegate only).',
    labels,
    () => budget.heldBytes,
  );
  telemetry.observe(
    'otelcol_receiver_admission_waiting_bytes',
    'Request bytes (declared sizes) waiting for room in admission.request_limit_mib (telegate only).',
    labels,
    () => budget.waitingBytes,
  );
}
