// The config `telegate` runs when given no --config: OTLP in on the Go collector's default
// endpoints (localhost only: nothing is exposed beyond this machine by default), every signal
// batched and printed by the debug exporter.

export const DEFAULT_CONFIG_YAML = `# telegate's built-in config (used when no --config is given)
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: localhost:4317
      http:
        endpoint: localhost:4318

processors:
  batch:

exporters:
  debug:
    verbosity: normal

service:
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [debug]
    metrics:
      receivers: [otlp]
      processors: [batch]
      exporters: [debug]
    logs:
      receivers: [otlp]
      processors: [batch]
      exporters: [debug]
`;
