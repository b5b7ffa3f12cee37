// The step runner: DNS → TCP → TLS → protocol → token → auth → size for one target, each step run only when
// the ones before it passed (a later step cannot say anything true after an earlier failure); the
// steps not run are reported as skipped, so every report has every step.
import { checkAuth } from './auth.ts';
import { checkDns } from './dns.ts';
import { checkProtocol } from './protocol.ts';
import { skip, STEPS, type StepName, type StepResult, type TargetReport } from './result.ts';
import { checkSize } from './size.ts';
import { checkTcp } from './tcp.ts';
import { checkTls } from './tls.ts';
import { checkToken } from './token.ts';
import type { DoctorTarget } from './target.ts';

/** How long each network step may wait for an answer. */
export interface CheckOptions {
  readonly timeoutMs: number;
}

/** Runs every step for `target`. Never rejects. */
export async function checkTarget(target: DoctorTarget, options: CheckOptions): Promise<TargetReport> {
  const steps: StepResult[] = [];
  await runSteps(target, options.timeoutMs, steps);
  const ran = new Set(steps.map((s) => s.step));
  const failed = steps.find((s) => s.outcome === 'fail')?.step;
  for (const step of STEPS) if (!ran.has(step)) steps.push(skip(step, notRun(failed)));
  steps.sort((a, b) => STEPS.indexOf(a.step) - STEPS.indexOf(b.step));
  return { name: target.name, endpoint: target.url?.href ?? target.authority, steps };
}

// Each step appends its result; returning early leaves the rest to be reported as not run.
async function runSteps(target: DoctorTarget, timeoutMs: number, steps: StepResult[]): Promise<void> {
  const dns = await checkDns(target);
  if (!record(steps, dns.result)) return;
  const tcp = await checkTcp(target, dns.addresses, timeoutMs);
  const address = tcp.address;
  if (!record(steps, tcp.result) || address === undefined) return;
  const tls = await checkTls(target, address, timeoutMs);
  if (!record(steps, tls.result)) return;
  const protocol = await checkProtocol(target, address, tls.alpn, timeoutMs);
  if (!record(steps, protocol.result) || protocol.answer === undefined) return;
  if (!record(steps, await checkToken(target, timeoutMs))) return;
  if (!record(steps, checkAuth(target, protocol.answer))) return;
  steps.push(await checkSize(target, address, timeoutMs));
}

function record(steps: StepResult[], result: StepResult): boolean {
  steps.push(result);
  return result.outcome !== 'fail';
}

function notRun(failed: StepName | undefined): string {
  return failed === undefined ? 'not run' : `not run: the ${failed} step failed`;
}
