// Renders config issues for a terminal: one block per issue (`error: <path> (<file>:<line>:<col>):
// <message>` then `  hint: …`), and a summary line (`2 errors, 1 warning`).
import type { ConfigIssue } from './issues.ts';
import type { Source } from './node.ts';

/** `file:line:col`, or just the origin when it has no lines (a --set flag). */
export function formatSource(source: Source): string {
  return source.line === 0 ? source.file : `${source.file}:${source.line}:${source.column}`;
}

/** One issue as text (two lines when it has a hint). */
export function formatIssue(issue: ConfigIssue): string {
  const where = issue.source === undefined ? '' : ` (${formatSource(issue.source)})`;
  const subject = issue.path === '' ? where.trim() : `${issue.path}${where}`;
  const head = `${issue.severity}: ${subject === '' ? '' : `${subject}: `}${issue.message}`;
  return issue.hint === undefined ? head : `${head}\n  hint: ${issue.hint}`;
}

/** `2 errors, 1 warning`; `no problems` when empty. */
export function formatSummary(issues: readonly ConfigIssue[]): string {
  const errors = issues.filter((i) => i.severity === 'error').length;
  const warnings = issues.length - errors;
  if (issues.length === 0) return 'no problems';
  const parts = [];
  if (errors > 0) parts.push(`${errors} error${errors === 1 ? '' : 's'}`);
  if (warnings > 0) parts.push(`${warnings} warning${warnings === 1 ? '' : 's'}`);
  return parts.join(', ');
}

/** Every issue (errors first, then warnings, each in source order) and the summary line. */
export function formatIssues(issues: readonly ConfigIssue[]): string {
  const ordered = [...issues.filter((i) => i.severity === 'error'), ...issues.filter((i) => i.severity === 'warning')];
  return [...ordered.map(formatIssue), formatSummary(issues)].join('\n');
}
