// One small HTTP(S) exchange whose answer is JSON, for the authenticators' talks with an identity
// provider (OpenID discovery, JWKS, OAuth2 token endpoint): a deadline, the answer read to a bound
// (a provider must not make the collector hold megabytes), and a caller-given TLS configuration.
import http from 'node:http';
import https from 'node:https';
import type { ConnectionOptions } from 'node:tls';

/** Identity provider documents are a few KiB; a JWKS with many keys stays well below this. */
export const MAX_JSON_ANSWER_BYTES = 1024 * 1024;

/** What to send. */
export interface JsonRequest {
  readonly method: 'GET' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Extra node:tls options for https: URLs (a CA, a client certificate). */
  readonly tls?: ConnectionOptions;
  /** 0 waits forever. */
  readonly timeoutMs: number;
}

/** The provider's answer: its status and its body parsed as JSON (undefined when it is not JSON). */
export interface JsonAnswer {
  readonly status: number;
  readonly json: unknown;
}

/** Sends `req` to `url`; rejects with a readable message when there is no (complete) answer. */
export function requestJson(url: URL, req: JsonRequest): Promise<JsonAnswer> {
  return new Promise((resolve, reject) => {
    const options = { method: req.method, headers: { accept: 'application/json', ...req.headers } };
    const request =
      url.protocol === 'https:'
        ? https.request(url, { ...req.tls, ...options, agent: false })
        : http.request(url, { ...options, agent: false });
    const timer =
      req.timeoutMs > 0
        ? setTimeout(() => {
            request.destroy(new Error(`no answer within ${String(req.timeoutMs)} ms`));
          }, req.timeoutMs)
        : undefined;
    request.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    request.on('response', (response) => {
      readBody(response).then(
        (text) => {
          clearTimeout(timer);
          resolve({ status: response.statusCode ?? 0, json: parseJson(text) });
        },
        (err: unknown) => {
          clearTimeout(timer);
          request.destroy();
          reject(err instanceof Error ? err : new Error(String(err)));
        },
      );
    });
    request.end(req.body);
  });
}

function readBody(response: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_JSON_ANSWER_BYTES) {
        response.destroy(new Error(`answer larger than ${String(MAX_JSON_ANSWER_BYTES)} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    response.on('error', reject);
    response.on('end', () => {
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
