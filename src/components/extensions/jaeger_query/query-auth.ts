// `http.auth.authenticator` on the query endpoint, as Jaeger v2's confighttp applies it: every request
// (API and UI; CORS preflights are answered before it, as Go's) is checked before it is routed. A refusal
// is Jaeger's error body: 401 with the authenticator's challenge, 429 with Retry-After, 500 when it fails.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthResult, ServerAuthenticator } from '../../../contracts/auth.ts';
import type { Logger } from '../../../contracts/component.ts';
import { errorMessage } from '../../../errors/thrown.ts';
import { writeError } from '../../../backend/api/respond.ts';
import { RateLimitedLog } from '../../../util/rate-limited-log.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** A throttled answer without a delay still tells the client when to come back. */
const DEFAULT_THROTTLE_S = 1;

/** Wraps `next` so that only requests `authenticator` accepts reach it. */
export function withQueryAuth(authenticator: ServerAuthenticator, id: string, logger: Logger, next: Handler): Handler {
  const failures = new RateLimitedLog(logger);
  return async (req, res) => {
    let result: AuthResult;
    try {
      result = await authenticator.authenticate(req.headers, req.socket.remoteAddress);
    } catch (err) {
      // An authenticator's message is written for clients and holds no secret; it is still not echoed.
      failures.log('error', 'The query endpoint authenticator failed', { authenticator: id, error: errorMessage(err) });
      req.resume();
      await writeError(req, res, 500, 'internal error: the authenticator failed');
      return;
    }
    if (result.ok) {
      await next(req, res);
      return;
    }
    req.resume();
    if (result.reason === 'throttled') {
      res.setHeader('Retry-After', String(Math.ceil((result.retryAfterMs ?? DEFAULT_THROTTLE_S * 1000) / 1000)));
      await writeError(req, res, 429, result.message);
      return;
    }
    if (result.challenge !== undefined) res.setHeader('WWW-Authenticate', result.challenge);
    await writeError(req, res, 401, result.message);
  };
}
