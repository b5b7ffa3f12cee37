// Finds and decodes an `Authorization: Basic …` credential (RFC 7617) in HTTP headers or gRPC
// metadata, as Go's basicauth does: the first value, scheme case-insensitive, strict base64, split
// at the first ':'. The password stays bytes, so that it is compared exactly as sent.
import type { RequestHeaders } from '../../../contracts/auth.ts';
import { decodeBase64Strict } from './base64-strict.ts';

/** A decoded credential. */
export interface BasicCredential {
  readonly username: string;
  readonly password: Buffer;
}

/** Why a header could not be decoded, in Go's words. */
export type BasicHeaderProblem = 'invalid authorization scheme prefix' | 'invalid authorization format';

const PREFIX = 'basic ';
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The first `authorization` value: the lower-case key first (Node and gRPC lower-case), then any case. */
export function authorizationHeader(headers: RequestHeaders): string | undefined {
  let value = headers['authorization'];
  if (value === undefined) {
    for (const key of Object.keys(headers)) {
      if (key.toLowerCase() === 'authorization') {
        value = headers[key];
        break;
      }
    }
  }
  const first = typeof value === 'string' ? value : value?.[0];
  return first === '' ? undefined : first;
}

/** Decodes `Basic base64(user:password)`, or names the problem. */
export function decodeBasic(header: string): BasicCredential | BasicHeaderProblem {
  if (header.length < PREFIX.length || header.slice(0, PREFIX.length).toLowerCase() !== PREFIX)
    return 'invalid authorization scheme prefix';
  const bytes = decodeBase64Strict(header.slice(PREFIX.length));
  if (bytes === undefined) return 'invalid authorization format';
  const colon = bytes.indexOf(0x3a);
  if (colon < 0) return 'invalid authorization format';
  let username: string;
  try {
    username = utf8.decode(bytes.subarray(0, colon));
  } catch {
    return 'invalid authorization format';
  }
  return { username, password: bytes.subarray(colon + 1) };
}
