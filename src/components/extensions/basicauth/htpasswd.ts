// Parses htpasswd text (the file, then `inline`, as Go's basicauth concatenates them) into a table of
// verifiers. Every line that is not blank or a `#` comment must be `user:hash`; any other line is an
// error naming its source and line number — go-htpasswd skips such lines silently, leaving users
// unable to log in with nothing in the log to say why.
import { parseHash, defaultBcryptVerify } from './hash-schemes.ts';
import type { BcryptVerify, PasswordVerifier } from './password-verifier.ts';

/** One htpasswd text and the name errors give it (a file path, or `htpasswd.inline`). */
export interface HtpasswdSource {
  readonly name: string;
  readonly text: string;
}

/** A line that could not be parsed. The message never quotes the line (it may hold a password). */
export interface HtpasswdLineError {
  readonly source: string;
  readonly line: number;
  readonly message: string;
}

/** The users of an htpasswd, with what the startup log reports about them. */
export interface HtpasswdTable {
  readonly users: ReadonlyMap<string, PasswordVerifier>;
  /** Entries stored as plain text (go-htpasswd's fallback for anything it does not recognise). */
  readonly plainUsers: number;
  /** Plain entries that look like DES crypt hashes (`htpasswd -d`), which neither Go nor telegate verify. */
  readonly desLikeUsers: number;
  /** The costliest entry: unknown users are checked against it so their refusal takes as long. */
  readonly dummy: PasswordVerifier | undefined;
}

/** The table, or every malformed line. */
export type HtpasswdParse =
  | { readonly ok: true; readonly table: HtpasswdTable }
  | { readonly ok: false; readonly errors: readonly HtpasswdLineError[] };

/** `source:line: message`, as the log and start errors show a malformed line. */
export function formatLineError(e: HtpasswdLineError): string {
  return `${e.source}:${e.line}: ${e.message}`;
}

const DES_CRYPT = /^[./0-9A-Za-z]{13}$/;

/** Parses the sources in order; a user defined again later replaces the earlier entry (inline over file). */
export function parseHtpasswd(
  sources: readonly HtpasswdSource[],
  bcryptVerify: BcryptVerify = defaultBcryptVerify,
): HtpasswdParse {
  const users = new Map<string, { verifier: PasswordVerifier; desLike: boolean }>();
  const errors: HtpasswdLineError[] = [];
  for (const source of sources) {
    const lines = source.text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const parsed = parseLine(lines[i] ?? '', bcryptVerify);
      if (parsed === undefined) continue;
      if ('error' in parsed) errors.push({ source: source.name, line: i + 1, message: parsed.error });
      else users.set(parsed.user, { verifier: parsed.verifier, desLike: parsed.desLike });
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, table: summarize(users) };
}

type Line = { user: string; verifier: PasswordVerifier; desLike: boolean } | { error: string } | undefined;

function parseLine(raw: string, bcryptVerify: BcryptVerify): Line {
  // Go trims the whole line (so CRLF files work, and a plain password loses surrounding blanks).
  const line = raw.trim();
  if (line === '' || line.startsWith('#')) return undefined;
  const colon = line.indexOf(':');
  if (colon < 0) return { error: "no ':' between a user name and a password hash" };
  const user = line.slice(0, colon);
  const encoded = line.slice(colon + 1);
  if (user === '') return { error: 'empty user name' };
  if (encoded === '') return { error: `user ${JSON.stringify(user)} has an empty password hash` };
  const parsed = parseHash(encoded, bcryptVerify);
  if (!parsed.ok) return { error: `user ${JSON.stringify(user)}: ${parsed.message}` };
  const desLike = parsed.verifier.scheme === 'plain' && DES_CRYPT.test(encoded);
  return { user, verifier: parsed.verifier, desLike };
}

function summarize(entries: Map<string, { verifier: PasswordVerifier; desLike: boolean }>): HtpasswdTable {
  const users = new Map<string, PasswordVerifier>();
  let plainUsers = 0;
  let desLikeUsers = 0;
  let dummy: PasswordVerifier | undefined;
  for (const [user, { verifier, desLike }] of entries) {
    users.set(user, verifier);
    if (verifier.scheme === 'plain') plainUsers++;
    if (desLike) desLikeUsers++;
    if (dummy === undefined || verifier.cost > dummy.cost) dummy = verifier;
  }
  return { users, plainUsers, desLikeUsers, dummy };
}
