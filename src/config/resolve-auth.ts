// The `auth.authenticator` check: every reference a used receiver or exporter makes (listed by its
// factory's `authenticators`) must name an extension that is configured, enabled in
// service.extensions and able to play the needed role — server for a receiver, client for an
// exporter — so that the mistake is reported with its line instead of failing at start.
import type { AuthenticatorRef, Factory } from '../contracts/component.ts';
import { joinPath, nodeAt } from './node.ts';
import type { IssueList } from './issues.ts';
import type { SectionResult } from './resolve-components.ts';
import { didYouMean } from './suggest.ts';
import type { ResolvedPipeline } from './types.ts';

type Role = 'server' | 'client';

/** The sections and service parts the check reads. */
export interface AuthCheckInput {
  readonly receivers: SectionResult;
  readonly exporters: SectionResult;
  readonly extensions: SectionResult;
  readonly enabled: readonly string[];
  readonly pipelines: ReadonlyMap<string, ResolvedPipeline>;
}

// How to make a known authenticator type play a role (its config key).
const ROLE_SETTING: Readonly<Record<string, Partial<Record<Role, string>>>> = {
  basicauth: { server: 'configure htpasswd', client: 'configure client_auth' },
};

/** Reports every bad authenticator reference of the used receivers and exporters. */
export function checkAuthenticatorRefs(input: AuthCheckInput, issues: IssueList): void {
  const pipelines = [...input.pipelines.values()];
  const receivers = new Set(pipelines.flatMap((p) => p.receivers));
  const exporters = new Set(pipelines.flatMap((p) => p.exporters));
  for (const id of receivers) checkComponent('receivers', id, input.receivers, 'server', input, issues);
  for (const id of exporters) checkComponent('exporters', id, input.exporters, 'client', input, issues);
}

function checkComponent(
  section: string,
  id: string,
  components: SectionResult,
  role: Role,
  input: AuthCheckInput,
  issues: IssueList,
): void {
  const known = components.known.get(id);
  // A component whose own rules failed is still checked: every problem is reported at once.
  if (known?.factory === undefined || known.schemaValid === undefined) return;
  for (const ref of refsOf(known.factory, known.schemaValid)) {
    const source = nodeAt(known.node, ref.path)?.source ?? known.keySource;
    const problem = checkRef(ref.id, role, input);
    if (problem === undefined) continue;
    issues.error({
      path: joinPath(joinPath(section, id), ref.path),
      source,
      message: problem.message,
      hint: problem.hint,
      code: 'TG_CONFIG_AUTHENTICATOR',
    });
  }
}

// A factory that cannot list its references is not checked; its own validate() reports the config.
function refsOf(factory: Factory, config: unknown): readonly AuthenticatorRef[] {
  try {
    return factory.authenticators?.(config) ?? [];
  } catch {
    return [];
  }
}

interface Problem {
  readonly message: string;
  readonly hint: string;
}

function checkRef(ref: string, role: Role, input: AuthCheckInput): Problem | undefined {
  const quoted = JSON.stringify(ref);
  const extension = input.extensions.known.get(ref);
  if (extension === undefined) {
    const ids = [...input.extensions.known.keys()];
    return {
      message: `${quoted} is not configured under extensions${didYouMean(ref, ids)}`,
      hint: `Configure the authenticator under extensions: and list it in service.extensions.`,
    };
  }
  if (!input.enabled.includes(ref)) {
    return {
      message: `${quoted} is not in service.extensions`,
      hint: 'Add it to service.extensions: an extension that is not listed there is never started.',
    };
  }
  // An unknown type or an invalid config is reported where it is written.
  if (extension.factory === undefined || extension.factory.kind !== 'extension') return undefined;
  const rolesOf = extension.factory.authenticatorRoles?.bind(extension.factory);
  if (rolesOf === undefined) {
    return {
      message: `${quoted} is not an authenticator`,
      hint: 'Name an authenticator extension here, such as basicauth or bearertokenauth.',
    };
  }
  const config = input.extensions.resolved.get(ref)?.config;
  if (config === undefined) return undefined;
  const roles = rolesOf(config);
  if (roles.includes(role)) return undefined;
  return wrongRole(quoted, extension.factory.type, role, roles);
}

function wrongRole(quoted: string, type: string, role: Role, roles: readonly Role[]): Problem {
  const user = role === 'server' ? 'a receiver' : 'an exporter';
  const how = ROLE_SETTING[type]?.[role];
  const needed = `${user} needs a ${role} one${how === undefined ? '' : ` (${how})`}`;
  const other: Role = role === 'server' ? 'client' : 'server';
  const message = roles.includes(other)
    ? `${quoted} is a ${other} authenticator; ${needed}`
    : `${quoted} is not configured as an authenticator; ${needed}`;
  return {
    message,
    hint:
      role === 'server'
        ? 'A receiver checks credentials: use an authenticator configured to verify them.'
        : 'An exporter sends credentials: use an authenticator configured with the credentials to send.',
  };
}
