// CORS for browser OTLP clients, with the behaviour of Go's confighttp (which uses rs/cors with
// AllowCredentials): allowed origins may hold `*` wildcards, the matching origin is echoed back, a
// preflight is answered 204 by the server itself, and nothing is added for origins not allowed.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The `cors:` settings. */
export interface CorsOptions {
  readonly allowedOrigins: readonly string[];
  readonly allowedHeaders?: readonly string[] | undefined;
  readonly exposedHeaders?: readonly string[] | undefined;
  readonly maxAgeSeconds?: number | undefined;
}

// rs/cors defaults: these methods, and these headers always allowed (plus X-Requested-With when none is configured).
const ALLOWED_METHODS = new Set(['GET', 'POST', 'HEAD']);
const ALWAYS_ALLOWED_HEADERS = ['accept', 'accept-language', 'content-type', 'content-language', 'origin'];

/** Compiled CORS policy. */
export class Cors {
  private readonly anyOrigin: boolean;
  private readonly origins: readonly RegExp[];
  private readonly anyHeader: boolean;
  private readonly headers: ReadonlySet<string>;
  private readonly exposed: string | undefined;
  private readonly maxAge: string | undefined;

  constructor(opts: CorsOptions) {
    this.anyOrigin = opts.allowedOrigins.includes('*');
    this.origins = opts.allowedOrigins.map(originPattern);
    const configured = (opts.allowedHeaders ?? []).map((h) => h.toLowerCase());
    this.anyHeader = configured.includes('*');
    this.headers = new Set([
      ...ALWAYS_ALLOWED_HEADERS,
      ...(configured.length === 0 ? ['x-requested-with'] : configured),
    ]);
    this.exposed =
      opts.exposedHeaders !== undefined && opts.exposedHeaders.length > 0 ? opts.exposedHeaders.join(', ') : undefined;
    this.maxAge = opts.maxAgeSeconds !== undefined && opts.maxAgeSeconds > 0 ? String(opts.maxAgeSeconds) : undefined;
  }

  /**
   * Applies CORS to a request. Returns true when it was a preflight and has been answered;
   * otherwise adds the response headers for an allowed origin and returns false.
   */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const origin = req.headers.origin;
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
      this.preflight(req, res, origin);
      return true;
    }
    res.setHeader('Vary', 'Origin');
    if (origin === undefined || !this.originAllowed(origin)) return false;
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    if (this.exposed !== undefined) res.setHeader('Access-Control-Expose-Headers', this.exposed);
    return false;
  }

  private preflight(req: IncomingMessage, res: ServerResponse, origin: string | undefined): void {
    res.setHeader('Vary', 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers');
    const method = String(req.headers['access-control-request-method']).toUpperCase();
    const requested = parseHeaderList(req.headers['access-control-request-headers']);
    if (
      origin !== undefined &&
      this.originAllowed(origin) &&
      ALLOWED_METHODS.has(method) &&
      this.headersAllowed(requested)
    ) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Methods', method);
      if (requested.length > 0) res.setHeader('Access-Control-Allow-Headers', requested.join(', '));
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      if (this.maxAge !== undefined) res.setHeader('Access-Control-Max-Age', this.maxAge);
    }
    res.writeHead(204);
    res.end();
  }

  private originAllowed(origin: string): boolean {
    if (this.anyOrigin) return true;
    const lower = origin.toLowerCase();
    return this.origins.some((re) => re.test(lower));
  }

  private headersAllowed(requested: readonly string[]): boolean {
    return this.anyHeader || requested.every((h) => this.headers.has(h));
  }
}

function originPattern(allowed: string): RegExp {
  const escaped = allowed
    .toLowerCase()
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${escaped}$`);
}

function parseHeaderList(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== '');
}
