// Serves the web UI built into dist/ui (see ui/ and scripts/build-ui.mjs) for the query extension: static
// files with their content type and an ETag, and index.html for the single-page app's own routes. The
// caller answers `/api/` itself and sends 404 for anything this returns false on.
import { readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, posix, sep } from 'node:path';
import { packageRoot } from '../../util/package-root.ts';

/**
 * A request handler that answers UI paths and returns false for anything else. `basePath` is Jaeger's
 * `base_path` (e.g. '/jaeger'): the request path is expected below it and index.html is told it.
 */
export type UiHandler = (req: IncomingMessage, res: ServerResponse, basePath?: string) => boolean;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

// The app's routes (see ui/src/main.ts): each is answered with index.html, which routes in the browser.
const SPA_ROUTE = /^\/(?:search|dependencies|monitor|trace\/[^/]+)?\/?$/;

interface CachedFile {
  readonly body: Buffer;
  readonly etag: string;
  readonly type: string;
}

/** dist/ui of this package, wherever this code runs from (src/ or the dist/cli/main.js bundle). */
export const UI_DIR = join(packageRoot(), 'dist', 'ui') + sep;

/** Maps a URL path to a file under `root`, or undefined when it is malformed or escapes `root`. */
export function resolveUiPath(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const normal = posix.normalize(decoded);
  if (!normal.startsWith('/') || normal.split('/').includes('..')) return undefined;
  const file = join(root, normal);
  const base = root.endsWith(sep) ? root : root + sep;
  return file.startsWith(base) ? file : undefined;
}

/** Builds a handler serving the UI files in `root`; files are read once and kept (the set is fixed). */
export function createUiHandler(root: string): UiHandler {
  // Bounded by the files under `root`: only paths that exist there are cached.
  const cache = new Map<string, CachedFile>();
  const load = (file: string): CachedFile | undefined => {
    const hit = cache.get(file);
    if (hit) return hit;
    let st;
    try {
      st = statSync(file);
    } catch {
      return undefined;
    }
    if (!st.isFile()) return undefined;
    const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
    const loaded = { body: readFileSync(file), etag: `"${st.size.toString(16)}-${st.mtimeMs.toString(16)}"`, type };
    cache.set(file, loaded);
    return loaded;
  };
  const indexes = new Map<string, CachedFile>();
  const index = (base: string): CachedFile => {
    const plain = load(join(root, 'index.html'));
    if (!plain) return notBuilt(root);
    if (base === '') return plain;
    let hit = indexes.get(base);
    if (!hit) {
      // Bounded: a server has one base path; the cap only guards against a caller passing many.
      if (indexes.size >= 16) indexes.clear();
      hit = withBase(plain, base);
      indexes.set(base, hit);
    }
    return hit;
  };
  return (req, res, basePath = '') => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const base = basePath.replace(/\/+$/, '');
    let path = (req.url ?? '/').split('?', 1)[0] ?? '/';
    if (base !== '') {
      if (path !== base && !path.startsWith(`${base}/`)) return false;
      path = path.slice(base.length) || '/';
    }
    if (path.startsWith('/api/')) return false;
    if (SPA_ROUTE.test(path)) return send(req, res, index(base));
    const file = resolveUiPath(root, path);
    const found = file === undefined ? undefined : load(file);
    if (!found) return false;
    return send(req, res, found);
  };
}

/** index.html with its <base href> set to `base`, so the app's relative URLs resolve below it. */
function withBase(file: CachedFile, base: string): CachedFile {
  const attr = `${base}/`.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  const body = Buffer.from(file.body.toString('utf8').replace('<base href="/" />', `<base href="${attr}" />`));
  const etag = `${file.etag.slice(0, -1)}-${Buffer.from(base).toString('base64url')}"`;
  return { body, etag, type: file.type };
}

function notBuilt(root: string): CachedFile {
  const body = Buffer.from(`telegate: the web UI is not built (${root} is missing); run \`npm run build\`.\n`);
  return { body, etag: '', type: 'text/plain; charset=utf-8' };
}

function send(req: IncomingMessage, res: ServerResponse, file: CachedFile): true {
  // Names are not content-hashed, so the browser revalidates each time; the ETag makes that a 304.
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  if (file.etag === '') {
    res.writeHead(503, { 'Content-Type': file.type, 'Content-Length': file.body.length });
    res.end(req.method === 'HEAD' ? undefined : file.body);
    return true;
  }
  res.setHeader('ETag', file.etag);
  if (req.headers['if-none-match'] === file.etag) {
    res.writeHead(304);
    res.end();
    return true;
  }
  res.writeHead(200, { 'Content-Type': file.type, 'Content-Length': file.body.length });
  res.end(req.method === 'HEAD' ? undefined : file.body);
  return true;
}

/** Serves this package's built UI (dist/ui); returns false for paths that are not the UI's. */
export const serveUi: UiHandler = createUiHandler(UI_DIR);
