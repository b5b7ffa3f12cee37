// Reading and checking the PEM material of a `tls` block (CA, certificate, key, client CA) from files or
// inline `*_pem` keys: once at validate time, at start, and on each reload. Problems are values naming
// the YAML key and file; PEM contents (secrets for keys) never appear in a message.
import { createHash, createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { errorMessage } from '../errors/thrown.ts';
import { revealed, type Secret } from '../util/secret.ts';

/**
 * The file / inline-PEM keys shared by client and server blocks ('' or absent means unset). Inline PEM
 * is a `Secret` from the config (Go's configopaque.String), revealed only here, when it is read.
 */
export interface TlsFilesConfig {
  readonly ca_file?: string | undefined;
  readonly ca_pem?: Secret | string | undefined;
  readonly cert_file?: string | undefined;
  readonly cert_pem?: Secret | string | undefined;
  readonly key_file?: string | undefined;
  readonly key_pem?: Secret | string | undefined;
  readonly client_ca_file?: string | undefined;
}

/** What a piece of material is for. */
export type TlsRole = 'ca' | 'cert' | 'key' | 'client_ca';

/** A problem: the key below `tls` it concerns (`cert_file`) and a message. */
export type TlsProblem = readonly [key: string, message: string];

/** The material read and checked: PEM text per role, and a digest to tell when anything changed. */
export interface TlsMaterial {
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
  readonly client_ca?: string;
  readonly digest: string;
}

interface Source {
  readonly role: TlsRole;
  /** The YAML key the material comes from (`cert_file` or `cert_pem`). */
  readonly key: string;
  readonly file?: string;
  readonly pem?: string;
}

type Texts = Partial<Record<TlsRole, string>>;

const ALL_ROLES: readonly TlsRole[] = ['ca', 'cert', 'key', 'client_ca'];

/** Reads (blocking) and checks the material of `roles`; for validate and start, where files are few and small. */
export function loadTlsMaterialSync(cfg: TlsFilesConfig, roles: readonly TlsRole[] = ALL_ROLES): MaterialResult {
  const texts: Texts = {};
  const problems: TlsProblem[] = [];
  for (const src of sourcesOf(cfg, roles)) {
    const read = src.file === undefined ? { text: src.pem ?? '' } : readSync(src.file, src.key);
    if ('problem' in read) problems.push(read.problem);
    else texts[src.role] = read.text;
  }
  return finish(cfg, texts, problems);
}

/** Reads (without blocking) and checks the material of `roles`, taking the others from `previous`. */
export async function loadTlsMaterial(
  cfg: TlsFilesConfig,
  roles: readonly TlsRole[] = ALL_ROLES,
  previous?: TlsMaterial,
): Promise<MaterialResult> {
  const texts: Texts = {};
  for (const role of ALL_ROLES) if (previous?.[role] !== undefined) texts[role] = previous[role];
  const problems: TlsProblem[] = [];
  for (const src of sourcesOf(cfg, roles)) {
    const read = src.file === undefined ? { text: src.pem ?? '' } : await readAsync(src.file, src.key);
    if ('problem' in read) problems.push(read.problem);
    else texts[src.role] = read.text;
  }
  return finish(cfg, texts, problems);
}

/** Material, or every problem found. */
export type MaterialResult =
  { readonly ok: true; readonly material: TlsMaterial } | { readonly ok: false; readonly problems: TlsProblem[] };

function sourcesOf(cfg: TlsFilesConfig, roles: readonly TlsRole[]): Source[] {
  const out: Source[] = [];
  const add = (
    role: TlsRole,
    fileKey: string,
    file: string | undefined,
    pemKey: string,
    pem?: Secret | string,
  ): void => {
    if (!roles.includes(role)) return;
    if (file !== undefined && file !== '') out.push({ role, key: fileKey, file });
    else if (isSet(pem)) out.push({ role, key: pemKey, pem: revealed(pem) });
  };
  add('ca', 'ca_file', cfg.ca_file, 'ca_pem', cfg.ca_pem);
  add('cert', 'cert_file', cfg.cert_file, 'cert_pem', cfg.cert_pem);
  add('key', 'key_file', cfg.key_file, 'key_pem', cfg.key_pem);
  add('client_ca', 'client_ca_file', cfg.client_ca_file, '');
  return out;
}

/** Whether a key is set (Go treats "" as unset). */
export function isSet(v: Secret | string | undefined): boolean {
  return revealed(v) !== '';
}

type Read = { readonly text: string } | { readonly problem: TlsProblem };

function readSync(file: string, key: string): Read {
  try {
    return { text: readFileSync(file, 'utf8') };
  } catch (err) {
    return { problem: [key, unreadable(file, key, err)] };
  }
}

async function readAsync(file: string, key: string): Promise<Read> {
  try {
    return { text: await readFile(file, 'utf8') };
  } catch (err) {
    return { problem: [key, unreadable(file, key, err)] };
  }
}

const ERRNO_REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a parent is not a directory',
};

function unreadable(file: string, key: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  return `cannot read tls.${key} ${file}: ${ERRNO_REASONS[code] ?? errorMessage(err)}`;
}

// Checks what was read: CA bundles hold certificates, the certificate parses, the key parses and is
// the certificate's own (compared by public key, as Go's tls.X509KeyPair does).
function finish(cfg: TlsFilesConfig, texts: Texts, problems: TlsProblem[]): MaterialResult {
  const keyOf = (role: TlsRole): string => keyName(cfg, role);
  for (const role of ['ca', 'client_ca'] as const) {
    const text = texts[role];
    if (text === undefined) continue;
    const certs = parseCertificates(text, label(cfg, role));
    if (typeof certs === 'string') problems.push([keyOf(role), certs]);
  }
  const pair = checkPair(cfg, texts);
  if (pair !== undefined) problems.push(pair);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, material: { ...texts, digest: digestOf(texts) } };
}

function checkPair(cfg: TlsFilesConfig, texts: Texts): TlsProblem | undefined {
  if (texts.cert === undefined || texts.key === undefined) return undefined;
  const certs = parseCertificates(texts.cert, label(cfg, 'cert'));
  if (typeof certs === 'string') return [keyName(cfg, 'cert'), certs];
  const key = parsePrivateKey(texts.key, label(cfg, 'key'));
  if (typeof key === 'string') return [keyName(cfg, 'key'), key];
  const leaf = certs[0];
  if (leaf === undefined || sameKey(leaf, key)) return undefined;
  const certKey = keyName(cfg, 'cert');
  return [
    certKey,
    `tls.${certKey} and tls.${keyName(cfg, 'key')} do not match: the certificate (${leaf.subject.replace(/\n/g, ', ')}) was issued for another private key`,
  ];
}

function sameKey(cert: X509Certificate, key: KeyObject): boolean {
  const fromCert = cert.publicKey.export({ type: 'spki', format: 'der' });
  const fromKey = createPublicKey(key).export({ type: 'spki', format: 'der' });
  return fromCert.equals(fromKey);
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g;

/** The certificates of a PEM bundle, or a message when it holds none or one does not parse. */
export function parseCertificates(text: string, where: string): X509Certificate[] | string {
  const blocks = text.match(PEM_CERT) ?? [];
  if (blocks.length === 0) return `${where} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`;
  const certs: X509Certificate[] = [];
  for (const block of blocks) {
    try {
      certs.push(new X509Certificate(block));
    } catch (err) {
      return `${where} holds a certificate that cannot be parsed: ${errorMessage(err)}`;
    }
  }
  return certs;
}

function parsePrivateKey(text: string, where: string): KeyObject | string {
  try {
    return createPrivateKey({ key: text, format: 'pem' });
  } catch (err) {
    // Node's message names the decoder failure, never key bytes.
    return `${where} is not a usable PEM private key: ${errorMessage(err)}`;
  }
}

function keyName(cfg: TlsFilesConfig, role: TlsRole): string {
  if (role === 'client_ca') return 'client_ca_file';
  const file = role === 'ca' ? cfg.ca_file : role === 'cert' ? cfg.cert_file : cfg.key_file;
  return isSet(file) ? `${role}_file` : `${role}_pem`;
}

// `tls.cert_file /etc/x.pem` for a file; `tls.cert_pem` for inline PEM (its contents are not shown).
function label(cfg: TlsFilesConfig, role: TlsRole): string {
  const key = keyName(cfg, role);
  const file = { ca: cfg.ca_file, cert: cfg.cert_file, key: cfg.key_file, client_ca: cfg.client_ca_file }[role];
  return key.endsWith('_file') && isSet(file) ? `tls.${key} ${file}` : `tls.${key}`;
}

function digestOf(texts: Texts): string {
  const hash = createHash('sha256');
  for (const role of ALL_ROLES) hash.update(`${role}\0${texts[role] ?? ''}\0`);
  return hash.digest('hex');
}
