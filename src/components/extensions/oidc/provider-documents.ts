// Reading an OpenID provider: its discovery document (OpenID Connect Discovery 1.0 §4, which must name
// the same issuer, §4.3) and the JSON Web Key Set its `jwks_uri` points at, over TLS verified with
// `issuer_ca_path` when set. Every failure is an Error whose message names what was asked of whom.
import { readFile } from 'node:fs/promises';
import type { ConnectionOptions } from 'node:tls';
import type { JSONWebKeySet } from 'jose';
import { errorMessage } from '../../../errors/thrown.ts';
import { requestJson } from '../../../transport/json-request.ts';

/** A provider's answers are small; a provider that does not answer within this is retried later. */
export const PROVIDER_TIMEOUT_MS = 5000;

/** Where a provider's keys are. */
export interface ProviderEndpoints {
  readonly jwksUri: URL;
}

/** TLS options trusting `caPath` (every certificate in it), or none (the system roots) when empty. */
export async function providerTls(caPath: string): Promise<ConnectionOptions> {
  if (caPath === '') return {};
  let ca: string;
  try {
    ca = await readFile(caPath, 'utf8');
  } catch (err) {
    throw new Error(`could not read the CA file "${caPath}": ${errorMessage(err)}`, { cause: err });
  }
  if (!ca.includes('-----BEGIN CERTIFICATE-----'))
    throw new Error(`cannot decode the contents of the CA file "${caPath}": no PEM certificate`);
  return { ca };
}

/** Reads `<issuer>/.well-known/openid-configuration`. */
export async function discover(issuer: string, tls: ConnectionOptions): Promise<ProviderEndpoints> {
  const url = new URL(`${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`);
  const doc = await getJson(url, tls, 'discovery document');
  const said = (doc as { issuer?: unknown; jwks_uri?: unknown } | undefined) ?? {};
  if (said.issuer !== issuer)
    throw new Error(
      `the discovery document at ${url.href} names issuer ${JSON.stringify(said.issuer)}, not "${issuer}"`,
    );
  if (typeof said.jwks_uri !== 'string' || !URL.canParse(said.jwks_uri))
    throw new Error(`the discovery document at ${url.href} has no valid jwks_uri`);
  return { jwksUri: new URL(said.jwks_uri) };
}

/** Reads a JSON Web Key Set (RFC 7517 §5). */
export async function fetchJwks(jwksUri: URL, tls: ConnectionOptions): Promise<JSONWebKeySet> {
  const doc = await getJson(jwksUri, tls, 'key set');
  const keys = (doc as { keys?: unknown } | undefined)?.keys;
  if (!Array.isArray(keys) || keys.some((k) => typeof k !== 'object' || k === null))
    throw new Error(`the key set at ${jwksUri.href} is not a JWKS ({"keys": [...]})`);
  return doc as JSONWebKeySet;
}

async function getJson(url: URL, tls: ConnectionOptions, what: string): Promise<unknown> {
  let answer;
  try {
    answer = await requestJson(url, { method: 'GET', tls, timeoutMs: PROVIDER_TIMEOUT_MS });
  } catch (err) {
    throw new Error(`cannot fetch the ${what} ${url.href}: ${errorMessage(err)}`, { cause: err });
  }
  if (answer.status !== 200) throw new Error(`the ${what} ${url.href} answered HTTP ${String(answer.status)}`);
  if (answer.json === undefined) throw new Error(`the ${what} ${url.href} is not JSON`);
  return answer.json;
}
