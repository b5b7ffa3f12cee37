// One OTLP/HTTP POST of a protobuf ExportTraceServiceRequest, as the otlphttp exporter sends it, with
// the answer kept whole enough to diagnose (status, content-type, the OTLP Status message or the start
// of an error page). A new connection per probe, closed after it.
import type { ConnectionOptions } from 'node:tls';
import { statusMessage } from '../components/exporters/otlphttp/http-result.ts';
import { HttpClient } from '../transport/http-client.ts';
import type { ProbeAnswer, ProbeFailure } from './grpc-probe.ts';

const MAX_BODY_CHARS = 300;

/** What the POST needs; `tls` is used for https: URLs. */
export interface HttpProbe {
  readonly url: URL;
  readonly tls: ConnectionOptions | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  readonly timeoutMs: number;
}

/** Posts the body; never rejects. */
export async function httpExport(probe: HttpProbe): Promise<ProbeAnswer | ProbeFailure> {
  const tls = probe.tls;
  const client = new HttpClient({
    ...(tls === undefined ? {} : { tls: () => Promise.resolve(tls) }),
    keepAlive: false,
    maxSockets: Infinity,
    maxFreeSockets: 1,
    idleTimeoutMs: 0,
  });
  try {
    const headers = {
      ...probe.headers,
      'content-type': 'application/x-protobuf',
      'user-agent': 'telegate-doctor',
    };
    const answer = await client.post(probe.url, probe.body, headers, probe.timeoutMs);
    if (!answer.ok) return { ok: false, code: answer.timedOut ? 'TIMEOUT' : '', message: answer.message };
    const contentType = answer.headers['content-type'] ?? '';
    const isText = contentType.startsWith('text/') || contentType === '';
    return {
      ok: true,
      httpStatus: answer.status,
      contentType,
      grpcStatus: undefined,
      grpcMessage: answer.status >= 400 && !isText ? statusMessage(answer) : '',
      text: isText ? answer.body.toString('latin1').slice(0, MAX_BODY_CHARS) : '',
      headers: answer.headers,
    };
  } finally {
    client.close();
  }
}
