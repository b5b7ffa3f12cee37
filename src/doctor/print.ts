// Doctor's printout: per target, one line per step with ✔ (passed), ✘ (failed) or – (skipped), and
// under a failure the likely cause and the fix; a closing line counts the targets that passed.
import { passed, type StepName, type StepResult, type TargetReport } from './result.ts';

const LABEL: Readonly<Record<StepName, string>> = {
  dns: 'DNS',
  tcp: 'TCP',
  tls: 'TLS',
  protocol: 'protocol',
  token: 'token',
  auth: 'auth',
  size: 'body size',
};
const MARK = { pass: '✔', fail: '✘', skip: '–' } as const;

/** The report of one target as text lines. */
export function formatReport(report: TargetReport): string {
  const lines = [`${report.name} → ${report.endpoint}`];
  for (const step of report.steps) lines.push(...formatStep(step));
  return lines.join('\n');
}

function formatStep(step: StepResult): string[] {
  const lines = [`  ${MARK[step.outcome]} ${LABEL[step.step].padEnd(9)} ${step.detail}`];
  if (step.cause !== undefined) lines.push(`      cause: ${step.cause}`);
  if (step.fix !== undefined) lines.push(`      fix:   ${step.fix}`);
  return lines;
}

/** `2 of 3 exporters pass` — the closing line. */
export function formatSummary(reports: readonly TargetReport[]): string {
  const ok = reports.filter(passed).length;
  const noun = reports.length === 1 ? 'endpoint' : 'endpoints';
  return ok === reports.length ? `all ${reports.length} ${noun} pass` : `${ok} of ${reports.length} ${noun} pass`;
}
