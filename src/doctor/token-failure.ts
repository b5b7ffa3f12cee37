// Why the token step failed, in plain words: the provider could not be reached (by DNS, TCP or TLS —
// with the TLS hint of the `tls` block of the extension), it refused the client (the OAuth2 error
// codes of RFC 6749 §5.2 each said as what they mean here), or its answer was no token.
import type { TokenError } from '../components/extensions/oauth2client/token-request.ts';
import type { Failure } from './result.ts';

/** Who asked where. */
export interface TokenSubject {
  readonly authenticator: string;
  readonly clientId: string;
  readonly tokenUrl: string;
}

/** Our side could not send the request: a credentials file or a file of the `tls` block. */
export class SetupError extends Error {
  readonly what: 'tls-files' | 'credentials-file';
  constructor(what: SetupError['what'], message: string) {
    super(message);
    this.what = what;
  }
}

const DNS = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME']);
const TCP = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT']);
const CERT = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ALTNAME|EPROTO|SSL|TLS/i;

/** The failure for `err`. */
export function tokenFailure(s: TokenSubject, err: TokenError | SetupError): Failure {
  if (isSetup(err)) return setupFailure(s, err);
  if (err.kind === 'unreachable') return unreachable(s, err);
  if (err.kind === 'refused') return refused(s, err);
  const said =
    err.kind === 'not-json'
      ? 'answered 200 with something that is not JSON'
      : err.kind === 'no-token'
        ? 'answered 200 with JSON that holds no access_token'
        : err.message.replace(/^.*? gave/, 'gave');
  return {
    finding: err.kind === 'not-bearer' ? 'token-not-bearer' : `token-${err.kind}`,
    detail: `${s.tokenUrl} ${said}`,
    cause: 'token_url is not the token endpoint of an OAuth2 provider (a login page, a discovery document, a proxy)',
    fix: `set extensions.${s.authenticator}.token_url to the provider's token_endpoint (listed in its /.well-known/openid-configuration)`,
  };
}

function isSetup(err: TokenError | SetupError): err is SetupError {
  return 'what' in err;
}

function setupFailure(s: TokenSubject, err: SetupError): Failure {
  const tls = err.what === 'tls-files';
  return {
    finding: tls ? 'token-tls-files' : 'credentials-file',
    detail: err.message,
    cause: tls
      ? `the files of the tls block of ${s.authenticator} cannot be used`
      : `the client id or secret file of ${s.authenticator} cannot be read`,
    fix: 'fix the path or the contents of the file named above (`telegate validate` checks them too)',
  };
}

function unreachable(s: TokenSubject, err: TokenError): Failure {
  const detail = err.message;
  const host = new URL(s.tokenUrl).host;
  if (DNS.has(err.code))
    return {
      finding: 'token-dns',
      detail,
      cause: `the host of token_url (${host}) does not resolve from here`,
      fix: `check extensions.${s.authenticator}.token_url for a typo, and that the provider's name is known from this network`,
    };
  if (TCP.has(err.code) || /no answer within/.test(detail))
    return {
      finding: 'token-unreachable',
      detail,
      cause: `the provider at ${host} does not accept connections from here (${err.code || 'no answer'})`,
      fix: `check the host and port of extensions.${s.authenticator}.token_url, that the provider is up, and firewalls on the way`,
    };
  if (CERT.test(err.code) || CERT.test(detail))
    return {
      finding: 'token-tls',
      detail,
      cause: `the TLS handshake with the provider at ${host} failed: its certificate is not trusted with the tls block of ${s.authenticator}`,
      fix: `set extensions.${s.authenticator}.tls.ca_file to the CA that signed the provider's certificate (and server_name_override if it is issued for another name)`,
    };
  return {
    finding: 'token-unreachable',
    detail,
    cause: `no answer from the provider at ${host}`,
    fix: `check extensions.${s.authenticator}.token_url and the network between here and the provider`,
  };
}

// RFC 6749 §5.2: what each error code means for a client-credentials grant.
function refused(s: TokenSubject, err: TokenError): Failure {
  const id = s.clientId === '' ? 'this client (id read from client_id_file)' : `client \`${s.clientId}\``;
  const ext = `extensions.${s.authenticator}`;
  const base = { finding: err.error === '' ? `token-http-${String(err.status)}` : err.error, detail: err.message };
  switch (err.error) {
    case 'invalid_client':
      return {
        ...base,
        cause: `the provider does not know ${id} or the secret is wrong`,
        fix: `check ${ext}.client_id against the provider's client list and set ${ext}.client_secret (or client_secret_file) to that client's current secret`,
      };
    case 'invalid_scope':
      return {
        ...base,
        cause: `the provider will not grant the scopes asked (${ext}.scopes) to ${id}`,
        fix: `ask only scopes the provider defines and allows this client, or allow them to the client at the provider`,
      };
    case 'unauthorized_client':
    case 'unsupported_grant_type':
      return {
        ...base,
        cause: `${id} may not use the client-credentials grant at this provider`,
        fix: 'enable the client_credentials grant for this client at the provider',
      };
    case '':
      return { ...base, ...httpStatus(err.status, ext) };
    default:
      return {
        ...base,
        cause: `the provider refused the token request of ${id} (${err.error})`,
        fix: `read the error above; check ${ext}.endpoint_params (e.g. audience) and scopes against what the provider expects`,
      };
  }
}

function httpStatus(status: number, ext: string): { cause: string; fix: string } {
  if (status === 404 || status === 405)
    return {
      cause: `token_url answered HTTP ${String(status)}: it is not the provider's token endpoint`,
      fix: `set ${ext}.token_url to the provider's token_endpoint (listed in its /.well-known/openid-configuration)`,
    };
  return {
    cause: `the provider answered HTTP ${String(status)} without an OAuth2 error`,
    fix: `check ${ext}.token_url, and the provider's (or its proxy's) log around this time`,
  };
}
