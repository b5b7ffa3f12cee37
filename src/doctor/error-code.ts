// The `code` of a Node error (`ECONNREFUSED`, `CERT_HAS_EXPIRED`, …), or '' when it has none.

/** The error's string `code`, or ''. */
export function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}
