// Reads the configured htpasswd sources — `htpasswd.file`, then `htpasswd.inline` — and parses them
// into one table, or a message naming the file (and line) that is wrong. Used at start and on reload.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import {
  formatLineError,
  parseHtpasswd,
  type HtpasswdLineError,
  type HtpasswdSource,
  type HtpasswdTable,
} from './htpasswd.ts';
import type { BcryptVerify } from './password-verifier.ts';
import { errorMessage } from '../../../errors/thrown.ts';

/** The name errors give the inline content. */
export const INLINE_SOURCE = 'htpasswd.inline';
const MAX_ERRORS_SHOWN = 5;

/** A loaded table with a digest of the file's bytes (to skip reloads that change nothing), or a message. */
export type HtpasswdLoad =
  | { readonly ok: true; readonly table: HtpasswdTable; readonly fileDigest: string }
  | { readonly ok: false; readonly message: string };

/** Reads and parses the sources; never throws. `file` and `inline` may be '' (unset). */
export async function loadHtpasswd(file: string, inline: string, bcryptVerify?: BcryptVerify): Promise<HtpasswdLoad> {
  const sources: HtpasswdSource[] = [];
  let fileDigest = '';
  if (file !== '') {
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (err) {
      return { ok: false, message: `open htpasswd file: ${errorMessage(err)}` };
    }
    fileDigest = createHash('sha256').update(bytes).digest('hex');
    sources.push({ name: file, text: bytes.toString('utf8') });
  }
  if (inline !== '') sources.push({ name: INLINE_SOURCE, text: inline });
  const parsed = parseHtpasswd(sources, bcryptVerify);
  if (parsed.ok) return { ok: true, table: parsed.table, fileDigest };
  return { ok: false, message: `read htpasswd content: ${summarizeErrors(parsed.errors)}` };
}

function summarizeErrors(errors: readonly HtpasswdLineError[]): string {
  const shown = errors.slice(0, MAX_ERRORS_SHOWN).map(formatLineError);
  const more = errors.length - shown.length;
  return `${shown.join('; ')}${more > 0 ? `; and ${more} more malformed line${more === 1 ? '' : 's'}` : ''}`;
}

/**
 * What `telegate validate` reports about the htpasswd sources, as [path below the extension, message]:
 * a file that cannot be read, and malformed lines of each source. Synchronous, as config validation is.
 */
export function htpasswdProblems(file: string, inline: string): [string, string][] {
  const problems: [string, string][] = [];
  const check = (path: string, source: HtpasswdSource): void => {
    const parsed = parseHtpasswd([source]);
    if (!parsed.ok) problems.push([path, `malformed htpasswd lines: ${summarizeErrors(parsed.errors)}`]);
  };
  if (file !== '') {
    try {
      check('htpasswd.file', { name: file, text: readFileSync(file, 'utf8') });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : String(code ?? err);
      problems.push(['htpasswd.file', `cannot read htpasswd file ${file}: ${why}`]);
    }
  }
  if (inline !== '') check('htpasswd.inline', { name: INLINE_SOURCE, text: inline });
  return problems;
}
