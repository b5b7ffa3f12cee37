// Query API errors are counted by status and logged at `error` with the request (method, URL, status,
// message); each status logs at most once per interval (rate-limited-log.ts), so a client repeating a
// bad query, or a burst of 503 refusals, cannot flood the log.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Counter, Logger, Telemetry } from '../../contracts/component.ts';
import { RateLimitedLog } from '../../util/rate-limited-log.ts';
import { errorMessageOf } from './respond.ts';

/** Longest URL written to the log (a 414's URL is cut). */
const MAX_LOGGED_URL = 512;

/** Logs the error answers of the query API. */
export class QueryErrorLog {
  private readonly log: RateLimitedLog | undefined;
  private readonly telemetry: Telemetry | undefined;
  // One counter per status: a small set (400, 401, 404, 405, 414, 429, 500, 501, 503).
  private readonly counters = new Map<number, Counter>();

  constructor(logger: Logger | undefined, telemetry: Telemetry | undefined) {
    this.log = logger === undefined ? undefined : new RateLimitedLog(logger);
    this.telemetry = telemetry;
  }

  private count(status: number): void {
    if (this.telemetry === undefined) return;
    let counter = this.counters.get(status);
    if (counter === undefined) {
      counter = this.telemetry.counter(
        'telegate_query_errors',
        'Query API requests answered with an error (503: refused past limits.max_concurrent_queries).',
        { status: String(status) },
      );
      this.counters.set(status, counter);
    }
    counter.add(1);
  }

  /** Logs the request when it was answered with an error. */
  record(req: IncomingMessage, res: ServerResponse): void {
    const msg = errorMessageOf(res);
    if (msg === undefined) return;
    this.count(res.statusCode);
    if (this.log === undefined) return;
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
