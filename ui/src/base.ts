// The path the UI is served below: '' at the root, or Jaeger's `base_path` (e.g. '/jaeger'), which the
// server writes into index.html's <base href>. Every API call and app link goes through here.

/** The base path without a trailing slash ('' when served at the root or outside a browser). */
export function basePath(): string {
  // Read through globalThis: this module also runs in Node (the UI's unit tests), with no document.
  const doc = (globalThis as { document?: { readonly baseURI: string } }).document;
  if (doc === undefined) return '';
  return new URL(doc.baseURI).pathname.replace(/\/+$/, '');
}

/** An app path ('/trace/…', '/api/…') as a URL path below the base. */
export function appUrl(path: string): string {
  return basePath() + path;
}

/** A URL path as an app path (the base removed). */
export function stripBase(pathname: string): string {
  const base = basePath();
  if (base === '' || !pathname.startsWith(base)) return pathname;
  return pathname.slice(base.length) || '/';
}
