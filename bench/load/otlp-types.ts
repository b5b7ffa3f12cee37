// The protobufjs types the benchmark needs (payload generation, naive baseline), loaded once from
// the repository's /proto folder: the same descriptors the naive "decode everything" collector would use.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import protobuf from 'protobufjs';

const PROTO_DIR = fileURLToPath(new URL('../../proto/', import.meta.url));
const TRACE_SERVICE = 'opentelemetry/proto/collector/trace/v1/trace_service.proto';

function loadRoot(): protobuf.Root {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => (target.startsWith('/') ? target : join(PROTO_DIR, target));
  root.loadSync(TRACE_SERVICE, { keepCase: false });
  root.resolveAll();
  return root;
}

const root = loadRoot();

/** opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest */
export const ExportTraceServiceRequest: protobuf.Type = root.lookupType(
  'opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest',
);
