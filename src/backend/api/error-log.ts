// Query API errors are logged at `error` with the request (method, URL, status, message), as the issue
// asks; each status logs at most once per interval (rate-limited-log.ts), so a client repeating a bad
// query, or a burst of 503 refusals, cannot flood the log.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../contracts/component.ts';
import { RateLimitedLog } from '../../util/rate-limited-log.ts';
import { errorMessageOf } from './respond.ts';

/** Longest URL written to the log (a 414's URL is cut). */
const MAX_LOGGED_URL = 512;

/** Logs the error answers of the query API. */
export class QueryErrorLog {
  private readonly log: RateLimitedLog | undefined;

  constructor(logger: Logger | undefined) {
    this.log = logger === undefined ? undefined : new RateLimitedLog(logger);
  }

  /** Logs the request when it was answered with an error. */
  record(req: IncomingMessage, res: ServerResponse): void {
    const msg = errorMessageOf(res);
    if (msg === undefined || this.log === undefined) return;
    const url = req.url ?? '';
    this.log.log(
      'error',
      'Query API request failed',
      {
        method: req.method,
        url: url.length > MAX_LOGGED_URL ? `${url.slice(0, MAX_LOGGED_URL)}…` : url,
        status: res.statusCode,
        error: msg,
      },
      { key: String(res.statusCode) },
    );
  }
}
