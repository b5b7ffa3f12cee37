// Config problems as values: every stage (load, expand, validate, resolve) appends issues to one
// list so that a user sees every problem at once, each with its YAML path, source and a hint.
import type { ErrorCode } from '../errors/catalogue.ts';
import type { Source } from './node.ts';

/** One config problem. `path` is the dotted YAML path (`receivers.otlp.protocols.grpc.endpoint`). */
export interface ConfigIssue {
  readonly severity: 'error' | 'warning';
  readonly path: string;
  readonly source?: Source;
  readonly message: string;
  readonly hint?: string;
  readonly code: ErrorCode;
}

/** What a stage needs to report one issue. */
export interface IssueInit {
  readonly path: string;
  readonly source: Source | undefined;
  readonly message: string;
  readonly hint?: string | undefined;
  readonly code: ErrorCode;
}

/** Collects issues in the order they are found. */
export class IssueList {
  readonly items: ConfigIssue[] = [];

  /** Records an error. */
  error(init: IssueInit): void {
    this.items.push(build('error', init));
  }

  /** Records a warning. */
  warning(init: IssueInit): void {
    this.items.push(build('warning', init));
  }

  /** Appends issues found elsewhere. */
  addAll(issues: readonly ConfigIssue[]): void {
    this.items.push(...issues);
  }

  /** The number of errors so far. */
  errorCount(): number {
    return this.items.filter((i) => i.severity === 'error').length;
  }
}

function build(severity: ConfigIssue['severity'], init: IssueInit): ConfigIssue {
  return {
    severity,
    path: init.path,
    ...(init.source === undefined ? {} : { source: init.source }),
    message: init.message,
    ...(init.hint === undefined ? {} : { hint: init.hint }),
    code: init.code,
  };
}

/** True when any issue is an error. */
export function hasErrors(issues: readonly ConfigIssue[]): boolean {
  return issues.some((i) => i.severity === 'error');
}
