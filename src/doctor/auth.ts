// Step 5: the credentials. The empty export sent by the protocol step carried the exporter's headers
// (its authenticator's among them); the gateway's verdict on it is read here and said in plain words.
import { GrpcStatus } from '../errors/grpc-status.ts';
import { redactSecrets } from '../util/redact.ts';
import { answeredBy, describeAnswer } from './answer.ts';
import type { ProbeAnswer } from './grpc-probe.ts';
import { fail, pass, type Failure, type StepResult } from './result.ts';
import type { DoctorTarget } from './target.ts';

/** Judges the answer to the empty export. */
export function checkAuth(target: DoctorTarget, answer: ProbeAnswer): StepResult {
  const said = redactSecrets(
    answer.grpcMessage !== '' ? answer.grpcMessage : answer.text.trim(),
    Object.values(target.headers),
  );
  const code = answer.grpcStatus ?? grpcCodeOfHttp(answer.httpStatus);
  if (code === GrpcStatus.OK) return pass('auth', `${target.authority} accepted an empty export ${as(target)}`);
  if (code === GrpcStatus.UNAUTHENTICATED) return fail('auth', unauthenticated(target, answer, said));
  if (code === GrpcStatus.PERMISSION_DENIED) return fail('auth', denied(target, answer, said));
  if (code === GrpcStatus.RESOURCE_EXHAUSTED && /throttl|too many/i.test(said))
    return fail('auth', throttled(target, said));
  return fail('auth', {
    finding: 'export-refused',
    detail: `${target.authority} refused an empty export ${as(target)}: ${describeAnswer(answer)}${said === '' ? '' : `: ${said}`}`,
    cause:
      code === GrpcStatus.UNAVAILABLE
        ? 'the gateway is up but cannot take data now (overloaded, or its own exporters are failing)'
        : 'the gateway refused the request for a reason other than credentials',
    fix: "read the gateway's log around this time; `telegate doctor --config` on the gateway checks its own exporters",
  });
}

function as(target: DoctorTarget): string {
  if (target.auth === undefined) return 'without credentials';
  const who = target.auth.identity === '' ? '' : ` as \`${target.auth.identity}\``;
  return `${who.trim()} (${target.auth.authenticator})`.trim();
}

function unauthenticated(target: DoctorTarget, answer: ProbeAnswer, said: string): Failure {
  const proxy = answer.grpcStatus === undefined ? answeredBy(answer) : '';
  const by = proxy === '' ? 'the gateway' : `the proxy (${proxy})`;
  const status = answer.grpcStatus === undefined ? `HTTP ${answer.httpStatus}` : 'UNAUTHENTICATED';
  if (target.auth === undefined) {
    return {
      finding: 'no-credentials',
      detail: `${by} answered ${status}: ${target.name} sends no credentials${said === '' ? '' : ` (${said})`}`,
      cause: 'the gateway requires authentication and this exporter has no auth.authenticator',
      fix: 'add `auth: {authenticator: basicauth/client}` to the exporter, configure basicauth/client with client_auth (username, password) and list it in service.extensions',
    };
  }
  const user = target.auth.identity;
  const extension = target.auth.authenticator;
  return {
    finding: 'unauthenticated',
    detail:
      user === ''
        ? `${by} answered ${status}: the credentials of ${extension} were refused`
        : `${by} answered ${status}: the password of \`${user}\` does not match the gateway's htpasswd (or \`${user}\` is not in it)`,
    cause: `the gateway does not accept the credentials ${extension} sends`,
    fix: user === '' ? `make the token of ${extension} one the gateway accepts` : passwordFix(extension, user),
  };
}

function passwordFix(extension: string, user: string): string {
  const where = extension === '--user' ? 'the password in --password-file' : `client_auth.password of ${extension}`;
  return `make ${where} the password of \`${user}\` in the gateway's htpasswd, or write a new line for \`${user}\` there (\`htpasswd -B FILE ${user}\` or \`telegate passwd ${user}\`)`;
}

function denied(target: DoctorTarget, answer: ProbeAnswer, said: string): Failure {
  return {
    finding: 'permission-denied',
    detail: `${target.authority} answered ${describeAnswer(answer)} ${as(target)}${said === '' ? '' : `: ${said}`}`,
    cause: 'the credentials were recognised but this user may not send here',
    fix: "check the gateway's (or the proxy's) access rules for this user",
  };
}

function throttled(target: DoctorTarget, said: string): Failure {
  return {
    finding: 'throttled',
    detail: `${target.authority} throttles ${as(target)}: ${said}`,
    cause: 'too many failed attempts with wrong passwords for this user from this address',
    fix: 'fix the password first; the gateway lets this user try again after its block ends',
  };
}

// OTLP/HTTP answers (OTLP spec "Failures"): 401 and 403 are the credential verdicts, 2xx success.
function grpcCodeOfHttp(status: number): number {
  if (status >= 200 && status <= 299) return GrpcStatus.OK;
  if (status === 401) return GrpcStatus.UNAUTHENTICATED;
  if (status === 403) return GrpcStatus.PERMISSION_DENIED;
  if (status === 429 || status === 413) return GrpcStatus.RESOURCE_EXHAUSTED;
  return GrpcStatus.UNKNOWN;
}
