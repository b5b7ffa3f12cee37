// The coded error catalogue (STYLE.md rule 4): each code's gRPC status, HTTP status, retryability
// and how to fix it. docs/errors.md is generated from this table; a test checks it.
import { GrpcStatus, type GrpcStatusCode } from './grpc-status.ts';

export interface ErrorSpec {
  readonly grpc: GrpcStatusCode;
  readonly http: number;
  readonly retryable: boolean;
  readonly summary: string;
  readonly hint: string;
}

export const ERRORS = {
  TG_CONFIG_INVALID: {
    grpc: GrpcStatus.INVALID_ARGUMENT,
    http: 400,
    retryable: false,
    summary: 'The configuration has problems; each is listed with its YAML path and line.',
    hint: 'Fix every listed problem; `telegate validate --config FILE` checks without starting anything.',
  },
  TG_CONFIG_READ: {
    grpc: GrpcStatus.INVALID_ARGUMENT,
    http: 400,
    retryable: false,
    summary: 'A configuration file could not be read or is not valid YAML.',
    hint: 'Check the path given to --config and the YAML syntax at the reported line.',
  },
  TG_OTLP_MALFORMED: {
    grpc: GrpcStatus.INVALID_ARGUMENT,
    http: 400,
    retryable: false,
    summary: 'The request body is not a valid OTLP message.',
    hint: 'Send an Export*ServiceRequest encoded as protobuf or OTLP/JSON, matching the Content-Type.',
  },
  TG_OTLP_TOO_LARGE: {
    grpc: GrpcStatus.RESOURCE_EXHAUSTED,
    http: 413,
    retryable: false,
    summary: 'The request is larger than the receiver accepts.',
    hint: 'Send smaller batches, or raise max_recv_msg_size_mib (gRPC) / max_request_body_size (HTTP).',
  },
  // OTLP/HTTP answers 415 in plain text; a gRPC call with a foreign content-type gets HTTP 415 with
  // grpc-status INTERNAL, as grpc-go answers it.
  TG_OTLP_UNSUPPORTED_MEDIA_TYPE: {
    grpc: GrpcStatus.INTERNAL,
    http: 415,
    retryable: false,
    summary: 'The Content-Type is not one the endpoint accepts.',
    hint: 'OTLP/HTTP takes application/x-protobuf or application/json; OTLP/gRPC takes application/grpc.',
  },
  TG_OTLP_BAD_ENCODING: {
    grpc: GrpcStatus.INVALID_ARGUMENT,
    http: 400,
    retryable: false,
    summary: 'The OTLP/HTTP body could not be decompressed with its declared Content-Encoding.',
    hint: 'Send gzip (or zlib/deflate, when compression_algorithms allows it) bodies with a matching Content-Encoding, or none.',
  },
  TG_OTLP_UNSUPPORTED_ENCODING: {
    grpc: GrpcStatus.UNIMPLEMENTED,
    http: 415,
    retryable: false,
    summary: 'The declared compression (Content-Encoding or grpc-encoding) is not supported.',
    hint: 'Use gzip or no compression (OTLP/HTTP also takes what compression_algorithms lists).',
  },
  // grpc-go answers a broken frame or an undecodable compressed message with INTERNAL; so do we.
  TG_GRPC_PROTOCOL: {
    grpc: GrpcStatus.INTERNAL,
    http: 400,
    retryable: false,
    summary:
      'The gRPC call breaks the gRPC wire protocol: a bad message frame, a compressed message without grpc-encoding, or one that does not decompress.',
    hint: 'Use a conforming gRPC client, and check that no proxy in between alters the body.',
  },
  TG_HTTP_MALFORMED: {
    grpc: GrpcStatus.INVALID_ARGUMENT,
    http: 400,
    retryable: false,
    summary: 'The HTTP request could not be parsed (request line, headers or chunked framing).',
    hint: 'Use a conforming HTTP/1.1 client, and check that no proxy in between alters the request.',
  },
  TG_HTTP_HEADERS_TOO_LARGE: {
    grpc: GrpcStatus.INVALID_ARGUMENT,
    http: 431,
    retryable: false,
    summary:
      "The request line and headers are over Node's limit (16 KiB): usually a very long URL, such as a search with many tags.",
    hint: 'Shorten the URL (fewer or shorter search parameters) or the headers; a query endpoint answers a URL over its own limit with 414 before that.',
  },
  // grpc-go answers a non-POST call with HTTP 405 and grpc-status INTERNAL.
  TG_METHOD_NOT_ALLOWED: {
    grpc: GrpcStatus.INTERNAL,
    http: 405,
    retryable: false,
    summary: 'The request used an HTTP method other than POST.',
    hint: 'Send OTLP requests, HTTP and gRPC alike, with POST.',
  },
  TG_AUTH_UNAUTHENTICATED: {
    grpc: GrpcStatus.UNAUTHENTICATED,
    http: 401,
    retryable: false,
    summary: "The request has no credentials, or ones the receiver's authenticator does not accept.",
    hint: 'Send the credentials the auth.authenticator of the receiver expects (basicauth: Authorization: Basic …; bearertokenauth: Authorization: Bearer …; oidc: Authorization: Bearer <a JWT from its issuer, for its audience, not expired>, e.g. from the oauth2client extension).',
  },
  TG_AUTH_THROTTLED: {
    grpc: GrpcStatus.RESOURCE_EXHAUSTED,
    http: 429,
    retryable: true,
    summary:
      'The authenticator asks this client to retry later: it sent too many distinct wrong credentials (basicauth), or the authenticator cannot check credentials yet (oidc: its OpenID provider has not been reached).',
    hint: "Fix the credentials of the client, or (oidc) the collector's reach to its issuer_url; the client may retry after the advised delay.",
  },
  TG_AUTH_FAILED: {
    grpc: GrpcStatus.INTERNAL,
    http: 500,
    retryable: false,
    summary: 'The authenticator itself failed (not the credentials), so the request was refused.',
    hint: "Read the collector's error log for the authenticator's message (for example an unreadable htpasswd or token file).",
  },
  TG_DEADLINE_EXCEEDED: {
    grpc: GrpcStatus.DEADLINE_EXCEEDED,
    http: 503,
    retryable: true,
    summary: 'The deadline of the call (grpc-timeout) passed before it was answered.',
    hint: 'Give the client a longer timeout, or find what slows the pipeline (a full queue, a slow exporter).',
  },
  TG_INTERNAL: {
    grpc: GrpcStatus.INTERNAL,
    http: 500,
    retryable: false,
    summary: 'An unexpected error inside telegate while serving the request; the data was not accepted.',
    hint: "A bug: report it with the collector's debug log (the error is logged at debug level).",
  },
  TG_PIPELINE_BUSY: {
    grpc: GrpcStatus.UNAVAILABLE,
    http: 503,
    retryable: true,
    summary: 'Downstream is full (a sending queue is at capacity); the data was refused, not dropped.',
    hint: 'The client should retry after the advised delay; raise sending_queue.queue_size or add consumers.',
  },
  // UNAVAILABLE rather than RESOURCE_EXHAUSTED: every OTLP client retries it, with or without RetryInfo
  // (the OTLP spec retries RESOURCE_EXHAUSTED only when the server says it can recover).
  TG_RECEIVER_OVER_BUDGET: {
    grpc: GrpcStatus.UNAVAILABLE,
    http: 503,
    retryable: true,
    summary:
      'The receiver already holds its budget of request bytes in memory (bodies being received or decompressed, across all connections); this request waited and was refused, not dropped.',
    hint: 'The client should retry after the advised delay; raise admission.request_limit_mib (or waiting_limit_mib) if the memory is there, or add replicas.',
  },
  // A slow sender (slowloris) must not hold a request slot and its budget for ever.
  TG_BODY_TIMEOUT: {
    grpc: GrpcStatus.DEADLINE_EXCEEDED,
    http: 408,
    retryable: true,
    summary: 'The request body did not arrive within the time the receiver allows (a very slow or stalled client).',
    hint: "Check the client's network; raise admission.body_timeout (gRPC) or protocols.http.read_timeout if large requests legitimately take longer.",
  },
  TG_EXPORT_FAILED: {
    grpc: GrpcStatus.UNAVAILABLE,
    http: 503,
    retryable: true,
    summary: 'An exporter could not deliver the data.',
    hint: 'Check that the exporter endpoint is reachable and accepts the data.',
  },
  TG_EXPORT_PERMANENT: {
    grpc: GrpcStatus.INVALID_ARGUMENT,
    http: 400,
    retryable: false,
    summary: 'The destination refused the data permanently; retrying would not help.',
    hint: "Read the destination's message: the data or the credentials are not acceptable to it.",
  },
  TG_STORAGE_UNAVAILABLE: {
    grpc: GrpcStatus.UNAVAILABLE,
    http: 503,
    retryable: true,
    summary:
      'A persistent queue could not write to (or open) its file_storage directory; the data was refused, not dropped.',
    hint: 'Check the directory exists and is writable, has free space, and is not used by another running collector.',
  },
  TG_SHUTTING_DOWN: {
    grpc: GrpcStatus.UNAVAILABLE,
    http: 503,
    retryable: true,
    summary: 'The collector is shutting down and takes no more data.',
    hint: 'Retry against another instance, or after the restart.',
  },
  TG_UNIMPLEMENTED: {
    grpc: GrpcStatus.UNIMPLEMENTED,
    http: 404,
    retryable: false,
    summary: 'No such service, method or path on this endpoint.',
    hint: 'OTLP/gRPC methods are opentelemetry.proto.collector.{trace,metrics,logs}.v1.*Service/Export; OTLP/HTTP paths are /v1/traces, /v1/metrics and /v1/logs unless the receiver configures others.',
  },
  TG_START_FAILED: {
    grpc: GrpcStatus.INTERNAL,
    http: 500,
    retryable: false,
    summary: 'A component could not start (for example its port is in use).',
    hint: 'Read the message: free the port or choose another endpoint.',
  },
  TG_CONFIG_SET_FLAG: {
    grpc: GrpcStatus.INVALID_ARGUMENT,
    http: 400,
    retryable: false,
    summary: 'A --set flag is not of the form key::path=value.',
    hint: 'Write --set receivers::otlp::protocols::grpc::endpoint=127.0.0.1:4317 (keys separated by :: or ., then =, then a YAML value).',
  },
  TG_CONFIG_EXPAND: {
    grpc: GrpcStatus.INVALID_ARGUMENT,
    http: 400,
    retryable: false,
    summary: 'A ${...} reference in the config could not be expanded.',
    hint: 'Use ${env:NAME}, ${env:NAME:-default} or ${file:path}; write $$ for a literal $.',
  },
  TG_CONFIG_ENV_UNSET: {
    grpc: GrpcStatus.INVALID_ARGUMENT,
    http: 400,
    retryable: false,
    summary: 'The config references an environment variable that is not set; it expands to an empty value.',
    hint: 'Set the variable, or give a default: ${env:NAME:-value}.',
  },
  TG_CONFIG_UNKNOWN_KEY: {
    grpc: GrpcStatus.INVALID_ARGUMENT,
    http: 400,
    retryable: false,
    summary: 'The config has a key that this section does not accept.',
    hint: 'Check the spelling against the listed valid keys (keys are case-sensitive).',
  },
  TG_CONFIG_TYPE: {
    grpc: GrpcStatus.INVALID_ARGUMENT,
    http: 400,
    retryable: false,
    summary: 'A config value has the wrong type (for example a list where a string is expected).',
    hint: 'Write the value with the expected type; quote numbers meant as strings.',
  },
  TG_CONFIG_VALUE: {
    grpc: GrpcStatus.INVALID_ARGUMENT,
    http: 400,
    retryable: false,
    summary: 'A config value is not acceptable (out of range, not one of the allowed values, bad duration or size).',
    hint: 'Use a value of the form the message describes.',
  },
  TG_CONFIG_MISSING_KEY: {
    grpc: GrpcStatus.INVALID_ARGUMENT,
    http: 400,
    retryable: false,
    summary: 'A required config key is missing.',
    hint: 'Add the key with a value.',
  },
  TG_CONFIG_COMPONENT_ID: {
    grpc: GrpcStatus.INVALID_ARGUMENT,
    http: 400,
    retryable: false,
    summary: 'A component or pipeline id is malformed.',
    hint: 'Write ids as type or type/name: the type starts with a letter and holds only letters, digits and _.',
  },
  TG_CONFIG_UNKNOWN_TYPE: {
    grpc: GrpcStatus.INVALID_ARGUMENT,
    http: 400,
    retryable: false,
    summary: 'The config names a component type that this build does not have.',
    hint: 'Run `telegate components` to list the available types.',
  },
  TG_CONFIG_WRONG_KIND: {
    grpc: GrpcStatus.INVALID_ARGUMENT,
    http: 400,
    retryable: false,
    summary: 'A component is configured under the wrong section (for example an exporter under receivers).',
    hint: 'Move it to the section of its kind.',
  },
  TG_CONFIG_COMPONENT_INVALID: {
    grpc: GrpcStatus.INVALID_ARGUMENT,
    http: 400,
    retryable: false,
    summary: 'A component rejected its configuration.',
    hint: 'Read the message: it names the setting and what it needs.',
  },
  TG_CONFIG_UNDEFINED_REFERENCE: {
    grpc: GrpcStatus.INVALID_ARGUMENT,
    http: 400,
    retryable: false,
    summary: 'The service section references a component that is not configured.',
    hint: 'Define the component in its section, or fix the id in the service section.',
  },
  TG_CONFIG_SIGNAL_UNSUPPORTED: {
    grpc: GrpcStatus.INVALID_ARGUMENT,
    http: 400,
    retryable: false,
    summary: 'A pipeline uses a component that does not support its signal.',
    hint: 'Use the component only in pipelines of the signals it supports (see `telegate components`).',
  },
  TG_CONFIG_PIPELINE: {
    grpc: GrpcStatus.INVALID_ARGUMENT,
    http: 400,
    retryable: false,
    summary: 'A pipeline is incomplete or inconsistent.',
    hint: 'Every pipeline needs at least one receiver and one exporter, and lists each processor once.',
  },
  TG_CONFIG_ADDRESS_CONFLICT: {
    grpc: GrpcStatus.INVALID_ARGUMENT,
    http: 400,
    retryable: false,
    summary: 'Two servers in the config would listen on the same address.',
    hint: 'Give each receiver, extension and the telemetry metrics server its own port.',
  },
  TG_CONFIG_UNUSED: {
    grpc: GrpcStatus.INVALID_ARGUMENT,
    http: 400,
    retryable: false,
    summary: 'A configured component is not used, so it has no effect.',
    hint: 'Add it to a pipeline (or to service.extensions), or remove it.',
  },
  TG_CONFIG_DEPRECATED: {
    grpc: GrpcStatus.INVALID_ARGUMENT,
    http: 400,
    retryable: false,
    summary: 'The config uses a deprecated component or setting.',
    hint: 'Switch to the replacement the message names.',
  },
  TG_CONFIG_UNSUPPORTED: {
    grpc: GrpcStatus.INVALID_ARGUMENT,
    http: 400,
    retryable: false,
    summary: 'The config uses a collector feature telegate does not support.',
    hint: 'Remove the feature or use the Go collector for this config.',
  },
  TG_EXPORT_AUTH_REFUSED: {
    grpc: GrpcStatus.UNAUTHENTICATED,
    http: 401,
    retryable: false,
    summary:
      'The destination refused the credentials of an exporter (UNAUTHENTICATED or PERMISSION_DENIED); the data was not delivered.',
    hint: "Check the exporter's headers or auth.authenticator credentials, and that they grant write access at the destination.",
  },
  TG_CONFIG_AUTHENTICATOR: {
    grpc: GrpcStatus.INVALID_ARGUMENT,
    http: 400,
    retryable: false,
    summary:
      'An auth.authenticator names an extension that is not configured, not in service.extensions, or not an authenticator of the role needed (server for a receiver, client for an exporter).',
    hint: 'Configure the authenticator under extensions, list it in service.extensions, and give it the settings of its role (basicauth: htpasswd for a server, client_auth for a client).',
  },
  // --- memory_limiter (branch compa): kept as its own block to ease merging ---
  TG_MEMORY_LIMITED: {
    grpc: GrpcStatus.UNAVAILABLE,
    http: 503,
    retryable: true,
    summary:
      'The memory_limiter processor refused the data: the process uses more memory than its soft limit (limit_mib − spike_limit_mib). Nothing was dropped.',
    hint: 'The client should retry after the advised delay; if this persists, raise limit_mib, add instances, or lower the load (smaller batches, smaller sending queues).',
  },
  // --- validate's pitfall warnings (branch doctor): kept as its own block to ease merging ---
  TG_CONFIG_PLAINTEXT_CREDENTIALS: {
    grpc: GrpcStatus.INVALID_ARGUMENT,
    http: 400,
    retryable: false,
    summary:
      'An exporter sends credentials (auth.authenticator, or an authorization header) without TLS to a host other than this machine: anyone on the path can read them.',
    hint: 'Enable TLS on the exporter (remove tls.insecure, or use https://) and point it at the TLS endpoint (the ingress, usually port 443).',
  },
  TG_CONFIG_BATCH_TOO_LARGE: {
    grpc: GrpcStatus.INVALID_ARGUMENT,
    http: 400,
    retryable: false,
    summary:
      "A batch processor can make requests larger than a collector's OTLP receiver (4 MiB by default) or an ingress (ingress-nginx: 1 MiB by default) accepts; such batches are refused whole (RESOURCE_EXHAUSTED / 413).",
    hint: "Set the batch processor's send_batch_max_size so that a batch stays under the limits, or raise them (the receiver's max_recv_msg_size_mib, the ingress's proxy-body-size); `telegate doctor --config` tries the size for real.",
  },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

/** A coded error; `message` is for users and never holds secrets. */
export class TelegateError extends Error {
  readonly code: ErrorCode;
  readonly retryAfterMs: number | undefined;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; retryAfterMs?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TelegateError';
    this.code = code;
    this.retryAfterMs = options?.retryAfterMs;
  }

  get spec(): ErrorSpec {
    return ERRORS[this.code];
  }
}
