// The client id and secret for the next token request: inline, or read from files at each request (as
// Go's value sources do), so that a rotated secret file is used without a restart.
import { readFile } from 'node:fs/promises';
import { errorMessage } from '../../../errors/thrown.ts';
import type { OAuth2ClientConfig } from './config.ts';

/** The credentials, revealed for the one request that sends them. */
export interface ClientCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** Reads the credentials; a file that cannot be read or is empty is named. */
export async function readClientCredentials(cfg: OAuth2ClientConfig): Promise<ClientCredentials> {
  const clientId = cfg.client_id_file === '' ? cfg.client_id : await readValue(cfg.client_id_file, 'client id');
  const clientSecret =
    cfg.client_secret_file === ''
      ? cfg.client_secret.reveal()
      : await readValue(cfg.client_secret_file, 'client secret');
  return { clientId, clientSecret };
}

async function readValue(path: string, what: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read the ${what} file "${path}": ${errorMessage(err)}`, { cause: err });
  }
  const value = text.trim();
  if (value === '') throw new Error(`the ${what} file "${path}" is empty`);
  return value;
}
